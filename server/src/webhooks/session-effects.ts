/**
 * What a Checkout Session's state means for its hold and order. One function, used by the webhook
 * and by the verified status endpoint alike, so the two can never disagree or apply twice: every
 * change is conditional on the state it starts from (an active hold, an order awaiting payment).
 *
 * - paid (completed, or an asynchronous payment that succeeded): commit the hold, one paid order,
 *   empty the cart. Stripe's amount and currency must match the hold's frozen total, else the order
 *   is recorded as `needs_review`, never silently paid. A payment for a hold that already ended is
 *   re-reserved from stock when it allows, else recorded as `needs_review`.
 * - completed but unpaid (asynchronous method pending): an order awaiting payment; the hold stays.
 * - asynchronous payment failed, or session expired: release the hold unless it was committed; an
 *   order still awaiting payment is cancelled.
 */
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/database.ts";
import type { Hold } from "../holds/hold.ts";
import { commitHold, releaseHold } from "../holds/hold-store.ts";
import type { Metrics } from "../observability/metrics.ts";

export type SessionOutcome = "paid" | "awaiting_payment" | "failed" | "expired";

export interface SessionFacts {
  id: string;
  amountTotal: number | null;
  currency: string | null;
}

export type EffectResult =
  | { kind: "committed"; orderId: string }
  | { kind: "needs_review"; orderId: string; reason: string; cause: "amount_mismatch" | "late_payment_no_stock" }
  | { kind: "awaiting_payment"; orderId: string }
  | { kind: "released" }
  | { kind: "unchanged" };

export async function applySessionOutcome(
  tx: Tx,
  hold: Hold,
  session: SessionFacts,
  outcome: SessionOutcome,
): Promise<EffectResult> {
  switch (outcome) {
    case "paid":
      return applyPaid(tx, hold, session);
    case "awaiting_payment": {
      const orderId = await upsertOrder(tx, hold, session.id, "awaiting_payment", null);
      return { kind: "awaiting_payment", orderId };
    }
    case "failed":
    case "expired": {
      const released = hold.status === "active" && (await releaseHold(tx, hold, "released", `stripe_${outcome}`));
      await tx`update orders set status = 'cancelled', updated_at = now()
        where hold_id = ${hold.id} and status = 'awaiting_payment'`;
      return released ? { kind: "released" } : { kind: "unchanged" };
    }
  }
}

async function applyPaid(tx: Tx, hold: Hold, session: SessionFacts): Promise<EffectResult> {
  if (session.amountTotal !== hold.amountTotal || session.currency !== hold.currency) {
    const reason = `Stripe charged ${session.amountTotal} ${session.currency}, the hold says ${hold.amountTotal} ${hold.currency}`;
    // The stock stays held (not committed, not released) until someone looks.
    const orderId = await upsertOrder(tx, hold, session.id, "needs_review", reason);
    return { kind: "needs_review", orderId, reason, cause: "amount_mismatch" };
  }
  if (hold.status === "active") {
    const orderId = await commitHold(tx, hold, session.id);
    if (orderId) return { kind: "committed", orderId };
  }
  if (hold.status === "committed") {
    const [order] = await tx<{ id: string }[]>`
      update orders set status = 'paid', updated_at = now()
      where hold_id = ${hold.id} and status = 'awaiting_payment'
      returning id`;
    const [existing] = order ? [order] : await tx<{ id: string }[]>`select id from orders where hold_id = ${hold.id}`;
    return existing ? { kind: "committed", orderId: existing.id } : { kind: "unchanged" };
  }
  return applyLatePayment(tx, hold, session);
}

/** A payment for a hold that expired or was released: take the stock again if it is still there. */
async function applyLatePayment(tx: Tx, hold: Hold, session: SessionFacts): Promise<EffectResult> {
  try {
    // All lines or none: a savepoint undoes a partial re-reservation.
    await tx.savepoint(async (sp) => {
      const taken = await sp`
        update stock s set on_hand = s.on_hand - w.quantity, committed = s.committed + w.quantity,
                           updated_at = now()
        from unnest(${hold.lines.map((l) => l.sku)}::text[], ${hold.lines.map((l) => l.variantKey)}::text[],
                    ${hold.lines.map((l) => l.quantity)}::int[]) as w (sku, variant_key, quantity)
        where s.shop_id = ${hold.shopId} and s.sku = w.sku and s.variant_key = w.variant_key
          and s.on_hand - s.held >= w.quantity`;
      if (taken.count !== hold.lines.length) throw new LatePaymentShort();
    });
  } catch (error) {
    if (!(error instanceof LatePaymentShort)) throw error;
    const reason = "paid after its hold had ended, and the stock is no longer there";
    const orderId = await upsertOrder(tx, hold, session.id, "needs_review", reason);
    return { kind: "needs_review", orderId, reason, cause: "late_payment_no_stock" };
  }
  await tx`update holds set status = 'committed', end_reason = 'paid_late', updated_at = now() where id = ${hold.id}`;
  if (hold.cartId) await tx`delete from cart_lines where cart_id = ${hold.cartId}`;
  const orderId = await upsertOrder(tx, hold, session.id, "paid", null);
  return { kind: "committed", orderId };
}

class LatePaymentShort extends Error {
  override name = "LatePaymentShort";
}

/** Counts what an applied outcome means for operations: expiries and payments that need a look. */
export function countEffect(metrics: Metrics, shopId: string, outcome: SessionOutcome, result: EffectResult): void {
  if (outcome === "expired" && result.kind === "released") metrics.holdExpired.inc({ shop: shopId });
  if (result.kind === "needs_review") metrics.orderNeedsReview.inc({ shop: shopId, reason: result.cause });
}

async function upsertOrder(
  tx: Tx,
  hold: Hold,
  sessionId: string,
  status: "paid" | "awaiting_payment" | "needs_review",
  reason: string | null,
): Promise<string> {
  const [order] = await tx<{ id: string }[]>`
    insert into orders (id, shop_id, hold_id, stripe_session_id, status, currency, amount_total, lines, cart_id,
                        review_reason)
    values (${randomUUID()}, ${hold.shopId}, ${hold.id}, ${sessionId}, ${status}, ${hold.currency},
            ${hold.amountTotal}, ${tx.json(hold.lines as never)}, ${hold.cartId}, ${reason})
    on conflict (hold_id) do update set
      status = case when orders.status = 'awaiting_payment' then excluded.status else orders.status end,
      review_reason = coalesce(orders.review_reason, excluded.review_reason),
      updated_at = now()
    returning id`;
  if (!order) throw new Error(`order for hold ${hold.id} was not written`);
  return order.id;
}
