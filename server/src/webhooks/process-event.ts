/**
 * One verified Stripe event, applied exactly once in the tenant it belongs to (invariant 5).
 *
 * The tenant comes from the event's metadata (`shop_id`), else from our own record of the session
 * or hold; it must agree with the hold we hold for it, and with the route's shop when the route
 * names one. The event id is recorded in the same transaction as every effect: a duplicate, even
 * one arriving at the same moment on another instance, waits on the first and then changes nothing.
 */
import type { Logger } from "pino";
import type { Sql, Tx } from "../db/database.ts";
import { type HoldRow, toHold } from "../holds/hold.ts";
import { ApiError } from "../http/api-error.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import { applySessionOutcome, countEffect, type SessionOutcome } from "./session-effects.ts";
import type { StripeEvent } from "./verify-signature.ts";

const sessionOutcomes: Record<string, (object: Record<string, unknown>) => SessionOutcome> = {
  "checkout.session.completed": (session) => (session.payment_status === "unpaid" ? "awaiting_payment" : "paid"),
  "checkout.session.async_payment_succeeded": () => "paid",
  "checkout.session.async_payment_failed": () => "failed",
  "checkout.session.expired": () => "expired",
};

export type ProcessResult = "processed" | "duplicate" | "ignored";

export async function processStripeEvent(
  deps: { sql: Sql; metrics: Metrics; shops: ShopDirectory },
  event: StripeEvent,
  routeShop: string | undefined,
  log: Logger,
): Promise<ProcessResult> {
  // A type we do nothing with is acknowledged before anything else: no effect, so no tenant to
  // check, and a 5xx would have Stripe retry (and finally disable the endpoint) for nothing.
  if (!(event.type in sessionOutcomes) && event.type !== "charge.refunded") return "ignored";
  // Stripe redelivers freely: a duplicate is answered from one indexed read, without a transaction.
  // (A copy racing the first one still gets here; the insert below settles it.)
  const [seen] = await deps.sql`select 1 from webhook_events where event_id = ${event.id}`;
  if (seen) return "duplicate";
  const object = event.data.object;
  const metadata = (object.metadata ?? {}) as Record<string, string | undefined>;
  const holdRow = await findHold(deps.sql, object, metadata);
  const shopId = metadata.shop_id || holdRow?.shop_id;
  // A shop this server does not know (another deployment sharing the Stripe account) is as
  // unresolvable as none at all.
  if (!shopId || !(await deps.shops.get(shopId))) {
    deps.metrics.webhookTenantUnresolvable.inc();
    log.warn({ eventId: event.id, type: event.type }, "webhook tenant unresolvable");
    throw new ApiError("TENANT_UNRESOLVED", "the event names no shop and matches no session of ours", {
      eventId: event.id,
    });
  }
  const mismatch = (routeShop !== undefined && routeShop !== shopId) || (holdRow && holdRow.shop_id !== shopId);
  if (mismatch) {
    deps.metrics.webhookTenantMismatch.inc({ shop: shopId });
    log.error(
      { eventId: event.id, type: event.type, routeShop, eventShop: shopId, holdShop: holdRow?.shop_id },
      "webhook tenant mismatch",
    );
    throw new ApiError("TENANT_MISMATCH", "the event belongs to another shop", { eventId: event.id });
  }

  return deps.sql.begin(async (tx): Promise<ProcessResult> => {
    const [fresh] = await tx`
      insert into webhook_events (event_id, shop_id, type, object_id)
      values (${event.id}, ${shopId}, ${event.type}, ${typeof object.id === "string" ? object.id : null})
      on conflict (event_id) do nothing
      returning event_id`;
    if (!fresh) return "duplicate";
    return applyEvent(tx, deps.metrics, event, holdRow?.id, log);
  }) as Promise<ProcessResult>;
}

async function applyEvent(
  tx: Tx,
  metrics: Metrics,
  event: StripeEvent,
  holdId: string | undefined,
  log: Logger,
): Promise<ProcessResult> {
  const object = event.data.object;
  if (event.type === "charge.refunded") {
    if (!holdId) return "ignored";
    await tx`update orders set status = 'refunded', updated_at = now() where hold_id = ${holdId}`;
    return "processed";
  }
  const outcomeOf = sessionOutcomes[event.type];
  if (!outcomeOf || !holdId) return "ignored";
  const [row] = await tx<HoldRow[]>`select * from holds where id = ${holdId} for update`;
  if (!row) return "ignored";
  const outcome = outcomeOf(object);
  const result = await applySessionOutcome(
    tx,
    toHold(row),
    {
      id: String(object.id),
      amountTotal: typeof object.amount_total === "number" ? object.amount_total : null,
      currency: typeof object.currency === "string" ? object.currency : null,
    },
    outcome,
  );
  countEffect(metrics, row.shop_id, outcome, result);
  log.info({ eventId: event.id, type: event.type, holdId, result }, "webhook applied");
  return "processed";
}

/** Our hold for the event's object: by the hold id in its metadata, else by the session id. */
async function findHold(sql: Sql, object: Record<string, unknown>, metadata: Record<string, string | undefined>) {
  const holdId = metadata.hold_id;
  if (holdId && /^[0-9a-f-]{36}$/.test(holdId)) {
    const [row] = await sql<HoldRow[]>`select * from holds where id = ${holdId}`;
    if (row) return row;
  }
  if (object.object === "checkout.session" && typeof object.id === "string") {
    const [row] = await sql<HoldRow[]>`select * from holds where stripe_session_id = ${object.id}`;
    return row;
  }
  return undefined;
}
