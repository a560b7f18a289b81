/**
 * The hold reaper (API.md hold lifecycle, invariants 3 and 4): a due hold's Stripe session is settled
 * first — expired when open, the hold committed when it was paid, the hold kept while Stripe cannot
 * answer or a payment is pending — and each due hold ends exactly once, however many reapers sweep.
 * Time is an injected clock shared with the server; webhooks are switched off so that only the
 * reaper settles holds here.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type StripeStandIn, startStripeStandIn } from "../../src/stripe/stand-in/index.ts";
import { startTestServer, type TestServer } from "../harness.ts";
import { checkout, holdStatus, lines, resetHolds, setOnHand, stockOf } from "./support.ts";

const ON_HAND = 12;

let clock = new Date();
const now = () => clock;

let server: TestServer;
let standIn: StripeStandIn;
beforeAll(async () => {
  server = await startTestServer({ now, reaperIntervalMs: 0 });
  if (!server.standIn) throw new Error("the test server runs without its Stripe stand-in");
  standIn = server.standIn;
  standIn.setWebhookUrl(undefined);
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  // The stand-in checks `expires_at` against the real time, so every test starts there.
  clock = new Date();
  standIn.faults.clear();
  await resetHolds(server.sql);
  await setOnHand(server.sql, ON_HAND);
});

const newKey = () => `reaper-${randomUUID()}`;

/** A checkout that got its session: its key, hold, session and amount. */
async function openCheckout(quantity = 2) {
  const key = newKey();
  const { status, body } = await checkout(server, { key, body: { lines: lines(quantity) } });
  if (status !== 201) throw new Error(`checkout answered ${status}: ${JSON.stringify(body)}`);
  return { key, holdId: body.holdId as string, sessionId: body.sessionId as string, amountTotal: body.amountTotal };
}

/**
 * A checkout whose create call failed with a connection-closing fault (armed twice: the SDK retries a
 * reset connection once on its own), leaving an active hold without a recorded session.
 */
async function orphanedCheckout(
  fault: "drop" | "lost-response",
  target: TestServer = server,
  stripe: StripeStandIn = standIn,
) {
  stripe.faults.next(fault, 2, "create");
  const { status, body } = await checkout(target, { key: newKey(), body: { lines: lines(2) } });
  if (status !== 503) throw new Error(`checkout answered ${status}: ${JSON.stringify(body)}`);
  return body.error.details.holdId as string;
}

async function hold(holdId: string, target: TestServer = server) {
  const [row] = await target.sql<{ status: string; expires_at: Date; stripe_session_id: string | null }[]>`
    select status, expires_at, stripe_session_id from holds where id = ${holdId}`;
  if (!row) throw new Error(`no hold ${holdId}`);
  return row;
}

/** Moves the shared clock just past the hold's expiry. */
async function pastExpiryOf(holdId: string, target: TestServer = server) {
  clock = new Date((await hold(holdId, target)).expires_at.getTime() + 1000);
}

async function counter(target: Pick<TestServer, "url">, name: string): Promise<number> {
  const text = await (await fetch(`${target.url}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

describe("a due hold with an open session", () => {
  it("the sweep expires the Stripe session first", async () => {
    const { holdId, sessionId } = await openCheckout();
    await pastExpiryOf(holdId);
    await server.reaper.sweep();
    expect(standIn.session(sessionId)?.status).toBe("expired");
  });

  it("ends the hold as expired and makes its stock available again", async () => {
    const { holdId } = await openCheckout();
    expect((await stockOf(server.sql)).held).toBe(2);
    await pastExpiryOf(holdId);
    expect(await server.reaper.sweep()).toEqual({ expired: 1, committed: 0, kept: 0 });
    expect(await holdStatus(server.sql, holdId)).toBe("expired");
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: ON_HAND, held: 0 });
  });

  it("counts it in inventory_hold_expired_total", async () => {
    const before = await counter(server, "inventory_hold_expired_total");
    const { holdId } = await openCheckout();
    await pastExpiryOf(holdId);
    await server.reaper.sweep();
    expect(await counter(server, "inventory_hold_expired_total")).toBe(before + 1);
  });
});

describe("a hold not yet due", () => {
  it("is left alone: hold active, stock held, session open", async () => {
    const { holdId, sessionId } = await openCheckout();
    clock = new Date((await hold(holdId)).expires_at.getTime() - 1000);
    expect(await server.reaper.sweep()).toEqual({ expired: 0, committed: 0, kept: 0 });
    expect(await holdStatus(server.sql, holdId)).toBe("active");
    expect((await stockOf(server.sql)).held).toBe(2);
    expect(standIn.session(sessionId)?.status).toBe("open");
  });
});

describe("a due hold whose session was paid just before expiry", () => {
  async function paidAndSwept() {
    const paid = await openCheckout();
    await standIn.pay(paid.sessionId, "paid");
    await pastExpiryOf(paid.holdId);
    const tally = await server.reaper.sweep();
    return { ...paid, tally };
  }

  it("is committed instead of expired", async () => {
    const { holdId, tally } = await paidAndSwept();
    expect(tally).toEqual({ expired: 0, committed: 1, kept: 0 });
    expect(await holdStatus(server.sql, holdId)).toBe("committed");
  });

  it("takes its stock off hand for good: on_hand down, held back to 0, committed up", async () => {
    const committedBefore = (await stockOf(server.sql)).committed;
    await paidAndSwept();
    expect(await stockOf(server.sql)).toEqual({ on_hand: ON_HAND - 2, held: 0, committed: committedBefore + 2 });
  });

  it("records one paid order for the hold's amount", async () => {
    const { holdId, sessionId, amountTotal } = await paidAndSwept();
    const orders = await server.sql<{ status: string; amount_total: number; stripe_session_id: string }[]>`
      select status, amount_total, stripe_session_id from orders where hold_id = ${holdId}`;
    expect(orders).toEqual([{ status: "paid", amount_total: amountTotal, stripe_session_id: sessionId }]);
  });

  it("answers a later checkout with the same key 409 ALREADY_COMPLETED naming that order", async () => {
    const { key, holdId } = await paidAndSwept();
    const [order] = await server.sql<{ id: string }[]>`select id from orders where hold_id = ${holdId}`;
    const again = await checkout(server, { key, body: { lines: lines(2) } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_COMPLETED");
    expect(again.body.error.details.orderId).toBe(order?.id);
  });
});

describe("a due hold whose create call was dropped (no session recorded, none created)", () => {
  it("the sweep asks Stripe again under the hold's key and expires the session that answer names", async () => {
    const holdId = await orphanedCheckout("drop");
    const before = standIn.stats();
    await pastExpiryOf(holdId);
    await server.reaper.sweep();
    const { stripe_session_id: sessionId } = await hold(holdId);
    expect(standIn.stats().calls.create - before.calls.create).toBe(1);
    expect(sessionId).not.toBeNull();
    const session = standIn.session(sessionId ?? "");
    expect(session?.client_reference_id).toBe(holdId);
    expect(session?.status).toBe("expired");
  });

  it("ends the hold as expired, its stock available again", async () => {
    const holdId = await orphanedCheckout("drop");
    await pastExpiryOf(holdId);
    await server.reaper.sweep();
    expect(await holdStatus(server.sql, holdId)).toBe("expired");
    expect((await stockOf(server.sql)).held).toBe(0);
  });

  it("counts it in inventory_hold_orphaned_total", async () => {
    const before = await counter(server, "inventory_hold_orphaned_total");
    const holdId = await orphanedCheckout("drop");
    await pastExpiryOf(holdId);
    await server.reaper.sweep();
    expect(await counter(server, "inventory_hold_orphaned_total")).toBe(before + 1);
  });
});

describe("a due hold whose create call's response was lost (session created, id never learned)", () => {
  it("the sweep finds the session by an idempotent replay and expires it: no second session", async () => {
    const before = standIn.stats();
    const holdId = await orphanedCheckout("lost-response");
    const swept = standIn.stats();
    await pastExpiryOf(holdId);
    await server.reaper.sweep();
    const after = standIn.stats();
    expect(after.sessionsCreated - before.sessionsCreated).toBe(1);
    expect(after.replays.create - swept.replays.create).toBe(1);
    const { stripe_session_id: sessionId } = await hold(holdId);
    expect(standIn.session(sessionId ?? "")?.status).toBe("expired");
  });

  it("ends the hold, never leaving a unit stuck", async () => {
    const holdId = await orphanedCheckout("lost-response");
    await pastExpiryOf(holdId);
    await server.reaper.sweep();
    expect(await holdStatus(server.sql, holdId)).toBe("expired");
    expect((await stockOf(server.sql)).held).toBe(0);
  });
});

describe("a due hold while Stripe is unavailable", () => {
  it("is kept, its stock still held, when retrieving its session fails with 503", async () => {
    const { holdId, sessionId } = await openCheckout();
    await pastExpiryOf(holdId);
    standIn.faults.next("503", 1, "retrieve");
    expect(await server.reaper.sweep()).toEqual({ expired: 0, committed: 0, kept: 1 });
    expect(await holdStatus(server.sql, holdId)).toBe("active");
    expect((await stockOf(server.sql)).held).toBe(2);
    expect(standIn.session(sessionId)?.status).toBe("open");
  });

  it("is expired by the next sweep once Stripe answers again", async () => {
    const { holdId, sessionId } = await openCheckout();
    await pastExpiryOf(holdId);
    standIn.faults.next("503", 1, "retrieve");
    await server.reaper.sweep();
    expect(await server.reaper.sweep()).toEqual({ expired: 1, committed: 0, kept: 0 });
    expect(await holdStatus(server.sql, holdId)).toBe("expired");
    expect((await stockOf(server.sql)).held).toBe(0);
    expect(standIn.session(sessionId)?.status).toBe("expired");
  });
});

describe("stripe_error_classification_total during a sweep", () => {
  it("names the hold's shop", async () => {
    const series = 'stripe_error_classification_total{classification="unknown",type="api_error",shop="cochlearfit"}';
    const metric = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    };
    const { holdId } = await openCheckout();
    await pastExpiryOf(holdId);
    const before = await metric();
    standIn.faults.next("503", 1, "retrieve");
    await server.reaper.sweep();
    expect(await metric()).toBe(before + 1);
  });
});

describe("a due hold whose session Stripe refuses to expire or show", () => {
  it("is kept while the session is still open (a key without write access: 403 on expire)", async () => {
    const { holdId, sessionId } = await openCheckout();
    await pastExpiryOf(holdId);
    standIn.faults.next("403", 1, "expire");
    expect(await server.reaper.sweep()).toEqual({ expired: 0, committed: 0, kept: 1 });
    expect(standIn.session(sessionId)?.status).toBe("open");
    expect(await holdStatus(server.sql, holdId)).toBe("active");
    expect((await stockOf(server.sql)).held).toBe(2);
  });

  it("is kept when Stripe refuses to show the session (401): only a 404 proves it missing", async () => {
    const { holdId, sessionId } = await openCheckout();
    await pastExpiryOf(holdId);
    standIn.faults.next("401", 1, "retrieve");
    expect(await server.reaper.sweep()).toEqual({ expired: 0, committed: 0, kept: 1 });
    expect(standIn.session(sessionId)?.status).toBe("open");
    expect(await holdStatus(server.sql, holdId)).toBe("active");
    expect((await stockOf(server.sql)).held).toBe(2);
  });

  it("ends as expired when Stripe says its recorded session does not exist (404)", async () => {
    const { holdId } = await openCheckout();
    await pastExpiryOf(holdId);
    standIn.faults.next("404", 1, "retrieve");
    expect(await server.reaper.sweep()).toEqual({ expired: 1, committed: 0, kept: 0 });
    expect(await holdStatus(server.sql, holdId)).toBe("expired");
    expect((await stockOf(server.sql)).held).toBe(0);
  });
});

describe("a due hold whose asynchronous payment is still pending", () => {
  it("stays active with its stock held, and its expiry moves later", async () => {
    const { holdId, sessionId } = await openCheckout();
    const pending = await standIn.pay(sessionId, "async");
    expect(pending).toMatchObject({ status: "complete", payment_status: "unpaid" });
    await pastExpiryOf(holdId);
    const sweptAt = clock.getTime();
    expect(await server.reaper.sweep()).toEqual({ expired: 0, committed: 0, kept: 1 });
    const after = await hold(holdId);
    expect(after.status).toBe("active");
    expect(after.expires_at.getTime()).toBeGreaterThan(sweptAt);
    expect((await stockOf(server.sql)).held).toBe(2);
  });
});

describe("a due orphaned hold when Stripe's clock agrees with ours", () => {
  // Here Stripe has expired the session on its own by the time the hold is due (the hold outlives
  // its session by a grace period), and refuses the frozen `expires_at` as in the past.
  let synced: TestServer;
  let syncedStripe: StripeStandIn;
  beforeAll(async () => {
    syncedStripe = await startStripeStandIn({ webhookSecret: "whsec_reaper_synced", now: () => clock.getTime() });
    synced = await startTestServer({ sameDatabaseAs: server, standIn: syncedStripe, now, reaperIntervalMs: 0 });
  });
  afterAll(async () => {
    await synced?.close();
    await syncedStripe?.close();
  });
  beforeEach(() => {
    syncedStripe.faults.clear();
  });

  it("a dropped create: Stripe's 400 to the re-ask proves no session, and the hold ends without one", async () => {
    const holdId = await orphanedCheckout("drop", synced, syncedStripe);
    const before = syncedStripe.stats();
    await pastExpiryOf(holdId, synced);
    expect(await synced.reaper.sweep()).toEqual({ expired: 1, committed: 0, kept: 0 });
    expect(syncedStripe.stats().calls.create - before.calls.create).toBe(1);
    expect(syncedStripe.stats().sessionsCreated).toBe(before.sessionsCreated);
    expect(await hold(holdId, synced)).toMatchObject({ status: "expired", stripe_session_id: null });
    expect((await stockOf(synced.sql)).held).toBe(0);
  });

  it("a lost response: the re-ask replays the session, which Stripe has expired, and the hold ends", async () => {
    const holdId = await orphanedCheckout("lost-response", synced, syncedStripe);
    const before = syncedStripe.stats();
    await pastExpiryOf(holdId, synced);
    expect(await synced.reaper.sweep()).toEqual({ expired: 1, committed: 0, kept: 0 });
    expect(syncedStripe.stats().replays.create - before.replays.create).toBe(1);
    const { status, stripe_session_id: sessionId } = await hold(holdId, synced);
    expect(status).toBe("expired");
    expect(syncedStripe.session(sessionId ?? "")?.status).toBe("expired");
    expect((await stockOf(synced.sql)).held).toBe(0);
  });
});

describe("two reapers sweeping at once", () => {
  let other: TestServer;
  beforeAll(async () => {
    other = await startTestServer({ sameDatabaseAs: server, standIn, now, reaperIntervalMs: 0 });
  });
  afterAll(async () => {
    await other?.close();
  });

  it("end each due hold exactly once, and held stock returns to exactly 0", async () => {
    const holds = [await openCheckout(1), await openCheckout(1), await openCheckout(1)];
    expect((await stockOf(server.sql)).held).toBe(holds.length);
    const expiredBefore =
      (await counter(server, "inventory_hold_expired_total")) + (await counter(other, "inventory_hold_expired_total"));
    clock = new Date(
      Math.max(...(await Promise.all(holds.map(async (h) => (await hold(h.holdId)).expires_at.getTime())))) + 1000,
    );

    await Promise.all([server.reaper.sweep(), other.reaper.sweep()]);

    const expiredAfter =
      (await counter(server, "inventory_hold_expired_total")) + (await counter(other, "inventory_hold_expired_total"));
    expect(expiredAfter - expiredBefore).toBe(holds.length);
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: ON_HAND, held: 0 });
    for (const h of holds) {
      expect(await holdStatus(server.sql, h.holdId)).toBe("expired");
      expect(standIn.session(h.sessionId)?.status).toBe("expired");
    }
  });
});
