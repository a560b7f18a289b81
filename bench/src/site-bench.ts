/**
 * Page budgets of the built storefront (issue 6): for each page type, the JavaScript shipped and the
 * total transfer (gzipped, as served by scripts/serve-site.ts, which compresses like a static host),
 * and Lighthouse's four scores in Chromium with its default mobile emulation and throttling.
 * Figures only; nothing passes or fails. Run `pnpm build:site` first (`pnpm bench` does).
 *
 *   pnpm --filter @commerce/bench bench:site
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const repo = new URL("../..", import.meta.url).pathname;
const site = "http://localhost:4321";
const pages: Array<[string, string]> = [
  ["home", "/en/"],
  ["product listing", "/en/products/"],
  ["product", "/en/products/classic/"],
  ["cart", "/en/cart/"],
  ["thank-you", "/en/thank-you/"],
  ["home (de)", "/de/"],
];

// The page figures do not depend on the database: a fresh embedded one keeps the run self-contained.
const { DATABASE_URL: _unused, ...env } = process.env;
const shop = spawn(process.execPath, ["--import", "tsx", `${repo}scripts/start.ts`, "--fresh"], {
  cwd: repo,
  env: { ...env, LOG_LEVEL: "warn" },
  stdio: ["ignore", "ignore", "inherit"],
});
try {
  await waitFor("http://localhost:8787/readyz");
  const chrome = await chromeLauncher.launch({
    ...(existsSync("/usr/bin/chromium") ? { chromePath: "/usr/bin/chromium" } : {}),
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    console.log("page             JS (gz)   transfer   perf  a11y  best-pr  SEO");
    for (const [name, path] of pages) {
      const result = await lighthouse(`${site}${path}`, { port: chrome.port, output: "json", logLevel: "error" });
      if (!result) throw new Error(`lighthouse returned nothing for ${path}`);
      const { categories, audits } = result.lhr;
      const summary = (
        audits["resource-summary"]?.details as { items?: Array<{ resourceType: string; transferSize: number }> }
      )?.items;
      const size = (type: string) => summary?.find((item) => item.resourceType === type)?.transferSize ?? 0;
      const score = (id: string) => String(Math.round((categories[id]?.score ?? 0) * 100)).padStart(4);
      console.log(
        `${name.padEnd(16)} ${kb(size("script")).padStart(8)} ${kb(size("total")).padStart(10)}  ${score("performance")}  ${score("accessibility")}  ${score("best-practices").padStart(7)}  ${score("seo")}`,
      );
    }
  } finally {
    await chrome.kill();
  }
} finally {
  shop.kill("SIGTERM");
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready`);
}
