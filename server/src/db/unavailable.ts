/**
 * Tells a database that is unreachable (down, restarting, out of connections, the connection cut)
 * from a statement that failed inside a working one. The first is an outage: the request answers
 * 503 NOT_READY, which a load balancer, a client or Stripe's webhook delivery retries; the second is
 * a bug, 500 INTERNAL.
 */

/** Socket errors (Node) and postgres.js's own connection codes. */
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * SQLSTATEs of a server going away or refusing work: class 08 (connection exception), 57P01–57P03
 * (terminated by shutdown, crash, or still starting up), 53300 (too many connections).
 */
const unavailableStates = /^(08...|57P0[123]|53300)$/;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (connectionCodes.has(code) || unavailableStates.test(code))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
