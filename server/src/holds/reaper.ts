/**
 * Ends holds whose time ran out (API.md, hold lifecycle). For each due hold it first settles the
 * Stripe session: a session that completed and was paid commits the hold instead; an open one is
 * expired first, so no one can pay for stock we give back (invariant 4). An unknown answer leaves
 * the hold for the next sweep. Safe with many instances: each hold is worked on under
 * `FOR UPDATE SKIP LOCKED`, so two reapers never touch the same hold.
 */
import type { Logger } from "pino";
import type { Sql, Tx } from "../db/database.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import { classifyStripeFailure } from "../stripe/classify.ts";
import type { PaymentGateway, StripeSession } from "../stripe/gateway.ts";
import { applySessionOutcome, countEffect } from "../webhooks/session-effects.ts";
import { type Hold, type HoldRow, toHold } from "./hold.ts";
import { recordSession, releaseHold } from "./hold-store.ts";

export interface ReaperDeps {
  sql: Sql;
  gateway: PaymentGateway;
  shops: ShopDirectory;
  platformSecretKey: string;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
}

export type ReapOutcome = "expired" | "committed" | "kept";

export interface Reaper {
  /** One pass over the due holds; returns what became of each. */
  sweep(limit?: number): Promise<Record<ReapOutcome, number>>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** A payment still pending (asynchronous methods) is looked at again this much later. */
const PENDING_RECHECK_MS = 15 * 60 * 1000;

export function createReaper(deps: ReaperDeps): Reaper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function sweep(limit = 100) {
    const tally: Record<ReapOutcome, number> = { expired: 0, committed: 0, kept: 0 };
    const due = await deps.sql<{ id: string }[]>`
      select id from holds where status = 'active' and expires_at <= ${deps.now()}
      order by expires_at limit ${limit}`;
    for (const { id } of due) {
      const outcome = await deps.sql
        .begin(async (tx) => {
          const [row] = await tx<HoldRow[]>`
            select * from holds where id = ${id} and status = 'active' for update skip locked`;
          return row ? reap(tx, toHold(row)) : "kept";
        })
        .catch((error: unknown) => {
          deps.logger.error({ err: error, holdId: id }, "reaping a hold failed");
          return "kept" as const;
        });
      tally[outcome] += 1;
    }
    return tally;
  }

  async function reap(tx: Tx, hold: Hold): Promise<ReapOutcome> {
    const shop = await deps.shops.get(hold.shopId);
    const key = shop?.stripeSecretKey ?? deps.platformSecretKey;
    const log = deps.logger.child({ holdId: hold.id, shop: hold.shopId });

    let sessionId = hold.stripeSessionId;
    if (!sessionId) {
      // The create call's outcome was never learned (a crash, a lost response). Asking again under
      // the same key tells: Stripe replays the session if it exists; its 400 proves none does.
      deps.metrics.holdOrphaned.inc({ shop: hold.shopId });
      const found = await settle(hold.shopId, () =>
        deps.gateway.createSession(key, hold.stripeParams, hold.stripeIdempotencyKey),
      );
      if (found === "definitive" || found === "missing") return release(tx, hold, "no_session");
      if (found === "unknown") return "kept";
      await recordSession(tx, hold.id, { id: found.id, url: found.url });
      sessionId = found.id;
    }

    let session = await settle(hold.shopId, () => deps.gateway.retrieveSession(key, sessionId));
    // Only a 404 proves the session missing; a refused read (401, 403: a rolled or restricted key)
    // says nothing about it, and it may still be payable.
    if (session === "missing") return release(tx, hold, "session_missing");
    if (typeof session === "string") return "kept";
    if (session.status === "open") {
      const expired = await settle(hold.shopId, () => deps.gateway.expireSession(key, sessionId));
      if (expired === "unknown") return "kept";
      // A 400 here means it stopped being open meanwhile (paid at the last second): look again.
      session =
        typeof expired === "string"
          ? await settle(hold.shopId, () => deps.gateway.retrieveSession(key, sessionId))
          : expired;
      // Still open (the refusal was about our key, not the session: a 403 from a read-only key):
      // it can still be paid, so its stock stays held (invariant 4).
      if (typeof session === "string" || session.status === "open") return "kept";
    }
    if (session.status === "complete" && session.payment_status !== "unpaid") {
      // The same path as the webhook: the amount is checked before anything is recorded as paid.
      const facts = { id: session.id, amountTotal: session.amount_total, currency: session.currency };
      const result = await applySessionOutcome(tx, hold, facts, "paid");
      countEffect(deps.metrics, hold.shopId, "paid", result);
      log.info({ sessionId, result }, "hold due but its session was paid");
      return result.kind === "committed" ? "committed" : "kept";
    }
    if (session.status === "complete") {
      await tx`update holds set expires_at = ${new Date(deps.now().getTime() + PENDING_RECHECK_MS)}, updated_at = now()
        where id = ${hold.id}`;
      return "kept";
    }
    return release(tx, hold, "session_expired");
  }

  async function release(tx: Tx, hold: Hold, reason: string): Promise<ReapOutcome> {
    if (await releaseHold(tx, hold, "expired", reason)) deps.metrics.holdExpired.inc({ shop: hold.shopId });
    return "expired";
  }

  async function settle(
    shop: string,
    call: () => Promise<StripeSession>,
  ): Promise<StripeSession | "missing" | "definitive" | "unknown"> {
    try {
      return await call();
    } catch (error) {
      const failure = classifyStripeFailure(error);
      deps.metrics.stripeErrorClassification.inc({
        classification: failure.classification,
        type: failure.type,
        shop,
      });
      return failure.status === 404 ? "missing" : failure.classification;
    }
  }

  return {
    sweep,
    start(intervalMs) {
      timer = setInterval(() => {
        // A sweep that cannot reach the database (an outage) tries again next tick; left unhandled,
        // its rejection would end the process.
        running ??= sweep()
          .catch((error: unknown) => deps.logger.warn({ err: error }, "hold sweep failed; retrying next interval"))
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
