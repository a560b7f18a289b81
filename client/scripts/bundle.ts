/** Measures the client the way a storefront ships it: minified, tree-shaken, gzipped. */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;

/** The runtime dependencies, with their subpaths (zod/mini, @commerce/contracts/v1). */
export function dependencyNames(): string[] {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { dependencies: Record<string, string> };
  return Object.keys(pkg.dependencies).flatMap((name) => [name, `${name}/*`]);
}

/** Gzipped bytes of the entry, bundled and minified; `withDependencies` counts what it imports too. */
export async function gzippedSize(options: { withDependencies: boolean }): Promise<number> {
  const result = await build({
    entryPoints: [`${root}src/index.ts`],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    external: options.withDependencies ? [] : dependencyNames(),
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return gzipSync(code, { level: 9 }).length;
}
