/**
 * Stripe's idempotency rules for POSTs, keyed per (API key, `Idempotency-Key`):
 * - the same key with the same endpoint and parameters gets the stored response again, flagged
 *   `Idempotent-Replayed: true`;
 * - the same key with other parameters (or another endpoint) is a 400 `idempotency_error`;
 * - the same key while its first request is still executing is a 409 `idempotency_key_in_use`;
 * - only requests that started executing are stored: a request refused by validation leaves the key
 *   free, as Stripe documents, so its retry is validated afresh;
 * - keys are forgotten after 24 hours.
 */
import type { ApiReply } from "./stripe-errors.ts";

const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface KeyRecord {
  path: string;
  fingerprint: string;
  startedAt: number;
  /** Undefined while the first request is still executing. */
  reply: ApiReply | undefined;
}

export type IdempotencyDecision =
  | { kind: "execute"; finish: (reply: ApiReply, store: boolean) => void }
  | { kind: "replay"; reply: ApiReply }
  | { kind: "mismatch"; message: string }
  | { kind: "in-flight" };

export class IdempotencyStore {
  readonly #records = new Map<string, KeyRecord>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  begin(apiKey: string, key: string, path: string, params: unknown): IdempotencyDecision {
    const id = `${apiKey}\n${key}`;
    const fingerprint = canonicalJson(params);
    const existing = this.#records.get(id);
    if (existing && this.#now() - existing.startedAt < KEY_LIFETIME_MS) {
      if (existing.path !== path) {
        return {
          kind: "mismatch",
          message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${existing.path}' vs '${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        };
      }
      if (existing.fingerprint !== fingerprint) {
        return {
          kind: "mismatch",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        };
      }
      return existing.reply ? { kind: "replay", reply: existing.reply } : { kind: "in-flight" };
    }
    const record: KeyRecord = { path, fingerprint, startedAt: this.#now(), reply: undefined };
    this.#records.set(id, record);
    return {
      kind: "execute",
      finish: (reply, store) => {
        if (store) record.reply = reply;
        else if (this.#records.get(id) === record) this.#records.delete(id);
      },
    };
  }
}

/** JSON with object keys sorted, so parameters sent in another order still count as the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  });
}
