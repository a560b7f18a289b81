/**
 * The hosted checkout page at the session's `url`: what a shopper (or Playwright) sees and presses.
 */
import type Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatAmount } from "./hosted-page.ts";
import { type StripeStandIn, startStripeStandIn } from "./stand-in.ts";
import {
  checkoutParams,
  objectIdOf,
  sdkFor,
  startReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from "./test-support.ts";

let standIn: StripeStandIn;
let receiver: WebhookReceiver;
let stripe: Stripe;

beforeEach(async () => {
  receiver = await startReceiver();
  standIn = await startStripeStandIn({
    webhookSecret: TEST_WEBHOOK_SECRET,
    webhookUrl: receiver.url,
    asyncPaymentDelayMs: 5,
  });
  stripe = sdkFor(standIn);
});
afterEach(async () => {
  await standIn.close();
  await receiver.close();
});

const page = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, html: await response.text(), type: response.headers.get("content-type") };
};
const choose = (url: string, outcome: string) =>
  fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ outcome }).toString(),
  });

describe("the hosted checkout page", () => {
  it("shows each line with its quantity and amount, the total, a Pay form, pay-later choices and a cancel link", async () => {
    const session = await stripe.checkout.sessions.create(checkoutParams());
    const { status, html, type } = await page(session.url ?? "");
    expect(status).toBe(200);
    expect(type).toBe("text/html; charset=utf-8");
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<th scope="row">Classic headband<\/th><td>2<\/td><td>€58\.00<\/td>/);
    expect(html).toMatch(/<th scope="row">Spare clip<\/th><td>1<\/td><td>€15\.00<\/td>/);
    expect(html).toMatch(/<th scope="row" colspan="2">Total<\/th><td>€73\.00<\/td>/);
    expect(html).toContain(`<form method="post" action="/pay/${session.id}">`);
    expect(html).toContain('<button type="submit" name="outcome" value="paid">Pay €73.00</button>');
    expect(html).toContain("<legend>Pay later (asynchronous payment)</legend>");
    expect(html).toContain('value="async_succeeds"');
    expect(html).toContain('value="async_fails"');
    expect(html).toContain('<a href="https://shop.example/en/cart/">Cancel and return to the shop</a>');
  });

  it("escapes what the shop sent", async () => {
    const session = await stripe.checkout.sessions.create(
      checkoutParams({
        line_items: [
          { quantity: 1, price_data: { currency: "eur", unit_amount: 100, product_data: { name: "<b>Bold</b>" } } },
        ],
      }),
    );
    const { html } = await page(session.url ?? "");
    expect(html).toContain("&#60;b&#62;Bold&#60;/b&#62;");
    expect(html).not.toContain("<b>Bold</b>");
  });

  it("Pay completes the session, sends the webhook and redirects to success_url with the session id", async () => {
    const session = await stripe.checkout.sessions.create(checkoutParams());
    const response = await choose(session.url ?? "", "paid");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`https://shop.example/en/thank-you/?session_id=${session.id}`);
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("paid");
    const [webhook] = await receiver.until(1);
    expect(webhook?.event?.type).toBe("checkout.session.completed");
  });

  it("Pay later completes the session unpaid, then the payment succeeds or fails on its own", async () => {
    const succeeds = await stripe.checkout.sessions.create(checkoutParams());
    expect((await choose(succeeds.url ?? "", "async_succeeds")).status).toBe(303);
    const fails = await stripe.checkout.sessions.create(checkoutParams());
    expect((await choose(fails.url ?? "", "async_fails")).status).toBe(303);
    const received = await receiver.until(4);
    const byType = (type: string) => received.filter((r) => r.event?.type === type).map(objectIdOf);
    expect(byType("checkout.session.completed").sort()).toEqual([succeeds.id, fails.id].sort());
    expect(byType("checkout.session.async_payment_succeeded")).toEqual([succeeds.id]);
    expect(byType("checkout.session.async_payment_failed")).toEqual([fails.id]);
  });

  it("a completed or expired session shows an error page and sends no event", async () => {
    const paid = await stripe.checkout.sessions.create(checkoutParams());
    await standIn.pay(paid.id, "paid");
    const expired = await stripe.checkout.sessions.create(checkoutParams());
    await stripe.checkout.sessions.expire(expired.id);
    await receiver.until(2);
    expect((await page(paid.url ?? "")).status).toBe(409);
    expect((await choose(paid.url ?? "", "paid")).status).toBe(409);
    const gone = await choose(expired.url ?? "", "paid");
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("This checkout has expired");
    expect((await page(`${standIn.url}/pay/cs_test_unknown`)).status).toBe(404);
    expect(standIn.events().map((e) => e.type)).toEqual(["checkout.session.completed", "checkout.session.expired"]);
  });
});

describe("amounts", () => {
  it("are formatted in the currency's own minor unit", () => {
    expect(formatAmount(7300, "eur", null)).toBe("€73.00");
    expect(formatAmount(500, "jpy", null)).toBe("¥500");
    expect(formatAmount(7300, "eur", "de")).toBe("73,00\u00a0€");
  });
});
