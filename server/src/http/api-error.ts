/** The one error type routes and domain code throw; `onError` turns it into the contract's envelope. */
import { type ErrorCode, errorStatus } from "@commerce/contracts/v1";

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = errorStatus[code];
    this.headers = options?.headers ?? {};
  }

  readonly headers: Record<string, string>;
}
