/** What the shopper sees when something stands in the way of a checkout, and how it recovers. */
import { expect, test } from "@playwright/test";
import { addToCart, checkoutFromCart, choose, paths } from "./support/flows.ts";
import { armFault, clearFaults } from "./support/shop.ts";

test.afterEach(clearFaults);

test("a sold-out variant cannot be added", async ({ page }) => {
  await page.goto(paths.product("en", "classic"));
  await choose(page, "rose");
  await choose(page, "l");
  await expect(page.getByTestId("availability")).toHaveText(/sold out/i);
  await expect(page.getByTestId("add-to-cart")).toBeDisabled();
  await choose(page, "m");
  await expect(page.getByTestId("add-to-cart")).toBeEnabled();
});

test("a price that changed since the page loaded is shown and confirmed before paying", async ({ page }) => {
  // The shopper's page holds an older, lower price: every cart answer it saw was 3 € cheaper.
  await page.route("**/v1/carts**", async (route) => {
    const response = await route.fetch();
    const cart = await response.json();
    for (const line of cart.lines ?? []) {
      line.unitAmount -= 300;
      line.lineTotal -= 300 * line.quantity;
    }
    if (typeof cart.subtotal === "number")
      cart.subtotal -= 300 * (cart.lines ?? []).reduce((n: number, l: { quantity: number }) => n + l.quantity, 0);
    await route.fulfill({ response, json: cart });
  });
  await addToCart(page, "en", { sku: "cf-headband-classic", slug: "classic", color: "black", size: "s" });
  await page.getByTestId("cart-link").click();
  await expect(page.getByTestId("subtotal")).toContainText("26.00");
  await page.unroute("**/v1/carts**");
  await page.getByTestId("checkout").click();
  await expect(page.getByTestId("price-changed")).toBeVisible();
  await expect(page.getByTestId("price-changed")).toContainText("29.00");
  await page.getByTestId("price-confirm").click();
  await page.waitForURL(/\/pay\/cs_/);
  await expect(page.getByText("€29.00").first()).toBeVisible();
});

test("a double-clicked checkout makes one session", async ({ page }) => {
  await addToCart(page, "en", { sku: "cf-headband-slim", slug: "slim", color: "grey", size: "m" });
  await page.getByTestId("cart-link").click();
  await expect(page.getByTestId("subtotal")).not.toBeEmpty();
  const sessions: string[] = [];
  await page.route("**/v1/checkout/sessions", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch();
    const body = (await response.json()) as { sessionId: string };
    sessions.push(body.sessionId);
    await route.fulfill({ response, json: body });
  });
  // Two clicks in the same task, before the page can disable the button between them.
  await page.getByTestId("checkout").evaluate((button: HTMLButtonElement) => {
    button.click();
    button.click();
  });
  await page.waitForURL(/\/pay\/cs_/);
  // The client joins the second click to the first: one request, one session, and that is where we went.
  expect(sessions).toHaveLength(1);
  expect(page.url()).toContain(sessions[0]);
});

test("a payment service outage is explained, and pressing checkout again later works", async ({ page }) => {
  await addToCart(page, "de", { sku: "cf-headband-sport", slug: "sport", color: "lime", size: "xl" });
  // Every attempt the client makes (the first and its two retries) meets a Stripe outage.
  await armFault("503", 3, "create");
  await page.getByTestId("cart-link").click();
  await page.getByTestId("checkout").click();
  const message = page.getByTestId("status-message");
  await expect(message).toContainText(/Zahlungsdienst|Zahlung/);
  await expect(message).toBeFocused();
  await expect(page.getByTestId("cart-line")).toHaveCount(1);

  await clearFaults();
  await checkoutFromCart(page);
});
