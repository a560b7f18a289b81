/**
 * Stripe unreachable for a minute, then back. Every Stripe call meanwhile has its connection dropped
 * on arrival (the stand-in's `drop` fault, armed for every operation), so nothing is created there.
 *
 * "A minute" is the server's and the stand-in's injected clock moved on by 60 s rather than a minute
 * of wall time: nothing in the checkout path waits on wall time (the SDK's timeout is per call and a
 * dropped connection fails at once), so the behaviour is the same and the test takes a second.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeStandIn, startStripeStandIn } from "../../src/stripe/stand-in/index.ts";
import { startTestServer, type TestServer } from "../harness.ts";
import { faultClusterAvailable, type PostgresCluster, startPostgresCluster } from "./postgres-cluster.ts";
import { call, classicLines, expectInvariantsHold, holdsOfKey, stockRow } from "./support.ts";

let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
let cluster: PostgresCluster;
let standIn: StripeStandIn;
let server: TestServer;

const keys = [0, 1, 2, 3, 4].map((i) => `stripe-down-${i}`);
const buy = (key: string) => call(server.url, "/v1/checkout/sessions", { key, body: { lines: classicLines(1) } });

describe.skipIf(!faultClusterAvailable())("Stripe unreachable for a minute, then back", () => {
  let paidBefore: string;
  let openBefore: string;
  let onHand: number;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    standIn = await startStripeStandIn({ port: 0, webhookSecret: "whsec_faults_stripe", now: () => now().getTime() });
    server = await startTestServer({ postgresUrl: cluster.url, standIn, now, stripeTimeoutMs: 2000 });
    standIn.setWebhookUrl(`${server.url}/v1/webhooks/stripe`);
    const paid = await buy("stripe-down-paid-before");
    await standIn.pay(paid.body.sessionId, "paid");
    paidBefore = paid.body.sessionId;
    openBefore = (await buy("stripe-down-open-before")).body.sessionId;
    onHand = (await stockRow(server.sql)).on_hand;
  });
  afterAll(async () => {
    await server?.close();
    await standIn?.close();
    await cluster?.destroy();
  });

  it("answers new checkouts 503 PAYMENT_PROVIDER_UNAVAILABLE with Retry-After and keeps their holds", async () => {
    for (const operation of ["create", "retrieve", "expire"] as const) standIn.faults.next("drop", 1e9, operation);
    const answers = await Promise.all(keys.map(buy));
    for (const answer of answers) {
      expect([answer.status, answer.body.error?.code]).toEqual([503, "PAYMENT_PROVIDER_UNAVAILABLE"]);
      expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    for (const key of keys) expect((await holdsOfKey(server.sql, key)).map((h) => h.status)).toEqual(["active"]);
    expect((await stockRow(server.sql)).held).toBe(1 + keys.length);
  });

  it("answers status from its own records when it can, 503 with Retry-After when it must ask Stripe", async () => {
    const recorded = await call(server.url, `/v1/checkout/sessions/${paidBefore}`);
    expect([recorded.status, recorded.body.paymentStatus]).toEqual([200, "paid"]);
    const unknown = await call(server.url, `/v1/checkout/sessions/${openBefore}`);
    expect([unknown.status, unknown.body.error?.code]).toEqual([503, "PAYMENT_PROVIDER_UNAVAILABLE"]);
    expect(unknown.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("still keeps the holds a minute later, and retries meanwhile take nothing more", async () => {
    offsetMs = 60_000;
    const retries = await Promise.all(keys.map(buy));
    expect(retries.map((r) => r.status)).toEqual(keys.map(() => 503));
    await server.reaper.sweep();
    for (const key of keys) expect((await holdsOfKey(server.sql, key)).map((h) => h.status)).toEqual(["active"]);
    expect((await stockRow(server.sql)).held).toBe(1 + keys.length);
    expect(standIn.stats().sessionsCreated).toBe(2);
  });

  it("converges once Stripe is back: the same holds, one session each", async () => {
    standIn.faults.clear();
    const holdIds = await Promise.all(keys.map(async (key) => (await holdsOfKey(server.sql, key))[0]?.id));
    const retries = await Promise.all(keys.map(buy));
    expect(retries.map((r) => r.status)).toEqual(keys.map(() => 200));
    expect(retries.map((r) => r.body.holdId)).toEqual(holdIds);
    expect(standIn.stats().sessionsCreated).toBe(2 + keys.length);
    for (const retry of retries) await standIn.pay(retry.body.sessionId, "paid");
    expect(await stockRow(server.sql)).toMatchObject({ on_hand: onHand - keys.length, held: 1 });
    const [orders] = await server.sql<{ n: number }[]>`select count(*)::int as n from orders where status = 'paid'`;
    expect(orders?.n).toBe(1 + keys.length);
    await expectInvariantsHold(server.sql, { now: now() });
  });
});
