/** Where the end-to-end run's parts listen: the ports the seed shop's origins and the built site expect. */
export const SITE_URL = "http://localhost:4321";
export const API_URL = "http://localhost:8787";
export const STAND_IN_URL = "http://localhost:12111";
