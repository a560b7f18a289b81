/**
 * Starts the local Stripe stand-in: Stripe's Checkout Session API subset (with its idempotency rules
 * and error shapes), a hosted checkout page, signed webhooks, fault switches, and a control surface
 * both as HTTP (`/__stand-in/…`) and as the returned object. All state is in memory.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiStats, apiRoutes, emptyStats } from "./api-routes.ts";
import { controlRoutes } from "./control-routes.ts";
import type { WebhookRetry } from "./delivery.ts";
import { FaultSwitch, type FaultTarget } from "./faults.ts";
import { requestListener } from "./http.ts";
import { IdempotencyStore } from "./idempotency.ts";
import type { ChargeObject, CheckoutSessionObject } from "./objects.ts";
import { PAGE_PATH, payRoutes } from "./pay-routes.ts";
import { SessionStore } from "./sessions.ts";
import { TimerSet } from "./timers.ts";
import { type EventRecord, WebhookDispatcher } from "./webhooks.ts";

export interface StripeStandInOptions {
  /** 0 (the default) picks any free port. */
  port?: number | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Where events are POSTed; without one they are recorded, not sent, until `setWebhookUrl`. */
  webhookUrl?: string | undefined;
  webhookSecret: string;
  /** Base of the hosted page URLs handed to shoppers, when they reach the stand-in by another address. */
  publicUrl?: string | undefined;
  /** The clock, in ms: session times, expiry, signature timestamps. Default `Date.now`. */
  now?: (() => number) | undefined;
  webhookRetry?: Partial<WebhookRetry> | undefined;
  /** How long the hosted page's "pay later" payments take to succeed or fail (default 3000 ms). */
  asyncPaymentDelayMs?: number | undefined;
  /** How often open sessions are checked for natural expiry (default 1000 ms); reads check as well. */
  expirySweepMs?: number | undefined;
}

export interface StripeStandIn {
  /** Where the SDK and the control API reach it, e.g. `http://127.0.0.1:12111`. */
  url: string;
  port: number;
  webhookSecret: string;
  setWebhookUrl(url: string | undefined): void;
  faults: {
    /**
     * Arms `fault` for the next `count` (default 1) requests of `operation` (default: any API operation).
     * API faults: 400 401 403 404 409 429 500 503, `delay:<ms>`, `drop`, `lost-response`. Webhook faults,
     * with operation "webhook": `delay:<ms>`, `duplicate`, `reorder`, `drop`. Throws on anything else.
     */
    next(fault: string, count?: number, operation?: FaultTarget): void;
    clear(): void;
  };
  stats(): ApiStats;
  /** Pays an open session; resolves once the events it caused have settled. Rejects when not open. */
  pay(id: string, outcome: "paid" | "async"): Promise<CheckoutSessionObject>;
  /** Settles a pending asynchronous payment (`checkout.session.async_payment_succeeded|failed`). */
  asyncResult(id: string, succeeded: boolean): Promise<CheckoutSessionObject>;
  /** Refunds a paid session in full (`charge.refunded`). */
  refund(id: string): Promise<ChargeObject>;
  /** Expires an open session as if its time ran out (`checkout.session.expired`). */
  expireNow(id: string): Promise<CheckoutSessionObject>;
  events(): EventRecord[];
  redeliver(eventId: string): Promise<EventRecord | undefined>;
  session(id: string): CheckoutSessionObject | undefined;
  close(): Promise<void>;
}

export async function startStripeStandIn(options: StripeStandInOptions): Promise<StripeStandIn> {
  const now = options.now ?? Date.now;
  const timers = new TimerSet();
  const faults = new FaultSwitch();
  const stats = emptyStats();
  const webhooks = new WebhookDispatcher({
    secret: options.webhookSecret,
    url: options.webhookUrl,
    now,
    retry: options.webhookRetry,
    timers,
    takeFault: () => faults.takeWebhook(),
  });
  let publicUrl = "";
  const sessions = new SessionStore({
    now,
    pageUrl: (id) => `${publicUrl}${PAGE_PATH}/${id}`,
    emit: (type, object) => webhooks.dispatch(type, object),
  });

  const server = createServer();
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${displayHost(host)}:${port}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, "");
  const sweep = setInterval(() => sessions.sweep(), options.expirySweepMs ?? 1000);
  sweep.unref();

  const standIn: StripeStandIn = {
    url,
    port,
    webhookSecret: options.webhookSecret,
    setWebhookUrl: (next) => webhooks.setUrl(next),
    faults: {
      next(fault, count = 1, operation) {
        const problem = faults.arm(fault, count, operation);
        if (problem) throw new Error(`Stripe stand-in: ${problem}`);
      },
      clear: () => faults.clear(),
    },
    stats: () => structuredClone(stats),
    pay: async (id, outcome) => settled(sessions.pay(id, outcome)),
    asyncResult: async (id, succeeded) => settled(sessions.asyncResult(id, succeeded)),
    refund: async (id) => {
      const { charge, delivered } = sessions.refund(id);
      await delivered;
      return charge;
    },
    expireNow: async (id) => settled(sessions.expire(id)),
    events: () => webhooks.events(),
    redeliver: (eventId) => webhooks.redeliver(eventId),
    session: (id) => {
      const session = sessions.find(id);
      return session && sessions.toObject(session);
    },
    close: async () => {
      clearInterval(sweep);
      timers.close();
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  const routes = [
    ...apiRoutes({
      sessions,
      idempotency: new IdempotencyStore(now),
      faults,
      timers,
      stats,
      now,
      sawApiVersion: (version) => {
        webhooks.apiVersion = version;
      },
    }),
    ...payRoutes({ sessions, timers, asyncDelayMs: options.asyncPaymentDelayMs ?? 3000 }),
    ...controlRoutes(standIn, faults),
  ];
  server.on("request", requestListener(routes));
  return standIn;
}

async function settled(transition: { session: CheckoutSessionObject; delivered: Promise<void> }) {
  await transition.delivered;
  return transition.session;
}

/** A wildcard bind address is not somewhere to send a browser; loopback is. */
function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
