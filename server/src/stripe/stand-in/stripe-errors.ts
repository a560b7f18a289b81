/**
 * Error replies in Stripe's shape, `{ error: { type, code?, message, param? } }`, with the status Stripe
 * uses for each. The SDK picks its error class from the status (and `type: idempotency_error` on a 400),
 * so getting these right is what makes the server's error handling meet the same errors it meets in
 * production.
 */

export interface StripeErrorBody {
  error: { type: string; message: string; code?: string; param?: string };
}

/** What an API handler answers: a status and a JSON body (a Stripe object or a Stripe error). */
export interface ApiReply {
  status: number;
  body: unknown;
}

function errorReply(status: number, type: string, message: string, extra: { code?: string; param?: string } = {}) {
  const body: StripeErrorBody = { error: { type, message, ...extra } };
  return { status, body } satisfies ApiReply;
}

export const invalidRequest = (message: string, param?: string, code?: string): ApiReply =>
  errorReply(400, "invalid_request_error", message, {
    ...(param === undefined ? {} : { param }),
    ...(code === undefined ? {} : { code }),
  });

export const missingParam = (param: string): ApiReply =>
  invalidRequest(`Missing required param: ${param}.`, param, "parameter_missing");

export const resourceMissing = (kind: string, id: string, param: string): ApiReply =>
  errorReply(404, "invalid_request_error", `No such ${kind}: '${id}'`, { code: "resource_missing", param });

export const unknownRoute = (method: string, path: string): ApiReply =>
  errorReply(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);

export const authenticationFailed = (message: string): ApiReply => errorReply(401, "authentication_error", message);

export const idempotencyMismatch = (message: string): ApiReply => errorReply(400, "idempotency_error", message);

export const idempotencyKeyInUse = (key: string): ApiReply =>
  errorReply(
    409,
    "invalid_request_error",
    `There is currently another in-progress request using this idempotent key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
    { code: "idempotency_key_in_use" },
  );

/** Statuses a fault switch can answer with, each with the body Stripe sends for it. */
export const FAULT_STATUSES = [400, 401, 403, 404, 409, 429, 500, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export function faultReply(status: FaultStatus): ApiReply {
  switch (status) {
    case 400:
      return invalidRequest("Invalid request (injected by the Stripe stand-in's fault switch).");
    case 401:
      return authenticationFailed("Invalid API Key provided: sk_test_******** (injected fault).");
    case 403:
      return errorReply(
        403,
        "invalid_request_error",
        "The provided key does not have the required permissions for this endpoint (injected fault).",
        { code: "secret_key_required" },
      );
    case 404:
      return errorReply(404, "invalid_request_error", "No such checkout.session (injected fault).", {
        code: "resource_missing",
        param: "session",
      });
    case 409:
      return errorReply(
        409,
        "invalid_request_error",
        "This object cannot be accessed right now because another API request or Stripe process is currently accessing it (injected fault).",
        { code: "lock_timeout" },
      );
    case 429:
      return errorReply(429, "rate_limit_error", "Too many requests hit the API too quickly (injected fault).", {
        code: "rate_limit",
      });
    case 500:
      return errorReply(500, "api_error", "An unknown error occurred (injected fault).");
    case 503:
      return errorReply(503, "api_error", "Stripe is temporarily unavailable (injected fault).");
  }
}
