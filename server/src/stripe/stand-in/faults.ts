/**
 * Fault switches: what tests flip to make the stand-in misbehave the way Stripe (or the network to it)
 * can. A fault comes either with one API request (header `Stand-In-Fault`) or is armed for the next N
 * requests of an operation (control API), so a test decides exactly which call fails and how.
 */
import { FAULT_STATUSES, type FaultStatus } from "./stripe-errors.ts";

export const API_OPERATIONS = ["create", "retrieve", "expire"] as const;
export type ApiOperation = (typeof API_OPERATIONS)[number];
export type FaultTarget = ApiOperation | "webhook";

export type ApiFault =
  | { kind: "status"; status: FaultStatus }
  /** Answer after `ms`; the request is in flight (its idempotency key locked) meanwhile. */
  | { kind: "delay"; ms: number }
  /** Destroy the socket on arrival: nothing is created. */
  | { kind: "drop" }
  /** Do the work (and record it under the idempotency key), then destroy the socket unanswered. */
  | { kind: "lost-response" };

export type WebhookFault =
  | { kind: "delay"; ms: number }
  | { kind: "duplicate" }
  | { kind: "reorder" }
  | { kind: "drop" };

const DELAY = /^delay:(\d{1,7})$/;

export function parseApiFault(text: string): ApiFault | undefined {
  const status = Number(text);
  if ((FAULT_STATUSES as readonly number[]).includes(status)) return { kind: "status", status: status as FaultStatus };
  const delay = DELAY.exec(text);
  if (delay?.[1] !== undefined) return { kind: "delay", ms: Number(delay[1]) };
  if (text === "drop" || text === "lost-response") return { kind: text };
  return undefined;
}

export function parseWebhookFault(text: string): WebhookFault | undefined {
  const delay = DELAY.exec(text);
  if (delay?.[1] !== undefined) return { kind: "delay", ms: Number(delay[1]) };
  if (text === "duplicate" || text === "reorder" || text === "drop") return { kind: text };
  return undefined;
}

export const isFaultTarget = (value: unknown): value is FaultTarget =>
  value === "webhook" || (API_OPERATIONS as readonly unknown[]).includes(value);

interface Armed<F> {
  fault: F;
  remaining: number;
  operation: ApiOperation | undefined;
}

/** Why `arm` refused, in words a test author can act on; undefined when it armed the fault. */
export type ArmProblem = string | undefined;

export class FaultSwitch {
  #api: Armed<ApiFault>[] = [];
  #webhook: Armed<WebhookFault>[] = [];

  /**
   * Arms `fault` for the next `count` matching requests. Without `operation` it applies to any API
   * operation; webhook faults need `operation: "webhook"` because `drop` and `delay:` mean different
   * things for a request and for an event.
   */
  arm(fault: string, count = 1, operation?: FaultTarget): ArmProblem {
    if (!Number.isInteger(count) || count < 1) return "count must be a whole number of at least 1";
    if (operation === "webhook") {
      const parsed = parseWebhookFault(fault);
      if (!parsed) return `unknown webhook fault "${fault}" (delay:<ms>, duplicate, reorder, drop)`;
      this.#webhook.push({ fault: parsed, remaining: count, operation: undefined });
      return undefined;
    }
    const parsed = parseApiFault(fault);
    if (!parsed) {
      return `unknown API fault "${fault}" (${FAULT_STATUSES.join(", ")}, delay:<ms>, drop, lost-response; webhook faults need operation "webhook")`;
    }
    this.#api.push({ fault: parsed, remaining: count, operation });
    return undefined;
  }

  clear(): void {
    this.#api = [];
    this.#webhook = [];
  }

  /** The fault for this request, if one is armed for its operation; using it counts it down. */
  takeApi(operation: ApiOperation): ApiFault | undefined {
    return take(this.#api, (armed) => armed.operation === undefined || armed.operation === operation);
  }

  takeWebhook(): WebhookFault | undefined {
    return take(this.#webhook, () => true);
  }
}

function take<F>(queue: Armed<F>[], matches: (armed: Armed<F>) => boolean): F | undefined {
  const index = queue.findIndex(matches);
  const armed = queue[index];
  if (!armed) return undefined;
  armed.remaining -= 1;
  if (armed.remaining === 0) queue.splice(index, 1);
  return armed.fault;
}
