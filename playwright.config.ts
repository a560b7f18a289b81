/**
 * End-to-end tests of the built storefront, the server and the Stripe stand-in (e2e/).
 *
 * `pnpm test:e2e` builds the site, then this config starts the stand-in in its own process (so tests
 * can arm its faults through its control API) and `scripts/start.ts --fresh`: the server on a new,
 * empty database (a new database on DATABASE_URL's PostgreSQL when set, else embedded) and the static
 * site. Debian's Chromium is used when /usr/bin/chromium exists, Playwright's own browser otherwise.
 */
import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { API_URL, SITE_URL, STAND_IN_URL } from "./e2e/support/urls.ts";

const debianChromium = "/usr/bin/chromium";
const launchOptions = existsSync(debianChromium)
  ? {
      executablePath: debianChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    }
  : {};

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One shop and one stand-in whose fault switches are global: tests run one at a time.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]] : "list",
  use: {
    baseURL: SITE_URL,
    launchOptions,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: [
    {
      command: "pnpm stripe:local",
      url: `${STAND_IN_URL}/__stand-in/stats`,
      env: {
        STRIPE_STAND_IN_PORT: new URL(STAND_IN_URL).port,
        STRIPE_WEBHOOK_URL: `${API_URL}/v1/webhooks/stripe`,
      },
      reuseExistingServer: false,
      stdout: "ignore",
    },
    {
      command: "pnpm exec tsx scripts/start.ts --fresh",
      url: `${API_URL}/readyz`,
      env: {
        PORT: new URL(API_URL).port,
        SITE_PORT: new URL(SITE_URL).port,
        STRIPE_API_URL: STAND_IN_URL,
        STRIPE_SECRET_KEY: "sk_test_standin",
        STRIPE_WEBHOOK_SECRET: "whsec_standin_local",
        // Every test checks out from 127.0.0.1; the limiter itself is tested in the server's suites.
        CHECKOUT_RATE_LIMIT_REQUESTS_PER_MINUTE: "10000",
        LOG_LEVEL: "fatal",
      },
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
    },
  ],
});
