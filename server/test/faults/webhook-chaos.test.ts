/**
 * Webhook deliveries lost, delayed by minutes, duplicated and reordered, while storefronts poll the
 * status endpoint on both instances: every paid session ends as exactly one paid order, every
 * expired one releases its hold, and nothing is recorded twice.
 *
 * The chaos is chosen by a seeded generator, so a run is repeatable; each event's fault is armed on
 * the stand-in right before the action that emits it. "Delayed by minutes" is an event held back
 * (dropped on its first send) and delivered after the shared clock of the servers and the stand-in
 * has moved on by minutes; "lost" events are the ones Stripe would retry hours later, redelivered at
 * the end. After all that, every event is sent once more to the other instance.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeStandIn, signatureHeader, startStripeStandIn } from "../../src/stripe/stand-in/index.ts";
import { startTestServer, type TestServer } from "../harness.ts";
import { faultClusterAvailable, type PostgresCluster, startPostgresCluster } from "./postgres-cluster.ts";
import { call, classicLines, expectInvariantsHold, redeliverUndelivered } from "./support.ts";

const SESSIONS = 30;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
let cluster: PostgresCluster;
let standIn: StripeStandIn;
let a: TestServer;
let b: TestServer;

/** mulberry32: a small seeded generator, so the chaos is the same on every run. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Action = "pay" | "pay-async" | "expire" | "leave-open";
type Fault = "none" | "drop" | "duplicate" | "reorder" | "late";

describe.skipIf(!faultClusterAvailable())(
  "webhooks lost, late, duplicated and reordered while the status is polled",
  () => {
    const random = seeded(20_261_204);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)] as T;
    const sessions: { id: string; holdId: string; action: Action }[] = [];
    const late: string[] = [];

    beforeAll(async () => {
      cluster = await startPostgresCluster();
      standIn = await startStripeStandIn({
        port: 0,
        webhookSecret: "whsec_faults_chaos",
        now: () => now().getTime(),
        asyncPaymentDelayMs: 60_000,
      });
      a = await startTestServer({ postgresUrl: cluster.url, standIn, now });
      b = await startTestServer({ sameDatabaseAs: a, standIn, now });
      standIn.setWebhookUrl(`${a.url}/v1/webhooks/stripe`);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await standIn?.close();
      await cluster?.destroy();
    });

    /** Arms the fault for the next event; a late one is dropped now and delivered minutes later. */
    const faultsUsed = new Set<Fault>();
    function armNext(fault: Fault) {
      faultsUsed.add(fault);
      if (fault === "none") return;
      standIn.faults.next(fault === "late" ? "drop" : fault, 1, "webhook");
    }
    const lastEventId = () => standIn.events().at(-1)?.id ?? "";

    it("survives the chaos with the status endpoint polled all along", async () => {
      let polling = true;
      const polls: Promise<number>[] = [];
      const pollers = [a, b].map(async (server) => {
        let count = 0;
        while (polling) {
          for (const session of [...sessions]) {
            const answer = await call(server.url, `/v1/checkout/sessions/${session.id}`);
            expect(answer.status).toBe(200);
            count += 1;
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return count;
      });
      polls.push(...pollers);

      for (let i = 0; i < SESSIONS; i += 1) {
        const server = i % 2 ? a : b;
        const opened = await call(server.url, "/v1/checkout/sessions", {
          key: `webhook-chaos-${i}`,
          body: { lines: classicLines(1, pick(["black", "navy", "grey"]), pick(["s", "m", "l"])) },
        });
        expect([opened.status, opened.body.error]).toEqual([201, undefined]);
        const action = pick<Action>(["pay", "pay", "pay", "pay-async", "expire", "leave-open"]);
        sessions.push({ id: opened.body.sessionId, holdId: opened.body.holdId, action });
        if (action === "leave-open") continue;
        const fault = pick<Fault>(["none", "drop", "duplicate", "reorder", "late"]);
        armNext(fault);
        if (action === "pay") await standIn.pay(opened.body.sessionId, "paid");
        if (action === "expire") await standIn.expireNow(opened.body.sessionId);
        if (action === "pay-async") {
          await standIn.pay(opened.body.sessionId, "async");
          if (fault === "late") late.push(lastEventId());
          armNext(pick<Fault>(["none", "drop", "duplicate", "reorder", "late"]));
          await standIn.asyncResult(opened.body.sessionId, true);
        }
        if (fault === "late") late.push(lastEventId());
      }

      // Minutes later, the late ones arrive (signed with the stand-in's clock, which moved on too).
      offsetMs += 4 * 60_000;
      for (const id of late) await standIn.redeliver(id);
      // Later still, Stripe's retries bring every event that was lost or held back.
      offsetMs += 3 * 60_000;
      await redeliverUndelivered(standIn);
      polling = false;
      const counts = await Promise.all(polls);
      expect(counts.every((n) => n > 0)).toBe(true);
      // The seed does exercise every kind of trouble (and every action).
      expect([...faultsUsed].sort()).toEqual(["drop", "duplicate", "late", "none", "reorder"]);
      expect(new Set(sessions.map((s) => s.action)).size).toBe(4);
    });

    it("changes nothing when every event is delivered again, to the other instance", async () => {
      const results = await Promise.all(
        standIn.events().map(async (record) => {
          const payload = JSON.stringify(record.event);
          const response = await fetch(`${b.url}/v1/webhooks/stripe`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "stripe-signature": signatureHeader(payload, standIn.webhookSecret, Math.floor(now().getTime() / 1000)),
            },
            body: payload,
          });
          return ((await response.json()) as { result?: string }).result;
        }),
      );
      expect(new Set(results)).toEqual(new Set(["duplicate"]));
    });

    it("ends with exactly one paid order per paid session and every invariant holding", async () => {
      const orders = await a.sql<{ hold_id: string; status: string }[]>`select hold_id, status from orders`;
      const holds = await a.sql<{ id: string; status: string }[]>`select id, status from holds`;
      const orderOf = new Map(orders.map((o) => [o.hold_id, o.status]));
      const holdOf = new Map(holds.map((h) => [h.id, h.status]));
      expect(sessions).toHaveLength(SESSIONS);
      const paid = sessions.filter((s) => s.action === "pay" || s.action === "pay-async");
      expect(orders.filter((o) => o.status === "paid")).toHaveLength(paid.length);
      for (const session of sessions) {
        const expected =
          session.action === "expire"
            ? { order: undefined, hold: "released" }
            : session.action === "leave-open"
              ? { order: undefined, hold: "active" }
              : { order: "paid", hold: "committed" };
        expect({ session: session.id, order: orderOf.get(session.holdId), hold: holdOf.get(session.holdId) }).toEqual({
          session: session.id,
          ...expected,
        });
      }
      await expectInvariantsHold(a.sql, { now: now() });
    });
  },
);
