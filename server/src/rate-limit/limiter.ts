/**
 * A fixed-window request counter in PostgreSQL (ARCHITECTURE D04): one upsert per request bumps the
 * count of (bucket, shop, client IP, current minute) and returns it, so every server instance shares
 * one budget without talking to the others. The window is the app's clock (`now`), floored to the
 * minute; instances are assumed to agree on the time to well within a minute.
 *
 * Fixed windows let a client spend up to twice the limit across a window boundary; for a limit that
 * exists to stop hold-flooding and card testing that is enough, and it costs one indexed row per
 * client a minute.
 */
import type { Sql } from "../db/database.ts";

export const WINDOW_MS = 60_000;
/** Windows older than this are deleted, now and then. */
const KEEP_MS = 5 * WINDOW_MS;
/** Roughly one call in this many also deletes old windows, without waiting for it. */
const CLEANUP_EVERY = 100;

export interface RateLimitPolicy {
  /** Names the budget; also the policy name in the `RateLimit` headers. */
  bucket: string;
  limitPerMinute: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in this window after this one (0 when refused). */
  remaining: number;
  /** Whole seconds until the window ends and the budget is full again (at least 1). */
  resetSeconds: number;
}

export interface RateLimiter {
  readonly policy: RateLimitPolicy;
  /** Counts one request of the client at the shop and says whether it is within the limit. */
  hit(shopId: string, clientIp: string): Promise<RateLimitDecision>;
}

export interface LimiterDeps {
  sql: Sql;
  now: () => Date;
  /** Called when deleting old windows fails (it is never awaited by a request). */
  onCleanupError?: (error: unknown) => void;
  /** Replaces the one-in-a-hundred draw (tests). */
  shouldCleanUp?: () => boolean;
}

export function createRateLimiter(deps: LimiterDeps, policy: RateLimitPolicy): RateLimiter {
  const shouldCleanUp = deps.shouldCleanUp ?? (() => Math.random() * CLEANUP_EVERY < 1);
  return {
    policy,
    async hit(shopId, clientIp) {
      const nowMs = deps.now().getTime();
      const windowStartMs = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
      const [row] = await deps.sql<{ count: number }[]>`
        insert into rate_limits (bucket, shop_id, client_ip, window_start, count)
        values (${policy.bucket}, ${shopId}, ${clientIp}, ${new Date(windowStartMs)}, 1)
        on conflict (bucket, shop_id, client_ip, window_start)
        do update set count = rate_limits.count + 1
        returning count`;
      if (shouldCleanUp()) {
        deleteOldWindows(deps.sql, new Date(windowStartMs - KEEP_MS)).catch((error: unknown) =>
          deps.onCleanupError?.(error),
        );
      }
      const count = row?.count ?? 1;
      const limit = policy.limitPerMinute;
      return {
        allowed: count <= limit,
        limit,
        remaining: Math.max(0, limit - count),
        resetSeconds: Math.max(1, Math.ceil((windowStartMs + WINDOW_MS - nowMs) / 1000)),
      };
    },
  };
}

/** Deletes every window that started before `before`. */
export async function deleteOldWindows(sql: Sql, before: Date): Promise<number> {
  const result = await sql`delete from rate_limits where window_start < ${before}`;
  return result.count;
}
