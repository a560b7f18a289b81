/**
 * The client against a real server, its database and the Stripe stand-in: every action, paying on
 * the stand-in's hosted page, and the cases where a careless client would lose or clear a cart.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetHolds, setOnHand, stockOf } from "../../server/test/checkout/support.ts";
import { startTestServer, type TestServer } from "../../server/test/harness.ts";
import { CommerceError, storageKey } from "../src/index.ts";
import { blackM, browserClient, memoryStorage, navyS, payOnHostedPage, roseL } from "./support.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await resetHolds(server.sql);
  await setOnHand(server.sql, 12);
  await server.sql`update variants set unit_amount = 2900 where sku = 'cf-headband-classic'`;
});

const standIn = () => {
  if (!server.standIn) throw new Error("no stand-in");
  return server.standIn;
};
const ordersOf = (sessionId: string) =>
  server.sql<{ status: string }[]>`select status from orders where stripe_session_id = ${sessionId}`;
const serverLines = async (cartId: string) =>
  server.sql<{ quantity: number }[]>`select quantity from cart_lines where cart_id = ${cartId}`;

describe("cart actions", () => {
  it("adding an item creates the server cart, and the mirror keeps identifiers and quantities only", async () => {
    const { commerce, storage } = browserClient(server.url);
    const cart = await commerce.addItem(blackM, 2);
    expect(cart.lines).toMatchObject([{ sku: blackM.sku, quantity: 2, unitAmount: 2900, lineTotal: 5800 }]);
    expect(commerce.$cart.get()).toMatchObject({ cartId: cart.cartId, subtotal: 5800, hydrated: true });
    expect(commerce.$count.get()).toBe(2);
    const kept = JSON.parse(storage.getItem(storageKey("cochlearfit")) ?? "{}");
    expect(kept).toEqual({ v: 1, cartId: cart.cartId, lines: [{ ...blackM, quantity: 2 }], completed: [] });
  });

  it("adding the same variant again adds to its quantity; setQuantity sets it; removeItem drops the line", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    await commerce.addItem(navyS);
    expect((await commerce.addItem(blackM, 2)).lines.map((l) => l.quantity)).toEqual([3, 1]);
    expect((await commerce.setQuantity(navyS, 5)).subtotal).toBe(8 * 2900);
    const cart = await commerce.removeItem(blackM);
    expect(cart.lines).toMatchObject([{ attributes: navyS.attributes, quantity: 5 }]);
    expect(await serverLines(cart.cartId)).toEqual([{ quantity: 5 }]);
  });

  it("actions called without waiting reach the server in the order they were called", async () => {
    const { commerce } = browserClient(server.url);
    await Promise.all([commerce.addItem(blackM), commerce.setQuantity(blackM, 4), commerce.addItem(blackM)]);
    expect(commerce.$cart.get().lines.map((l) => l.quantity)).toEqual([5]);
    expect(await serverLines(commerce.$cart.get().cartId ?? "")).toEqual([{ quantity: 5 }]);
  });

  it("clear empties the cart here and on the server", async () => {
    const { commerce } = browserClient(server.url);
    const { cartId } = await commerce.addItem(blackM, 2);
    await commerce.clear();
    expect(commerce.$cart.get()).toMatchObject({ lines: [], cartId });
    expect(await serverLines(cartId)).toEqual([]);
  });

  it("a reload shows the mirrored cart at once, then refresh hydrates today's prices", async () => {
    const first = browserClient(server.url);
    await first.commerce.addItem(blackM, 2);
    await server.sql`update variants set unit_amount = 3100 where sku = 'cf-headband-classic'`;
    const reloaded = browserClient(server.url, first.storage);
    expect(reloaded.commerce.$cart.get()).toMatchObject({ hydrated: false, subtotal: undefined });
    expect(reloaded.commerce.$cart.get().lines).toMatchObject([{ quantity: 2 }]);
    await reloaded.commerce.refresh();
    expect(reloaded.commerce.$cart.get()).toMatchObject({ hydrated: true, subtotal: 6200 });
  });

  it("a cart id the server no longer knows is replaced by a new cart with the same lines", async () => {
    const { commerce, storage } = browserClient(server.url);
    const { cartId } = await commerce.addItem(blackM, 3);
    await server.sql`delete from cart_lines where cart_id = ${cartId}`;
    await server.sql`delete from carts where id = ${cartId}`;
    const cart = await browserClient(server.url, storage).commerce.refresh();
    expect(cart?.cartId).not.toBe(cartId);
    expect(cart?.lines).toMatchObject([{ ...blackM, quantity: 3 }]);
  });

  it("a change in an unknown cart also lands in a new cart rather than failing", async () => {
    const storage = memoryStorage({
      [storageKey("cochlearfit")]: JSON.stringify({
        v: 1,
        cartId: "cart_AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        lines: [{ ...navyS, quantity: 1 }],
        completed: [],
      }),
    });
    const cart = await browserClient(server.url, storage).commerce.addItem(blackM);
    expect(cart.cartId).not.toBe("cart_AAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect(cart.lines.map((l) => [l.attributes.color, l.quantity]).sort()).toEqual([
      ["black", 1],
      ["navy", 1],
    ]);
  });

  it("a legacy cart is migrated on first read: identifiers kept, prices dropped, server cart created", async () => {
    const legacy = [
      { sku: "cf-headband-classic", name: "Classic", price: 1, size: "M", color: "Black", quantity: 2 },
      { id: "cf-headband-kids", name: "Kids", price: 1, size: "s", colour: "Sky", quantity: 1 },
    ];
    const storage = memoryStorage({ cart: JSON.stringify(legacy) });
    const { commerce } = browserClient(server.url, storage);
    expect(commerce.$count.get()).toBe(3);
    expect(storage.getItem("cart")).toBeNull();
    const cart = await commerce.refresh();
    expect(cart?.lines.map((l) => [l.sku, l.variantKey, l.quantity, l.unitAmount])).toEqual([
      ["cf-headband-classic", "color:black|size:m", 2, 2900],
      ["cf-headband-kids", "color:sky|size:s", 1, 2400],
    ]);
    expect(cart?.subtotal).toBe(2 * 2900 + 2400);
  });

  it("a legacy line the shop no longer sells is dropped and the rest migrate", async () => {
    const legacy = {
      items: [
        { sku: "cf-discontinued", size: "m", color: "black", quantity: 1, price: 999 },
        { sku: blackM.sku, size: "m", color: "black", quantity: 1, price: 1 },
      ],
    };
    const { commerce } = browserClient(server.url, memoryStorage({ cart: JSON.stringify(legacy) }));
    const cart = await commerce.refresh();
    expect(cart?.lines.map((l) => l.sku)).toEqual([blackM.sku]);
  });

  it("another tab's change reaches this tab through the storage event", async () => {
    const storage = memoryStorage();
    const tabA = browserClient(server.url, storage);
    const tabB = browserClient(server.url, storage);
    await tabA.commerce.addItem(blackM, 2);
    const hydrated = new Promise<void>((resolve) => {
      const stop = tabB.commerce.$cart.listen((cart) => {
        if (cart.hydrated && cart.subtotal === 5800) resolve(stop());
      });
    });
    tabB.events.dispatchEvent(Object.assign(new Event("storage"), { key: storageKey("cochlearfit") }));
    expect(tabB.commerce.$count.get()).toBe(2);
    await hydrated;
  });

  it("a refusal undoes the optimistic change and leaves a typed error in $status", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    const error = await commerce.addItem({ sku: "cf-no-such-thing", attributes: { size: "m" } }).catch((e) => e);
    expect(error).toBeInstanceOf(CommerceError);
    expect(error).toMatchObject({ code: "UNKNOWN_ITEM", status: 400 });
    expect(error.requestId).toMatch(/.+/);
    expect(commerce.$status.get()).toEqual({ state: "error", error });
    expect(commerce.$cart.get().lines.map((l) => l.sku)).toEqual([blackM.sku]);
  });
});

describe("checkout and completion", () => {
  it("checks out the cart, pays on the hosted page, and clears the cart only after the verified payment", async () => {
    const { commerce, visited } = browserClient(server.url);
    const { cartId } = await commerce.addItem(blackM, 2);
    const result = await commerce.checkout({ locale: "en" });
    expect(result).toMatchObject({ priceChanged: false, redirected: true });
    expect(result.session.amountTotal).toBe(5800);
    expect(visited).toEqual([result.session.url]);
    expect(commerce.$count.get()).toBe(2); // nothing is cleared before the payment is verified

    const back = await payOnHostedPage(result.session.url);
    expect(back.pathname).toBe("/en/thank-you/");
    const sessionId = back.searchParams.get("session_id") ?? "";
    const completion = await commerce.completeCheckout(sessionId);
    expect(completion.outcome).toBe("cleared");
    expect(completion.status).toMatchObject({ paymentStatus: "paid", cartId, amountTotal: 5800 });
    expect(completion.status?.orderId).toMatch(/.+/);
    expect(commerce.$cart.get()).toMatchObject({ cartId: null, lines: [] });
    expect(await ordersOf(sessionId)).toEqual([{ status: "paid" }]);
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: 10 });
  });

  it("a revisit of the thank-you page after starting a new cart clears nothing", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    const { session } = await commerce.checkout({ locale: "de" });
    const sessionId = (await payOnHostedPage(session.url)).searchParams.get("session_id") ?? "";
    expect((await commerce.completeCheckout(sessionId)).outcome).toBe("cleared");

    const newer = await commerce.addItem(navyS, 2);
    expect((await commerce.completeCheckout(sessionId)).outcome).toBe("already-cleared");
    expect(commerce.$cart.get()).toMatchObject({ cartId: newer.cartId, lines: [{ quantity: 2 }] });
    expect(await serverLines(newer.cartId)).toEqual([{ quantity: 2 }]);
  });

  it("a paid session of another cart (another device, an older tab) leaves this cart alone", async () => {
    const other = browserClient(server.url);
    await other.commerce.addItem(blackM);
    const { session } = await other.commerce.checkout({ locale: "en" });
    const sessionId = (await payOnHostedPage(session.url)).searchParams.get("session_id") ?? "";

    const { commerce } = browserClient(server.url);
    const mine = await commerce.addItem(navyS);
    const completion = await commerce.completeCheckout(sessionId);
    expect(completion.outcome).toBe("not-this-cart");
    expect(completion.status?.paymentStatus).toBe("paid");
    expect(commerce.$cart.get()).toMatchObject({ cartId: mine.cartId, lines: [{ quantity: 1 }] });
  });

  it("an unpaid, an unknown and a malformed session clear nothing and say so", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    const { session } = await commerce.checkout({ locale: "en" });
    expect((await commerce.completeCheckout(session.sessionId)).outcome).toBe("unpaid");
    expect((await commerce.completeCheckout("cs_test_doesnotexist")).outcome).toBe("unknown");
    expect((await commerce.completeCheckout("not a session")).outcome).toBe("unknown");
    expect(commerce.$count.get()).toBe(1);
  });

  it("an asynchronous payment reports pending, then clears once it succeeds", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    const { session } = await commerce.checkout({ locale: "en" });
    await payOnHostedPage(session.url, "async_succeeds");
    expect((await commerce.completeCheckout(session.sessionId)).outcome).toBe("pending");
    expect(commerce.$count.get()).toBe(1);
    await standIn().asyncResult(session.sessionId, true);
    expect((await commerce.completeCheckout(session.sessionId)).outcome).toBe("cleared");
    expect(await ordersOf(session.sessionId)).toEqual([{ status: "paid" }]);
  });

  it("an expired session clears nothing", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    const { session } = await commerce.checkout({ locale: "en" });
    await standIn().expireNow(session.sessionId);
    expect((await commerce.completeCheckout(session.sessionId)).outcome).toBe("expired");
    expect(commerce.$count.get()).toBe(1);
  });

  it("a double click and a reload during checkout converge on one session and one hold", async () => {
    const { commerce, storage, visited } = browserClient(server.url);
    await commerce.addItem(blackM);
    const [a, b] = await Promise.all([commerce.checkout({ locale: "en" }), commerce.checkout({ locale: "en" })]);
    expect(a).toBe(b);
    const reloaded = browserClient(server.url, storage);
    await reloaded.commerce.refresh();
    const c = await reloaded.commerce.checkout({ locale: "en" });
    expect(c.session).toMatchObject({ sessionId: a.session.sessionId, holdId: a.session.holdId, replayed: true });
    expect(visited).toHaveLength(1);
    const [holds] = await server.sql<{ n: number }[]>`select count(*)::int as n from holds where status = 'active'`;
    expect(holds?.n).toBe(1);
  });

  it("changing the cart after a checkout starts a new checkout attempt", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    const first = await commerce.checkout({ locale: "en" });
    await commerce.addItem(blackM);
    const second = await commerce.checkout({ locale: "en" });
    expect(second.session.sessionId).not.toBe(first.session.sessionId);
    expect(second.session.amountTotal).toBe(5800);
  });

  it("a payment provider outage is retried with the same key and converges on one session", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    standIn().faults.next("503", 1, "create");
    const { session } = await commerce.checkout({ locale: "en" });
    expect(session.replayed).toBe(true); // the retry found the hold the failed attempt kept
    const [holds] = await server.sql<{ n: number }[]>`select count(*)::int as n from holds where status = 'active'`;
    expect(holds?.n).toBe(1);
  });

  it("an outage that outlasts the retries ends in a typed error; the next click converges", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM);
    standIn().faults.next("503", 3, "create");
    const error = await commerce.checkout({ locale: "en" }).catch((e) => e);
    expect(error).toMatchObject({ code: "PAYMENT_PROVIDER_UNAVAILABLE", status: 503, retryAfter: 2 });
    const { session } = await commerce.checkout({ locale: "en" });
    const [holds] = await server.sql<{ n: number }[]>`select count(*)::int as n from holds where status = 'active'`;
    expect([session.replayed, holds?.n]).toEqual([true, 1]);
  });

  it("a sold-out variant is refused with the shortfall, and the cart shows the real availability", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(roseL);
    const error = await commerce.checkout({ locale: "en" }).catch((e) => e);
    expect(error).toMatchObject({ code: "INSUFFICIENT_STOCK", status: 409 });
    expect(error.details.items).toMatchObject([{ sku: roseL.sku, requested: 1, available: 0 }]);
    expect(commerce.$cart.get().lines).toMatchObject([{ available: 0 }]);
  });

  it("a price change between page load and checkout is reported, and the shopper may stay to review it", async () => {
    const { commerce, visited } = browserClient(server.url);
    await commerce.addItem(blackM, 2);
    await server.sql`update variants set unit_amount = 3400 where sku = 'cf-headband-classic'`;
    const asked: number[] = [];
    const result = await commerce.checkout({
      locale: "en",
      confirmPriceChange: (session) => {
        asked.push(session.amountTotal);
        return false;
      },
    });
    expect(result).toMatchObject({ priceChanged: true, redirected: false });
    expect(asked).toEqual([6800]);
    expect(visited).toEqual([]);
    expect(commerce.$cart.get().subtotal).toBe(6800);
  });

  it("a coupon is applied by the server and an invalid one is a typed error", async () => {
    const { commerce } = browserClient(server.url);
    await commerce.addItem(blackM, 2);
    const { session } = await commerce.checkout({ locale: "en", couponCode: "WELCOME10" });
    expect([session.discount, session.amountTotal, session.priceChanged]).toEqual([580, 5220, false]);
    const error = await commerce.checkout({ locale: "en", couponCode: "SUMMER2025" }).catch((e) => e);
    expect(error).toMatchObject({ code: "INVALID_COUPON" });
  });

  it("checking out an empty cart is a typed error without a request", async () => {
    const { commerce } = browserClient(server.url);
    await expect(commerce.checkout({ locale: "en" })).rejects.toMatchObject({ code: "EMPTY_CART" });
  });
});

describe("against a stricter server", () => {
  it("with repricing set to reject, a changed price is 409 PRICE_CHANGED and the cart shows the new prices", async () => {
    const strict = await startTestServer({ config: { repricingMode: "enforce_and_reject" } });
    try {
      const { commerce } = browserClient(strict.url);
      await commerce.addItem(blackM);
      await strict.sql`update variants set unit_amount = 3900 where sku = 'cf-headband-classic'`;
      const error = await commerce.checkout({ locale: "en" }).catch((e) => e);
      expect(error).toMatchObject({ code: "PRICE_CHANGED", details: { expectedTotal: 2900, amountTotal: 3900 } });
      expect(commerce.$cart.get().subtotal).toBe(3900);
    } finally {
      await strict.close();
    }
  });

  it("rate limited: a wait longer than the client's bound is a typed error carrying Retry-After", async () => {
    // The server's clock stands at the start of a minute, so the window has 59 s left whenever the test runs.
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 1000);
    const limited = await startTestServer({
      config: { rateLimit: { enabled: true, requestsPerMinute: 1 } },
      now: () => minute,
    });
    try {
      const { commerce } = browserClient(limited.url);
      await commerce.addItem(blackM);
      await commerce.checkout({ locale: "en" });
      await commerce.addItem(blackM); // a new attempt, so not a replay
      const error = await commerce.checkout({ locale: "en" }).catch((e) => e);
      expect(error).toMatchObject({ code: "RATE_LIMITED", status: 429 });
      expect(error.retryAfter).toBeGreaterThan(3);
      expect(commerce.$status.get()).toMatchObject({ state: "error", error: { code: "RATE_LIMITED" } });
    } finally {
      await limited.close();
    }
  });

  it("a server that cannot be reached is a NETWORK_ERROR, and the mirrored cart stays", async () => {
    const storage = memoryStorage();
    const { commerce } = browserClient(server.url, storage);
    await commerce.addItem(blackM);
    const offline = browserClient("http://127.0.0.1:1", storage);
    await expect(offline.commerce.refresh()).rejects.toMatchObject({ code: "NETWORK_ERROR" });
    expect(offline.commerce.$count.get()).toBe(1);
  });
});
