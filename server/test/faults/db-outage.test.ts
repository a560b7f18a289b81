/**
 * PostgreSQL stops in the middle of a burst of checkouts and webhooks, then comes back. Two server
 * instances (the production entry point, each in its own process) share the test's own cluster
 * (never the machine's PostgreSQL) and one Stripe stand-in in this process.
 *
 * - Checkouts in flight when it stops (their Stripe call held open by a `delay:` fault, a barrier on
 *   the stand-in's call count proving they are there) answer 503 NOT_READY.
 * - Every request during the outage answers 503 NOT_READY quickly; webhooks too, so Stripe retries.
 * - After the restart both instances are ready again without being restarted; retries with the same
 *   keys converge on the same holds and sessions; redelivered webhooks record each payment once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { type StripeStandIn, startStripeStandIn } from "../../src/stripe/stand-in/index.ts";
import { faultClusterAvailable, type PostgresCluster, startPostgresCluster } from "./postgres-cluster.ts";
import {
  type Answer,
  type ChildServer,
  call,
  classicLines,
  expectInvariantsHold,
  holdsOfKey,
  redeliverUndelivered,
  startChildServer,
  stockRow,
} from "./support.ts";

/** Each request during the outage must be answered within this (the pool's connect timeout is 5 s). */
const OUTAGE_ANSWER_BOUND_MS = 3_000;

let cluster: PostgresCluster;
let standIn: StripeStandIn;
let a: ChildServer;
let b: ChildServer;
/** The test's own connections, for looking at what the servers left behind. */
let db: Database;

describe.skipIf(!faultClusterAvailable())("PostgreSQL stops during a burst and comes back", () => {
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    standIn = await startStripeStandIn({ port: 0, webhookSecret: "whsec_faults_outage" });
    const databaseUrl = await cluster.createDatabase("outage");
    // One after the other: the first migrates and seeds the empty database.
    a = await startChildServer({ databaseUrl, standIn, env: { LOG_LEVEL: "warn" } });
    b = await startChildServer({ databaseUrl, standIn, env: { LOG_LEVEL: "warn" } });
    db = await openDatabase({ url: databaseUrl, max: 2 });
    standIn.setWebhookUrl(`${a.url}/v1/webhooks/stripe`);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await standIn?.close();
    await cluster?.destroy();
  });

  const checkoutOn = (server: ChildServer, key: string, quantity = 1) =>
    call(server.url, "/v1/checkout/sessions", { key, body: { lines: classicLines(quantity) } });

  const before: Answer[] = [];
  let inFlight: Answer[] = [];
  let during: { name: string; answer: Answer }[] = [];
  const paidDuringOutage: string[] = [];

  it("serves checkouts and payments before the outage", async () => {
    for (const [i, server] of [a, b, a, b, a, b].entries()) before.push(await checkoutOn(server, `outage-before-${i}`));
    expect(before.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    await standIn.pay(before[0]?.body.sessionId, "paid");
    await standIn.pay(before[1]?.body.sessionId, "paid");
    const [paid] = await db.sql<{ n: number }[]>`select count(*)::int as n from orders where status = 'paid'`;
    expect(paid?.n).toBe(2);
  });

  it("answers checkouts in flight when it stops with 503 NOT_READY", async () => {
    const calls = standIn.stats().calls.create;
    const sessions = standIn.stats().sessionsCreated;
    standIn.faults.next("delay:1500", 2, "create");
    const pending = [checkoutOn(a, "outage-inflight-a"), checkoutOn(b, "outage-inflight-b")];
    // Barrier: both holds are taken and both Stripe calls are at the stand-in, transactions open.
    await vi.waitFor(() => expect(standIn.stats().calls.create).toBe(calls + 2), { timeout: 5000, interval: 10 });
    await cluster.stop("immediate");
    inFlight = await Promise.all(pending);
    expect(inFlight.map((r) => [r.status, r.body.error?.code])).toEqual([
      [503, "NOT_READY"],
      [503, "NOT_READY"],
    ]);
    // The server answered as soon as its connection died; Stripe finishes both sessions regardless.
    await vi.waitFor(() => expect(standIn.stats().sessionsCreated).toBe(sessions + 2), { timeout: 5000, interval: 10 });
  });

  it("answers every request during the outage with a typed 503 within the bound", async () => {
    const sessionId = before[0]?.body.sessionId;
    const requests: [string, Promise<Answer>][] = [
      ["readyz a", call(a.url, "/readyz")],
      ["readyz b", call(b.url, "/readyz")],
      ["catalog", call(b.url, "/v1/catalog")],
      ["cart", call(a.url, "/v1/carts", { body: { lines: classicLines(1) } })],
      ["validate", call(b.url, "/v1/inventory/validate", { body: { items: classicLines(1) } })],
      ["status", call(a.url, `/v1/checkout/sessions/${sessionId}`)],
      ...[0, 1, 2, 3].map(
        (i) => [`checkout ${i}`, checkoutOn(i % 2 ? a : b, `outage-during-${i}`)] as [string, Promise<Answer>],
      ),
    ];
    // Payments completed meanwhile: their webhooks meet the outage (and get 503, so Stripe retries).
    const payments = [before[2], before[3]].map(async (r) => {
      paidDuringOutage.push(r?.body.sessionId);
      await standIn.pay(r?.body.sessionId, "paid");
    });
    during = await Promise.all(requests.map(async ([name, answer]) => ({ name, answer: await answer })));
    await Promise.all(payments);
    for (const { name, answer } of during) {
      expect([name, answer.status, answer.body.error?.code]).toEqual([name, 503, "NOT_READY"]);
      expect(answer.ms, name).toBeLessThan(OUTAGE_ANSWER_BOUND_MS);
    }
    expect(during.find((r) => r.name === "checkout 0")?.answer.headers.get("retry-after")).toMatch(/^\d+$/);
    const webhookStatuses = standIn
      .events()
      .filter((event) => event.type === "checkout.session.completed")
      .filter((event) => paidDuringOutage.includes((event.event.data.object as { id: string }).id))
      .flatMap((event) => event.attempts.map((attempt) => attempt.status));
    expect(webhookStatuses.length).toBeGreaterThan(0);
    expect(new Set(webhookStatuses)).toEqual(new Set([503]));
  });

  it("is ready again on both instances once PostgreSQL is back, without a restart", async () => {
    await cluster.start();
    await vi.waitFor(
      async () => {
        expect((await call(a.url, "/readyz")).status).toBe(200);
        expect((await call(b.url, "/readyz")).status).toBe(200);
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it("converges when the clients retry with the same keys", async () => {
    const sessionsBefore = standIn.stats().sessionsCreated;
    // The in-flight ones: their holds and Stripe sessions exist; the retry finds and records them.
    for (const [server, key] of [
      [b, "outage-inflight-a"],
      [a, "outage-inflight-b"],
    ] as const) {
      const retry = await checkoutOn(server, key);
      expect(retry.status).toBe(200);
      const holds = await holdsOfKey(db.sql, key);
      expect(holds.map((h) => h.status)).toEqual(["active"]);
      expect(retry.body.holdId).toBe(holds[0]?.id);
      expect(standIn.session(retry.body.sessionId)?.metadata.hold_id).toBe(retry.body.holdId);
    }
    expect(standIn.stats().sessionsCreated).toBe(sessionsBefore);
    // The ones refused during the outage never took anything: their retry is a first checkout.
    for (const i of [0, 1, 2, 3]) {
      const retry = await checkoutOn(i % 2 ? b : a, `outage-during-${i}`);
      expect(retry.status).toBe(201);
    }
  });

  it("records each payment once when Stripe redelivers, and every invariant holds", async () => {
    // Neither instance went down on the way: before patches/postgres@3.4.10.patch guarded nextWrite, a
    // write on a connection that died mid-transaction threw outside every promise and ended the process.
    expect([a.process.exitCode, b.process.exitCode]).toEqual([null, null]);
    expect(await redeliverUndelivered(standIn)).toBeGreaterThan(0);
    const orders = await db.sql<{ stripe_session_id: string; status: string }[]>`
      select stripe_session_id, status from orders order by created_at`;
    const paidSessions = [before[0], before[1], before[2], before[3]].map((r) => r?.body.sessionId);
    expect(orders.map((o) => o.stripe_session_id).sort()).toEqual([...paidSessions].sort());
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set(["paid"]));
    // 4 sold; 2 + 2 + 4 still held by the open checkouts.
    expect(await stockRow(db.sql)).toEqual({ on_hand: 8, held: 8, committed: 4 });
    await expectInvariantsHold(db.sql);
  });
});
