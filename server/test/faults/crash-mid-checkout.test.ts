/**
 * A server instance is SIGKILLed at each step of a checkout while another keeps serving. Instance A
 * is the production entry point in a child process; instance B runs here, on the same database (the
 * test's own PostgreSQL cluster) and the same Stripe stand-in.
 *
 * A is stopped exactly at the step by the test-only pause (COMMERCE_TEST_PAUSE_AT, which prints a
 * line and never resumes) or, during the Stripe call, by a `delay:` fault with a barrier on the
 * stand-in's call count. Two checkouts are caught at the step each time: one the shopper retries on
 * B with the same Idempotency-Key (it must converge on the same hold and one Stripe session), one
 * nobody retries (the reaper must expire it and give its unit back). Never a double hold, never a
 * stuck unit: the invariant checker runs after each step.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HOLD_GRACE_SECONDS } from "../../src/checkout/create-session.ts";
import { type StripeStandIn, startStripeStandIn } from "../../src/stripe/stand-in/index.ts";
import { startTestServer, type TestServer } from "../harness.ts";
import { faultClusterAvailable, type PostgresCluster, startPostgresCluster } from "./postgres-cluster.ts";
import {
  type Answer,
  call,
  classicLines,
  expectInvariantsHold,
  holdsOfKey,
  startChildServer,
  stockRow,
} from "./support.ts";

const SESSION_TTL_SECONDS = 3600;
/** The shared clock of B and the stand-in; A (another process) keeps the real one. */
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);

let cluster: PostgresCluster;
let standIn: StripeStandIn;
let b: TestServer;

type Step = "after-hold" | "during-stripe-call" | "after-stripe-call" | "before-response";
const steps: Step[] = ["after-hold", "during-stripe-call", "after-stripe-call", "before-response"];

describe.skipIf(!faultClusterAvailable())("an instance killed at each step of checkout", () => {
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    standIn = await startStripeStandIn({
      port: 0,
      webhookSecret: "whsec_faults_crash",
      now: () => now().getTime(),
    });
    b = await startTestServer({ postgresUrl: cluster.url, standIn, now });
    standIn.setWebhookUrl(`${b.url}/v1/webhooks/stripe`);
  });
  afterAll(async () => {
    await b?.close();
    await standIn?.close();
    await cluster?.destroy();
  });

  describe.each(steps)("killed %s", (step) => {
    const retried = `crash-${step}-retried`;
    const abandoned = `crash-${step}-abandoned`;
    let killedAnswers: Answer[];
    let sessionsBefore: number;
    let onHandBefore: number;

    it("dies at the step with both checkouts caught there", async () => {
      offsetMs = 0;
      standIn.faults.clear();
      sessionsBefore = standIn.stats().sessionsCreated;
      onHandBefore = (await stockRow(b.sql)).on_hand;
      const databaseUrl = b.testDatabase.url;
      if (!databaseUrl) throw new Error("B has no database URL");
      const a = await startChildServer({
        databaseUrl,
        standIn,
        env: step === "during-stripe-call" ? {} : { COMMERCE_TEST_PAUSE_AT: step },
      });
      const calls = standIn.stats().calls.create;
      // During the Stripe call: the stand-in holds both creates open long enough to kill A under them.
      if (step === "during-stripe-call") standIn.faults.next("delay:2000", 2, "create");
      const pending = [retried, abandoned].map((key) =>
        call(a.url, "/v1/checkout/sessions", { key, body: { lines: classicLines(1) } }),
      );
      if (step === "during-stripe-call") {
        await vi.waitFor(() => expect(standIn.stats().calls.create).toBe(calls + 2), { timeout: 10_000, interval: 10 });
      } else {
        await Promise.all([a.line(new RegExp(`^test-pause ${step} `)), waitForPauses(a, step, 2)]);
      }
      a.kill("SIGKILL");
      expect(await a.exited).toEqual({ code: null, signal: "SIGKILL" });
      killedAnswers = await Promise.all(pending);
      // The shopper saw the connection drop: no answer at all.
      expect(killedAnswers.map((r) => r.status)).toEqual([0, 0]);
      for (const key of [retried, abandoned])
        expect((await holdsOfKey(b.sql, key)).map((h) => h.status)).toEqual(["active"]);
    });

    it("converges when the shopper retries with the same key on the other instance", async () => {
      let retry = await call(b.url, "/v1/checkout/sessions", { key: retried, body: { lines: classicLines(1) } });
      if (step === "during-stripe-call") {
        // The killed instance's create is still running at Stripe under the hold's key: outcome unknown.
        expect([retry.status, retry.body.error?.code]).toEqual([503, "PAYMENT_PROVIDER_UNAVAILABLE"]);
        expect(retry.headers.get("retry-after")).toMatch(/^\d+$/);
        await vi.waitFor(() => expect(standIn.stats().sessionsCreated).toBe(sessionsBefore + 2), {
          timeout: 10_000,
          interval: 10,
        });
        retry = await call(b.url, "/v1/checkout/sessions", { key: retried, body: { lines: classicLines(1) } });
      }
      expect(retry.status).toBe(200);
      expect(retry.body.replayed).toBe(true);
      const holds = await holdsOfKey(b.sql, retried);
      expect(holds).toHaveLength(1);
      expect(retry.body.holdId).toBe(holds[0]?.id);
      expect(holds[0]?.stripe_session_id).toBe(retry.body.sessionId);
      expect(standIn.session(retry.body.sessionId)?.metadata.hold_id).toBe(retry.body.holdId);
      // Once more: the same pair again, nothing new anywhere.
      const again = await call(b.url, "/v1/checkout/sessions", { key: retried, body: { lines: classicLines(1) } });
      expect([again.status, again.body.holdId, again.body.sessionId]).toEqual([
        200,
        retry.body.holdId,
        retry.body.sessionId,
      ]);
      await standIn.pay(retry.body.sessionId, "paid");
      expect((await holdsOfKey(b.sql, retried)).map((h) => h.status)).toEqual(["committed"]);
    });

    it("expires what nobody came back for and gives its unit back", async () => {
      // Past the session's expiry and the hold's grace, as the reaper sees it.
      offsetMs = (SESSION_TTL_SECONDS + HOLD_GRACE_SECONDS + 60) * 1000;
      await b.reaper.sweep();
      const [left] = await holdsOfKey(b.sql, abandoned);
      expect(left && ["expired", "released"]).toContain(left?.status);
      // One Stripe session at most per hold: the paid one, and the abandoned one's if it got that far.
      const created = standIn.stats().sessionsCreated - sessionsBefore;
      expect(created).toBe(step === "after-hold" ? 1 : 2);
      const stock = await stockRow(b.sql);
      expect(stock).toMatchObject({ on_hand: onHandBefore - 1, held: 0 });
      await expectInvariantsHold(b.sql, { now: now() });
    });
  });
});

/** Resolves once `count` pause lines for `step` have been printed (each checkout stops there). */
async function waitForPauses(a: { output(): string[] }, step: string, count: number): Promise<void> {
  await vi.waitFor(
    () => expect(a.output().filter((line) => line.startsWith(`test-pause ${step} `))).toHaveLength(count),
    { timeout: 10_000, interval: 10 },
  );
}
