/**
 * One delivery run of an event: POST the JSON to the endpoint, signed afresh on every attempt as Stripe
 * does, and retry on a non-2xx answer or a connection failure after a short backoff. Stripe retries for
 * days; the stand-in keeps the same behaviour on a scale a test can wait for.
 */
import { signatureHeader } from "./signing.ts";
import type { TimerSet } from "./timers.ts";

export interface WebhookRetry {
  /** Attempts per delivery run, the first included (default 3). */
  attempts: number;
  /** Wait before the 2nd, 3rd… attempt; the last value repeats (default 200 ms, 1 s). */
  delaysMs: readonly number[];
  /** How long one attempt may take before it counts as failed (default 5 s). */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetry = { attempts: 3, delaysMs: [200, 1000], timeoutMs: 5000 };

export interface DeliveryAttempt {
  /** 1 for the first run, 2 for a duplicate or the first redelivery, and so on. */
  run: number;
  attempt: number;
  url: string;
  /** Unix ms when the attempt started. */
  at: number;
  /** The endpoint's HTTP status, or null when no answer came. */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryRun {
  url: string;
  payload: string;
  secret: string;
  run: number;
  now: () => number;
  retry: WebhookRetry;
  timers: TimerSet;
  signal: AbortSignal;
  record: (attempt: DeliveryAttempt) => void;
}

/** Resolves true when the endpoint answered 2xx within the allowed attempts. */
export async function deliver(run: DeliveryRun): Promise<boolean> {
  for (let attempt = 1; attempt <= run.retry.attempts; attempt += 1) {
    if (attempt > 1) {
      const wait = run.retry.delaysMs[Math.min(attempt - 2, run.retry.delaysMs.length - 1)] ?? 0;
      if (!(await run.timers.sleep(wait))) return false;
    }
    const started = Date.now();
    const at = run.now();
    const outcome = await post(run);
    run.record({ run: run.run, attempt, url: run.url, at, ...outcome, durationMs: Date.now() - started });
    if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) return true;
    if (run.signal.aborted) return false;
  }
  return false;
}

async function post(run: DeliveryRun): Promise<{ status: number | null; error: string | null }> {
  const timestamp = Math.floor(run.now() / 1000);
  try {
    const response = await fetch(run.url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "stripe-signature": signatureHeader(run.payload, run.secret, timestamp),
      },
      body: run.payload,
      signal: AbortSignal.any([run.signal, AbortSignal.timeout(run.retry.timeoutMs)]),
    });
    // Read the body so the connection goes back to the pool; Stripe ignores what endpoints answer.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, error: null };
  } catch (error) {
    return { status: null, error: describe(error) };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.name}: ${error.message}${cause}`;
}
