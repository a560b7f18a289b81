/**
 * `GET /v1/checkout/sessions/:sessionId`: the payment as the server has verified it, which is what
 * a storefront asks before it clears a cart (invariant 6). A payment already recorded is answered
 * from our records; otherwise Stripe is asked, and what it says is recorded through the same
 * function the webhook uses (`applySessionOutcome`), under the hold's lock, so the two can never
 * disagree or apply twice.
 */
import type { CheckoutSessionStatus } from "@commerce/contracts/v1";
import type { Logger } from "pino";
import type { Sql } from "../db/database.ts";
import { type HoldRow, toHold } from "../holds/hold.ts";
import { ApiError } from "../http/api-error.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { Shop } from "../shops/shop-directory.ts";
import { classifyStripeFailure } from "../stripe/classify.ts";
import type { PaymentGateway, StripeSession } from "../stripe/gateway.ts";
import { applySessionOutcome, countEffect, type SessionOutcome } from "../webhooks/session-effects.ts";

export interface SessionStatusDeps {
  sql: Sql;
  metrics: Metrics;
  gateway: PaymentGateway;
  platformSecretKey: string;
}

type OrderRow = { id: string; status: string };

export async function readSessionStatus(
  deps: SessionStatusDeps,
  shop: Shop,
  sessionId: string,
  log: Logger,
): Promise<CheckoutSessionStatus> {
  // By shop and session: another shop's session is as unknown as one that never existed.
  const [row] = await deps.sql<HoldRow[]>`
    select * from holds where stripe_session_id = ${sessionId} and shop_id = ${shop.id}`;
  if (!row) throw new ApiError("SESSION_NOT_FOUND", "no such checkout session");
  const hold = toHold(row);
  const answer = (
    status: CheckoutSessionStatus["status"],
    paymentStatus: CheckoutSessionStatus["paymentStatus"],
    orderId: string | null,
  ) => ({
    sessionId,
    status,
    paymentStatus,
    orderId,
    cartId: hold.cartId,
    amountTotal: hold.amountTotal,
    currency: hold.currency,
  });

  const [recorded] = await deps.sql<OrderRow[]>`select id, status from orders where hold_id = ${hold.id}`;
  if (recorded?.status === "paid" || recorded?.status === "refunded") return answer("complete", "paid", recorded.id);

  let session: StripeSession;
  try {
    session = await deps.gateway.retrieveSession(shop.stripeSecretKey ?? deps.platformSecretKey, sessionId);
  } catch (error) {
    const failure = classifyStripeFailure(error);
    log.warn({ sessionId, ...failure }, "could not verify a checkout session with Stripe");
    throw new ApiError(
      "PAYMENT_PROVIDER_UNAVAILABLE",
      "the payment provider did not answer; ask again shortly",
      { sessionId },
      { headers: { "retry-after": "2" } },
    );
  }

  const outcome = outcomeOf(session);
  let orderId = recorded?.id ?? null;
  if (outcome) {
    const result = await deps.sql.begin(async (tx) => {
      const [locked] = await tx<HoldRow[]>`select * from holds where id = ${hold.id} for update`;
      if (!locked) throw new Error(`hold ${hold.id} vanished`);
      return applySessionOutcome(
        tx,
        toHold(locked),
        { id: session.id, amountTotal: session.amount_total, currency: session.currency },
        outcome,
      );
    });
    countEffect(deps.metrics, hold.shopId, outcome, result);
    if ("orderId" in result) orderId = result.orderId;
    log.info({ sessionId, outcome, result }, "checkout session verified with Stripe and recorded");
  }
  const status = session.status === "complete" ? "complete" : session.status === "expired" ? "expired" : "open";
  const paymentStatus =
    session.payment_status === "paid"
      ? "paid"
      : session.payment_status === "no_payment_required"
        ? "no_payment_required"
        : "unpaid";
  return answer(status, paymentStatus, orderId);
}

function outcomeOf(session: StripeSession): SessionOutcome | undefined {
  if (session.status === "complete") return session.payment_status === "unpaid" ? "awaiting_payment" : "paid";
  if (session.status === "expired") return "expired";
  return undefined;
}
