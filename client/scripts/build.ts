/**
 * Builds the publishable package into dist/: one ESM file with its source map (dependencies stay
 * imports, so a storefront's bundler shares them), and type declarations.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { build } from "esbuild";
import { dependencyNames } from "./bundle.ts";

const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  entryPoints: [`${root}src/index.ts`],
  outfile: `${root}dist/index.js`,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  sourcemap: true,
  external: dependencyNames(),
});
execFileSync("tsc", ["-p", `${root}tsconfig.build.json`], { stdio: "inherit", cwd: root });
console.log("built dist/index.js, dist/index.js.map and dist/*.d.ts");
