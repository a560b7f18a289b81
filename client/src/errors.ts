/**
 * The one error type the client throws: the API's envelope (`code`, `details`, `requestId`) kept
 * intact, plus a few codes of the client's own.
 */
import { type ErrorCode, errorEnvelopeSchema } from "@commerce/contracts/v1";

/** The API's codes, plus the client's own: no answer, a malformed answer, nothing to check out. */
export type CommerceErrorCode = ErrorCode | "NETWORK_ERROR" | "INVALID_RESPONSE" | "EMPTY_CART";

export interface CommerceErrorInit {
  status?: number;
  details?: Record<string, unknown>;
  requestId?: string | undefined;
  /** Seconds the server asked us to wait (429, 503), when it said. */
  retryAfter?: number | undefined;
  cause?: unknown;
}

export class CommerceError extends Error {
  override readonly name = "CommerceError";
  /** The HTTP status; 0 when no answer arrived. */
  readonly status: number = 0;
  readonly details: Record<string, unknown> = {};
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;
  constructor(
    readonly code: CommerceErrorCode,
    message: string,
    init: CommerceErrorInit = {},
  ) {
    super(message, { cause: init.cause });
    Object.assign(this, init);
  }
}

/** A 2xx whose body the contract does not describe, or an error without the envelope. */
export const invalidResponse = (response: Response, cause?: unknown) =>
  new CommerceError("INVALID_RESPONSE", `unexpected ${response.status} answer`, {
    status: response.status,
    requestId: response.headers.get("x-request-id") ?? undefined,
    cause,
  });

/** Turns an error response into a CommerceError, whatever its body holds. */
export async function errorFromResponse(response: Response, cause?: unknown): Promise<CommerceError> {
  const parsed = errorEnvelopeSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) return invalidResponse(response, cause);
  const { code, message, details, requestId } = parsed.data.error;
  const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
  return new CommerceError(code, message, {
    status: response.status,
    details: details ?? {},
    requestId,
    retryAfter: retryAfter >= 0 ? retryAfter : undefined,
    cause,
  });
}

export const isCode = (error: unknown, ...codes: CommerceErrorCode[]): error is CommerceError =>
  error instanceof CommerceError && codes.includes(error.code);
