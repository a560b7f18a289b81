/**
 * axe on every page type, in both languages where the page differs, with no violations; and
 * screenshots of the main pages at phone and desktop widths, attached to the test report (and
 * written to docs/screenshots/ for the README when UPDATE_SCREENSHOTS=1).
 */
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { addToCart, checkoutFromCart, paths, payOnHostedPage } from "./support/flows.ts";

const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

async function expectNoViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(tags).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

const staticPages = [
  paths.home("en"),
  paths.home("de"),
  paths.products("en"),
  paths.products("de"),
  paths.product("en", "classic"),
  paths.product("de", "kids"),
  "/404.html",
];

for (const path of staticPages) {
  test(`no accessibility violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await expectNoViolations(page);
  });
}

test("no accessibility violations on the cart, empty and filled, and on the thank-you page", async ({ page }) => {
  await page.goto(paths.cart("en"));
  await expect(page.getByTestId("cart-empty")).toBeVisible();
  await expectNoViolations(page);
  await addToCart(page, "de", { sku: "cf-headband-classic", slug: "classic", color: "grey", size: "m" });
  await page.goto(paths.cart("de"));
  await expect(page.getByTestId("subtotal")).not.toBeEmpty();
  await expectNoViolations(page);
  await checkoutFromCart(page);
  await payOnHostedPage(page);
  await expect(page.getByTestId("outcome")).toHaveAttribute("data-outcome", "cleared");
  await expectNoViolations(page);
});

const widths = { phone: { width: 375, height: 812 }, desktop: { width: 1280, height: 900 } };

for (const [device, viewport] of Object.entries(widths)) {
  test(`screenshots at ${device} width`, async ({ page }, testInfo) => {
    await page.setViewportSize(viewport);
    const shots: Array<[string, string]> = [
      ["home", paths.home("en")],
      ["product", paths.product("en", "classic")],
    ];
    for (const [name, path] of shots) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      await save(page, testInfo, `${name}-${device}`);
    }
    await addToCart(page, "en", { sku: "cf-headband-classic", slug: "classic", color: "black", size: "l" });
    await page.goto(paths.cart("en"));
    await expect(page.getByTestId("subtotal")).not.toBeEmpty();
    await save(page, testInfo, `cart-${device}`);
  });
}

async function save(page: Page, testInfo: import("@playwright/test").TestInfo, name: string) {
  const body = await page.screenshot({ fullPage: true });
  await testInfo.attach(name, { body, contentType: "image/png" });
  if (process.env.UPDATE_SCREENSHOTS) {
    mkdirSync("docs/screenshots", { recursive: true });
    await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
  }
}
