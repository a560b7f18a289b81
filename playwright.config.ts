// End-to-end tests of the built storefront, the server and the Stripe stand-in.
// Minimal until the storefront issue adds the site and its Playwright suite (e2e/).
export default {
  testDir: "./e2e",
};
