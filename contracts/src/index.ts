/** The contracts package: v1 is the current version; a breaking change would add v2 beside it. */
export * as v1 from "./v1/index.ts";
