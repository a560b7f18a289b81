/**
 * Writes `contracts/openapi/v1.json`, the committed snapshot of the v1 document. It refuses to record a
 * breaking change (those belong in /v2) unless run with `--allow-breaking`, so a snapshot refresh
 * cannot quietly make the compatibility test pass.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findBreakingChanges } from "../src/v1/compat.ts";
import { buildOpenApiDocument, type OpenApiDocument } from "../src/v1/openapi.ts";

const target = new URL("../openapi/v1.json", import.meta.url);
const current = buildOpenApiDocument();

if (existsSync(target) && !process.argv.includes("--allow-breaking")) {
  const previous = JSON.parse(readFileSync(target, "utf8")) as OpenApiDocument;
  const changes = findBreakingChanges(previous, current);
  if (changes.length > 0) {
    console.error("Refusing to snapshot breaking changes to v1 (they need /v2):");
    for (const change of changes) console.error(`  ${change.path}: ${change.reason}`);
    process.exit(1);
  }
}

mkdirSync(new URL("./", target), { recursive: true });
writeFileSync(target, `${JSON.stringify(current, null, 2)}\n`);
console.log(`wrote ${fileURLToPath(target)}`);
