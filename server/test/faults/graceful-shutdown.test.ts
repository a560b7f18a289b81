/**
 * Graceful shutdown: on SIGTERM the server (the production entry point, in its own process) stops
 * accepting connections, finishes the requests in flight and exits 0 within a bound. The request in
 * flight is a checkout whose Stripe call the stand-in holds open (a `delay:` fault); the barrier on
 * the stand-in's call count proves it is in flight before the signal is sent.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { type StripeStandIn, startStripeStandIn } from "../../src/stripe/stand-in/index.ts";
import { faultClusterAvailable, type PostgresCluster, startPostgresCluster } from "./postgres-cluster.ts";
import { type ChildServer, call, classicLines, expectInvariantsHold, startChildServer } from "./support.ts";

/**
 * From SIGTERM to exit: the delayed Stripe call (1.5 s) plus closing up, with room for a loaded
 * machine; below main.ts's own hard bound (15 s), so passing means it finished, not that it was cut.
 */
const EXIT_BOUND_MS = 10_000;

let cluster: PostgresCluster;
let standIn: StripeStandIn;
let server: ChildServer;
let db: Database;

/** A request on a new connection (no keep-alive pool), so a closed listener shows as a refusal. */
function freshConnection(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    req.end();
  });
}

describe.skipIf(!faultClusterAvailable())("SIGTERM", () => {
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    standIn = await startStripeStandIn({ port: 0, webhookSecret: "whsec_faults_sigterm" });
    const databaseUrl = await cluster.createDatabase("sigterm");
    server = await startChildServer({ databaseUrl, standIn });
    db = await openDatabase({ url: databaseUrl, max: 1 });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
    await standIn?.close();
    await cluster?.destroy();
  });

  it("stops accepting, finishes the checkout in flight and exits 0 within the bound", async () => {
    // A keep-alive connection left idle must not hold the process open.
    expect((await call(server.url, "/healthz")).status).toBe(200);
    const calls = standIn.stats().calls.create;
    standIn.faults.next("delay:1500", 1, "create");
    const inFlight = call(server.url, "/v1/checkout/sessions", {
      key: "sigterm-in-flight",
      body: { lines: classicLines(1) },
    });
    await vi.waitFor(() => expect(standIn.stats().calls.create).toBe(calls + 1), { timeout: 10_000, interval: 10 });

    const signalled = performance.now();
    server.kill("SIGTERM");
    await server.line(/"msg":"shutting down"/);
    expect(await freshConnection(server.url)).toBe("ECONNREFUSED");

    const answer = await inFlight;
    expect([answer.status, answer.body.error]).toEqual([201, undefined]);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalled).toBeLessThan(EXIT_BOUND_MS);

    const [hold] = await db.sql<{ status: string; stripe_session_id: string | null }[]>`
      select status, stripe_session_id from holds where intent_key = 'key:sigterm-in-flight'`;
    expect(hold).toEqual({ status: "active", stripe_session_id: answer.body.sessionId });
    await expectInvariantsHold(db.sql);
  });
});
