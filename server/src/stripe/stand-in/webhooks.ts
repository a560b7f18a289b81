/**
 * Events and their delivery to the webhook endpoint. Every event is recorded with each delivery
 * attempt, so tests can see what was sent and redeliver it; webhook faults (delay, duplicate, reorder,
 * drop) reproduce what a receiver must survive from Stripe: late, repeated, out-of-order and missing
 * events.
 */
import { DEFAULT_WEBHOOK_RETRY, type DeliveryAttempt, deliver, type WebhookRetry } from "./delivery.ts";
import type { WebhookFault } from "./faults.ts";
import { newId } from "./ids.ts";
import type { ChargeObject, CheckoutSessionObject, EventType } from "./objects.ts";
import type { TimerSet } from "./timers.ts";

/** The version events carry until an API request tells the stand-in which one its client speaks. */
export const DEFAULT_API_VERSION = "2026-11-18.endive";

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  livemode: false;
  type: EventType;
  data: { object: CheckoutSessionObject | ChargeObject };
  pending_webhooks: 1;
  request: { id: null; idempotency_key: null };
}

/**
 * `pending` while a delivery runs; `delivered` once any attempt got a 2xx; `failed` when a run ran out
 * of attempts; `dropped` and `held` by the faults of those names; `no_endpoint` when no URL was set.
 */
export type EventState = "pending" | "delivered" | "failed" | "dropped" | "held" | "no_endpoint";

export interface EventRecord {
  id: string;
  type: EventType;
  state: EventState;
  /** The webhook fault applied when the event was sent, as given (`duplicate`, `delay:500`…). */
  fault: string | null;
  event: StripeEvent;
  attempts: DeliveryAttempt[];
}

export interface WebhookOptions {
  secret: string;
  url: string | undefined;
  now: () => number;
  retry?: Partial<WebhookRetry> | undefined;
  timers: TimerSet;
  takeFault: () => WebhookFault | undefined;
}

export class WebhookDispatcher {
  apiVersion = DEFAULT_API_VERSION;
  readonly #records = new Map<string, EventRecord>();
  readonly #runs = new Map<string, number>();
  /** Events held back by `reorder`, sent after the next event that is delivered. */
  #held: EventRecord[] = [];
  #url: string | undefined;
  readonly #options: WebhookOptions;
  readonly #retry: WebhookRetry;
  readonly #abort = new AbortController();

  constructor(options: WebhookOptions) {
    this.#options = options;
    this.#url = options.url;
    this.#retry = { ...DEFAULT_WEBHOOK_RETRY, ...options.retry };
  }

  get url(): string | undefined {
    return this.#url;
  }

  setUrl(url: string | undefined): void {
    this.#url = url;
  }

  /** Records the event and sends it; resolves when that (and anything it released) has settled. */
  async dispatch(type: EventType, object: CheckoutSessionObject | ChargeObject): Promise<void> {
    const fault = this.#options.takeFault();
    const record: EventRecord = {
      id: newId("evt_test"),
      type,
      state: "pending",
      fault: fault ? describeFault(fault) : null,
      event: {
        id: "",
        object: "event",
        api_version: this.apiVersion,
        created: Math.floor(this.#options.now() / 1000),
        livemode: false,
        type,
        data: { object },
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
      },
      attempts: [],
    };
    record.event.id = record.id;
    this.#records.set(record.id, record);
    if (fault?.kind === "drop") {
      record.state = "dropped";
      return;
    }
    if (fault?.kind === "reorder") {
      record.state = "held";
      this.#held.push(record);
      return;
    }
    if (fault?.kind === "delay" && !(await this.#options.timers.sleep(fault.ms))) return;
    const released = this.#held;
    this.#held = [];
    const copies = fault?.kind === "duplicate" ? 2 : 1;
    await Promise.all(Array.from({ length: copies }, () => this.#run(record)));
    for (const held of released) await this.#run(held);
  }

  /** Sends a recorded event again (a dropped or held one included), like "Resend" in Stripe's dashboard. */
  async redeliver(id: string): Promise<EventRecord | undefined> {
    const record = this.#records.get(id);
    if (!record) return undefined;
    this.#held = this.#held.filter((held) => held !== record);
    await this.#run(record);
    return structuredClone(record);
  }

  events(): EventRecord[] {
    return structuredClone([...this.#records.values()]);
  }

  close(): void {
    this.#abort.abort();
  }

  async #run(record: EventRecord): Promise<void> {
    const url = this.#url;
    if (url === undefined) {
      if (record.state !== "delivered") record.state = "no_endpoint";
      return;
    }
    if (record.state !== "delivered") record.state = "pending";
    const run = (this.#runs.get(record.id) ?? 0) + 1;
    this.#runs.set(record.id, run);
    const ok = await deliver({
      url,
      payload: JSON.stringify(record.event),
      secret: this.#options.secret,
      run,
      now: this.#options.now,
      retry: this.#retry,
      timers: this.#options.timers,
      signal: this.#abort.signal,
      record: (attempt) => record.attempts.push(attempt),
    });
    if (ok) record.state = "delivered";
    else if (record.state !== "delivered") record.state = "failed";
  }
}

function describeFault(fault: WebhookFault): string {
  return fault.kind === "delay" ? `delay:${fault.ms}` : fault.kind;
}
