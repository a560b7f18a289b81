import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { seedCatalogForSite } from "./seed-catalog.ts";

it("the site's build-time catalog is the seed catalog (run scripts/export-seed-catalog.ts after changing the seed)", () => {
  const file = JSON.parse(readFileSync(new URL("../site/src/data/catalog.json", import.meta.url), "utf8"));
  expect(file).toEqual(seedCatalogForSite("cochlearfit"));
});
