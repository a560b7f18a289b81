/**
 * Writes the CochlearFit seed catalog to `site/src/data/catalog.json`, the prices and stock the
 * static site renders at build time (then refreshes live). The site may not import the server, so
 * it gets the data as JSON; a unit test keeps the file in step with the seed.
 *
 *   pnpm exec tsx scripts/export-seed-catalog.ts
 */
import { writeFileSync } from "node:fs";
import { seedCatalogForSite } from "./seed-catalog.ts";

const target = new URL("../site/src/data/catalog.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(seedCatalogForSite("cochlearfit"), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
