/**
 * Builds the publishable package into dist/: ESM files with their source maps (dependencies stay
 * imports, so a storefront's bundler shares them), and type declarations.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { build } from "esbuild";
import { dependencyNames } from "./bundle.ts";

const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  // The main entry and the standalone item count (`@commerce/client/count`), sharing a chunk.
  entryPoints: [`${root}src/index.ts`, `${root}src/stored-count.ts`],
  outdir: `${root}dist`,
  splitting: true,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  sourcemap: true,
  external: dependencyNames(),
});
execFileSync("tsc", ["-p", `${root}tsconfig.build.json`], { stdio: "inherit", cwd: root });
console.log("built dist/index.js, dist/stored-count.js, their source maps and dist/*.d.ts");
