/**
 * `POST /v1/checkout/sessions`, rules 2–8 of API.md in order: reprice from the catalog, derive the
 * intent, take (or find) the intent's hold, open (or find) the hold's one Stripe session, and
 * classify a Stripe failure into release (definitive) or keep (unknown).
 */
import { randomUUID } from "node:crypto";
import type { CheckoutRequest, CheckoutSession } from "@commerce/contracts/v1";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Sql } from "../db/database.ts";
import type { Hold } from "../holds/hold.ts";
import { acquireHold, recordSession, releaseHold, withHoldLocked } from "../holds/hold-store.ts";
import { ApiError } from "../http/api-error.ts";
import type { Metrics } from "../observability/metrics.ts";
import { priceVariants } from "../pricing/catalog-prices.ts";
import type { Shop } from "../shops/shop-directory.ts";
import { classifyStripeFailure } from "../stripe/classify.ts";
import type { PaymentGateway } from "../stripe/gateway.ts";
import { buildSessionParams } from "../stripe/session-params.ts";
import { normalizeCheckout } from "./checkout-request.ts";
import { findCoupon } from "./coupons.ts";
import { intentKey, payloadHash } from "./intent.ts";
import { hasDrifted, quote } from "./quote.ts";
import type { CheckoutPause } from "./test-pause.ts";

export interface CheckoutDeps {
  sql: Sql;
  config: Pick<Config, "repricingMode" | "sessionTtlSeconds">;
  metrics: Metrics;
  gateway: PaymentGateway;
  /** The platform's Stripe key (or the stand-in's); a shop's own key wins. */
  platformSecretKey: string;
  now: () => Date;
  /** TEST-ONLY crash-test hook (test-pause.ts); absent in every real server. */
  pause?: CheckoutPause | undefined;
}

/** How long a hold outlives its session, so a payment completed at the last second still finds it. */
export const HOLD_GRACE_SECONDS = 120;
const RETRY_AFTER_SECONDS = "2";

export interface CheckoutResult {
  session: CheckoutSession;
  created: boolean;
}

export async function createCheckoutSession(
  deps: CheckoutDeps,
  shop: Shop,
  body: CheckoutRequest,
  idempotencyKey: string | undefined,
  log: Logger,
): Promise<CheckoutResult> {
  const checkout = await normalizeCheckout(deps.sql, shop, body);
  const priced = await priceVariants(deps.sql, shop, checkout.lines, checkout.locale);
  const coupon = checkout.couponCode ? await findCoupon(deps.sql, shop.id, checkout.couponCode, deps.now()) : undefined;
  const amounts = quote(
    priced.map((variant, i) => ({ variant, quantity: checkout.lines[i]?.quantity ?? 0 })),
    { mode: checkout.mode, rentalDays: checkout.rentalDays, coupon },
  );

  let priceChanged = false;
  if (body.expectedTotal !== undefined && hasDrifted(body.expectedTotal, amounts.amountTotal)) {
    deps.metrics.repriceDrift.inc({ shop: shop.id, mode: deps.config.repricingMode });
    log.info({ expectedTotal: body.expectedTotal, amountTotal: amounts.amountTotal }, "checkout total drifted");
    if (deps.config.repricingMode === "enforce_and_reject") {
      throw new ApiError("PRICE_CHANGED", "prices changed since the cart was shown", {
        expectedTotal: body.expectedTotal,
        amountTotal: amounts.amountTotal,
        lines: amounts.lines.map(({ title: _title, ...line }) => line),
      });
    }
    priceChanged = deps.config.repricingMode === "enforce_and_proceed";
  }

  const holdId = randomUUID();
  const sessionExpiresAt = new Date(deps.now().getTime() + deps.config.sessionTtlSeconds * 1000);
  const { hold, created } = await acquireHold(deps.sql, {
    id: holdId,
    shopId: shop.id,
    intentKey: intentKey(checkout, idempotencyKey),
    payloadHash: payloadHash(checkout),
    cartId: checkout.cartId ?? null,
    mode: checkout.mode,
    rentalDays: checkout.rentalDays,
    currency: shop.currency,
    lines: amounts.lines,
    couponCode: coupon?.code ?? null,
    discount: amounts.discount,
    amountTotal: amounts.amountTotal,
    stripeParams: buildSessionParams({
      holdId,
      shopId: shop.id,
      cartId: checkout.cartId ?? null,
      currency: shop.currency,
      mode: checkout.mode,
      rentalDays: checkout.rentalDays,
      lines: amounts.lines,
      discount: amounts.discount,
      locale: checkout.locale === "de" ? "de" : "en",
      successUrl: checkout.successUrl,
      cancelUrl: checkout.cancelUrl,
      expiresAt: sessionExpiresAt,
    }),
    // Derived from the hold: one Stripe session per hold, whoever asks and however often.
    stripeIdempotencyKey: `hold:${holdId}`,
    sessionExpiresAt,
    expiresAt: new Date(sessionExpiresAt.getTime() + HOLD_GRACE_SECONDS * 1000),
  });
  if (!created) deps.metrics.holdIdempotentHit.inc({ shop: shop.id });
  if (deps.pause) await deps.pause("after-hold", hold.id);

  const session = await ensureSession(deps, shop, hold, log);
  if (deps.pause) await deps.pause("before-response", hold.id);
  return {
    created: created && session.created,
    session: {
      sessionId: session.id,
      url: session.url,
      holdId: hold.id,
      expiresAt: hold.sessionExpiresAt.toISOString(),
      currency: hold.currency,
      amountTotal: hold.amountTotal,
      discount: hold.discount,
      lines: hold.lines.map(({ title: _title, ...line }) => line),
      priceChanged,
      replayed: !(created && session.created),
    },
  };
}

type OpenedSession = { id: string; url: string; created: boolean };

/** Concurrent requests to one app for one hold share one attempt (per app: tests run several in a process). */
const attemptsByApp = new WeakMap<CheckoutDeps, Map<string, Promise<OpenedSession>>>();

function ensureSession(deps: CheckoutDeps, shop: Shop, hold: Hold, log: Logger): Promise<OpenedSession> {
  if (hold.stripeSessionId && hold.stripeSessionUrl) {
    return Promise.resolve({ id: hold.stripeSessionId, url: hold.stripeSessionUrl, created: false });
  }
  let attempts = attemptsByApp.get(deps);
  if (!attempts) {
    attempts = new Map();
    attemptsByApp.set(deps, attempts);
  }
  let attempt = attempts.get(hold.id);
  if (!attempt) {
    attempt = openSession(deps, shop, hold.id, log).finally(() => attempts.delete(hold.id));
    attempts.set(hold.id, attempt);
  }
  return attempt;
}

/**
 * Opens the hold's Stripe session with the hold's row locked, so across instances one request at a
 * time talks to Stripe for it and the others find the session recorded.
 */
async function openSession(deps: CheckoutDeps, shop: Shop, holdId: string, log: Logger): Promise<OpenedSession> {
  const secretKey = shop.stripeSecretKey ?? deps.platformSecretKey;
  // Failures are returned, not thrown, from the transaction: a definitive one releases the hold,
  // and that release must commit.
  const outcome = await withHoldLocked(deps.sql, holdId, async (tx, hold) => {
    if (hold.stripeSessionId && hold.stripeSessionUrl) {
      return { id: hold.stripeSessionId, url: hold.stripeSessionUrl, created: false };
    }
    if (hold.status !== "active") {
      return new ApiError("PAYMENT_PROVIDER_REJECTED", "this checkout has ended; start a new one");
    }
    let session: { id: string; url: string };
    try {
      const created = await deps.gateway.createSession(secretKey, hold.stripeParams, hold.stripeIdempotencyKey);
      if (!created.url) throw new Error(`Stripe session ${created.id} has no url`);
      session = { id: created.id, url: created.url };
    } catch (error) {
      const failure = classifyStripeFailure(error);
      deps.metrics.stripeErrorClassification.inc({
        classification: failure.classification,
        type: failure.type,
        shop: shop.id,
      });
      log.warn({ holdId: hold.id, ...failure, err: error }, "Stripe session create failed");
      if (failure.classification === "definitive") {
        await releaseHold(tx, hold, "released", `stripe_${failure.type}`);
        return new ApiError("PAYMENT_PROVIDER_REJECTED", "the payment provider refused this checkout", {
          providerStatus: failure.status ?? null,
        });
      }
      return new ApiError(
        "PAYMENT_PROVIDER_UNAVAILABLE",
        "the payment provider did not answer; retry with the same Idempotency-Key",
        { holdId: hold.id },
        { headers: { "retry-after": RETRY_AFTER_SECONDS } },
      );
    }
    // Outside the Stripe failure handling: a database that fails here (an outage) is not a Stripe
    // failure. It surfaces as 503 NOT_READY; the session exists under the hold's key, and the retry
    // records it (Stripe replays it) — server/test/faults/db-outage.test.ts.
    if (deps.pause) await deps.pause("after-stripe-call", hold.id);
    await recordSession(tx, hold.id, session);
    return { ...session, created: true };
  });
  if (outcome instanceof ApiError) throw outcome;
  return outcome;
}
