/**
 * The invariant checker itself: silent on a database that real traffic left healthy, and each rule
 * reports the rows that break it. Every breakage is made inside a transaction that is rolled back,
 * so the rules are shown one at a time on one healthy database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../src/db/database.ts";
import { checkInvariants, formatViolations, type InvariantRule } from "../src/invariants/check-invariants.ts";
import { blackMKey, checkout, classic, lines } from "./checkout/support.ts";
import { startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
/** A paid checkout from a server cart, an open one (active hold) and one whose session expired. */
let paid: { holdId: string; sessionId: string; cartId: string };
let open: { holdId: string; sessionId: string };

const standIn = () => {
  if (!server.standIn) throw new Error("the test server runs without its Stripe stand-in");
  return server.standIn;
};

beforeAll(async () => {
  server = await startTestServer();
  const cart = await fetch(`${server.url}/v1/carts`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shop-id": "cochlearfit" },
    body: JSON.stringify({ lines: lines(2) }),
  }).then((r) => r.json() as Promise<{ cartId: string }>);
  const bought = await checkout(server, { key: "invariants-paid", body: { cartId: cart.cartId } });
  await standIn().pay(bought.body.sessionId, "paid");
  paid = { holdId: bought.body.holdId, sessionId: bought.body.sessionId, cartId: cart.cartId };
  const left = await checkout(server, { key: "invariants-open", body: { lines: lines(1) } });
  open = { holdId: left.body.holdId, sessionId: left.body.sessionId };
  const expired = await checkout(server, {
    key: "invariants-expired",
    body: { lines: lines(1, { color: "navy", size: "m" }) },
  });
  await standIn().expireNow(expired.body.sessionId);
  // A restock goes through the ledger, so on hand + committed still matches what was received.
  await server.sql`insert into stock_movements (shop_id, sku, variant_key, quantity, kind)
    values ('cochlearfit', ${classic}, ${blackMKey}, 5, 'restock')`;
});
afterAll(async () => {
  await server?.close();
});

class Rollback extends Error {}

/** Breaks the database inside a transaction, checks it there, and rolls everything back. */
async function rulesAfter(breakIt: (tx: Tx) => Promise<unknown>, now?: Date): Promise<InvariantRule[]> {
  let rules: InvariantRule[] = [];
  await server.sql
    .begin(async (tx) => {
      await breakIt(tx);
      const violations = await checkInvariants(tx, now ? { now } : {});
      rules = [...new Set(violations.map((v) => v.rule))];
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return rules;
}

describe("on a healthy database", () => {
  it("finds no violation after a paid, an open, an expired checkout and a restock", async () => {
    const violations = await checkInvariants(server.sql);
    expect(formatViolations(violations)).toBe("invariants: all hold");
  });

  it("has really seen the data it vouches for", async () => {
    const [counts] = await server.sql<{ orders: number; active: number; released: number; moves: number }[]>`
      select (select count(*)::int from orders where status = 'paid') as orders,
             (select count(*)::int from holds where status = 'active') as active,
             (select count(*)::int from holds where status = 'released') as released,
             (select count(*)::int from stock_movements where kind = 'restock') as moves`;
    expect(counts).toEqual({ orders: 1, active: 1, released: 1, moves: 1 });
  });
});

describe("each rule fires on a database broken its way", () => {
  it("stock_negative: a counter below zero", async () => {
    const rules = await rulesAfter(async (tx) => {
      await tx`alter table stock drop constraint stock_committed_check`;
      await tx`update stock set committed = -1 where sku = ${classic} and variant_key = 'color:navy|size:l'`;
    });
    expect(rules).toContain("stock_negative");
  });

  it("stock_negative: more held than on hand", async () => {
    const rules = await rulesAfter(async (tx) => {
      await tx`alter table stock drop constraint stock_check`;
      await tx`update stock set on_hand = held - 1 where sku = ${classic} and variant_key = ${blackMKey}`;
    });
    expect(rules).toContain("stock_negative");
  });

  it("stock_ledger: on hand changed outside the ledger", async () => {
    const rules = await rulesAfter(
      (tx) => tx`update stock set on_hand = on_hand + 3 where sku = ${classic} and variant_key = 'color:navy|size:l'`,
    );
    expect(rules).toEqual(["stock_ledger"]);
  });

  it("held_matches_holds: a unit stuck held with no hold", async () => {
    const rules = await rulesAfter(
      (tx) => tx`update stock set held = held + 1 where sku = ${classic} and variant_key = 'color:navy|size:l'`,
    );
    expect(rules).toEqual(["held_matches_holds"]);
  });

  it("held_matches_holds: an active hold with no stock behind it", async () => {
    const rules = await rulesAfter(
      (tx) => tx`update stock set held = 0 where sku = ${classic} and variant_key = ${blackMKey}`,
    );
    expect(rules).toEqual(["held_matches_holds"]);
  });

  it("one_active_hold_per_intent: two active holds for one intent", async () => {
    const rules = await rulesAfter(async (tx) => {
      await tx`drop index holds_one_active_per_intent`;
      await tx`update holds set status = 'active', intent_key = 'key:invariants-open'
        where intent_key = 'key:invariants-expired'`;
    });
    expect(rules).toContain("one_active_hold_per_intent");
  });

  it("paid_order_hold: a paid order whose hold is not committed", async () => {
    const rules = await rulesAfter((tx) => tx`update holds set status = 'expired' where id = ${paid.holdId}`);
    expect(rules).toEqual(["paid_order_hold"]);
  });

  it("paid_order_hold: a committed hold without its order", async () => {
    const rules = await rulesAfter((tx) => tx`delete from orders where hold_id = ${paid.holdId}`);
    expect(rules).toEqual(["paid_order_hold"]);
  });

  it("paid_order_event: a paid order with no processed completion event", async () => {
    const rules = await rulesAfter((tx) => tx`delete from webhook_events where object_id = ${paid.sessionId}`);
    expect(rules).toEqual(["paid_order_event"]);
  });

  it("paid_order_event: a paid order with two", async () => {
    const rules = await rulesAfter(
      (tx) => tx`insert into webhook_events (event_id, shop_id, type, object_id)
        values ('evt_second_completion', 'cochlearfit', 'checkout.session.completed', ${paid.sessionId})`,
    );
    expect(rules).toEqual(["paid_order_event"]);
  });

  it("one_order_per_session: two orders for one session", async () => {
    const rules = await rulesAfter(async (tx) => {
      await tx`alter table orders drop constraint orders_stripe_session_id_key`;
      await tx`insert into orders (id, shop_id, hold_id, stripe_session_id, status, currency, amount_total, lines)
        select gen_random_uuid(), shop_id, ${open.holdId}, stripe_session_id, 'cancelled', currency, amount_total, lines
        from orders where hold_id = ${paid.holdId}`;
    });
    expect(rules).toEqual(["one_order_per_session"]);
  });

  it("hold_overdue: an active hold long past its expiry", async () => {
    const rules = await rulesAfter(
      (tx) => tx`update holds set expires_at = now() - interval '1 hour' where id = ${open.holdId}`,
    );
    expect(rules).toEqual(["hold_overdue"]);
  });

  it("hold_overdue: judged by the clock it is given, with the reaper's grace", async () => {
    const [hold] = await server.sql<{ expires_at: Date }[]>`select expires_at from holds where id = ${open.holdId}`;
    const expiresAt = hold?.expires_at.getTime() ?? 0;
    expect(await rulesAfter(async () => {}, new Date(expiresAt + 60_000))).toEqual([]);
    expect(await rulesAfter(async () => {}, new Date(expiresAt + 10 * 60_000))).toEqual(["hold_overdue"]);
  });

  it("paid_cart_not_empty: the paid cart still holds a line from before the payment", async () => {
    const rules = await rulesAfter(
      (tx) => tx`insert into cart_lines (cart_id, sku, variant_key, quantity, added_at)
        values (${paid.cartId}, ${classic}, ${blackMKey}, 1, now() - interval '1 day')`,
    );
    expect(rules).toEqual(["paid_cart_not_empty"]);
  });

  it("paid_cart_not_empty: a line added after the payment is a new purchase, not a violation", async () => {
    const rules = await rulesAfter(
      (tx) => tx`insert into cart_lines (cart_id, sku, variant_key, quantity, added_at)
        values (${paid.cartId}, ${classic}, ${blackMKey}, 1, now() + interval '1 minute')`,
    );
    expect(rules).toEqual([]);
  });

  it("prints each violation with its shop, rule and rows", async () => {
    let text = "";
    await server.sql
      .begin(async (tx) => {
        await tx`update stock set held = held + 1 where sku = ${classic} and variant_key = 'color:navy|size:l'`;
        text = formatViolations(await checkInvariants(tx));
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    expect(text).toContain("invariants: 1 violation");
    expect(text).toContain("[cochlearfit] held_matches_holds");
    expect(text).toContain('"variant_key":"color:navy|size:l"');
  });
});
