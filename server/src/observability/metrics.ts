/**
 * Prometheus metrics. Each app gets its own registry, so several apps in one process (tests, two
 * instances) never mix their counts. Counters named in API.md are added by the features they count.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status" | "shop">;
  centralInventoryFallback: Counter<"shop" | "reason">;
  repriceDrift: Counter<"shop" | "mode">;
  holdIdempotentHit: Counter<"shop">;
  holdOrphaned: Counter<"shop">;
  holdExpired: Counter<"shop">;
  stripeErrorClassification: Counter<"classification" | "type" | "shop">;
  checkoutRateLimited: Counter<"shop" | "bucket">;
  webhookTenantMismatch: Counter<"shop">;
  webhookTenantUnresolvable: Counter;
  orderNeedsReview: Counter<"shop" | "reason">;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by route template and status.",
      labelNames: ["method", "route", "status", "shop"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    centralInventoryFallback: new Counter({
      name: "central_inventory_fallback_total",
      help: "Inventory answered from local stock because the central inventory was unreachable (D03).",
      labelNames: ["shop", "reason"],
      registers: [registry],
    }),
    repriceDrift: new Counter({
      name: "cart_reprice_drift_total",
      help: "Checkouts whose server total drifted from the total the shopper saw, by repricing mode.",
      labelNames: ["shop", "mode"],
      registers: [registry],
    }),
    holdIdempotentHit: new Counter({
      name: "inventory_hold_idempotent_hit_total",
      help: "Checkout requests answered with the intent's existing hold.",
      labelNames: ["shop"],
      registers: [registry],
    }),
    holdOrphaned: new Counter({
      name: "inventory_hold_orphaned_total",
      help: "Holds the reaper found without a confirmed Stripe session (a crash or a lost response).",
      labelNames: ["shop"],
      registers: [registry],
    }),
    holdExpired: new Counter({
      name: "inventory_hold_expired_total",
      help: "Holds expired by the reaper, their stock made available again.",
      labelNames: ["shop"],
      registers: [registry],
    }),
    webhookTenantMismatch: new Counter({
      name: "webhook_tenant_mismatch_total",
      help: "Webhook events refused because their shop differs from the route's or the hold's.",
      labelNames: ["shop"],
      registers: [registry],
    }),
    orderNeedsReview: new Counter({
      name: "order_needs_review_total",
      help: "Payments recorded as needs_review: amount mismatch, or paid after the hold ended with no stock left.",
      labelNames: ["shop", "reason"],
      registers: [registry],
    }),
    webhookTenantUnresolvable: new Counter({
      name: "webhook_tenant_unresolvable_total",
      help: "Webhook events that named no shop and matched no session of ours (answered 503 so Stripe retries).",
      registers: [registry],
    }),
    stripeErrorClassification: new Counter({
      name: "stripe_error_classification_total",
      help: "Failed Stripe calls by what they prove: definitive (nothing created) or unknown.",
      labelNames: ["classification", "type", "shop"],
      registers: [registry],
    }),
    checkoutRateLimited: new Counter({
      name: "checkout_rate_limited_total",
      help: "Requests refused with 429 RATE_LIMITED, by shop and budget (checkout, cart).",
      labelNames: ["shop", "bucket"],
      registers: [registry],
    }),
  };
}
