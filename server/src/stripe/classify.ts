/**
 * Classifies a failed Stripe call by what it proves about the session (API.md, checkout rule 6), from
 * the HTTP status and the absence of one — never from SDK class names, which changed between
 * stripe-node majors.
 *
 * - definitive: Stripe answered and created nothing — 400 (except idempotency errors), 401, 403,
 *   404. The hold can be released at once.
 * - unknown: the outcome is not known — no response at all (timeout, connection reset), 409 (a
 *   request with the same key in flight, a lock timeout), 429, any 5xx, an idempotency error, or a
 *   status we do not expect. The session may exist; the hold is kept and a retry with the same
 *   idempotency key converges.
 */

export type StripeFailure = {
  classification: "definitive" | "unknown";
  /** For metrics and logs: Stripe's error type, or `connection` when nothing came back. */
  type: string;
  status: number | undefined;
};

const definitiveStatuses = new Set([400, 401, 403, 404]);

export function classifyStripeFailure(error: unknown): StripeFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    statusCode?: unknown;
    rawType?: unknown;
    type?: unknown;
    raw?: { type?: unknown };
  };
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const rawType = [e.rawType, e.raw?.type].find((t): t is string => typeof t === "string");
  if (status === undefined) return { classification: "unknown", type: "connection", status };
  const type = rawType ?? `http_${status}`;
  if (rawType === "idempotency_error") return { classification: "unknown", type, status };
  return { classification: definitiveStatuses.has(status) ? "definitive" : "unknown", type, status };
}
