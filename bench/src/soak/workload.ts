/**
 * The soak's shoppers: each loops over a weighted mix of what real traffic does (browse, validate,
 * carts, checkouts with retries under the same key, payments, asynchronous payments, cancellations,
 * abandoned checkouts whose hold is left to the reaper, status polls and revisits) against a
 * random one of the server instances, and records every request's endpoint, outcome and latency.
 */
import { randomUUID } from "node:crypto";

export interface Target {
  servers: string[];
  standIn: string;
  /** Makes an abandoned checkout's hold due now, as if its time had run out (see main.ts). */
  expireHold(holdId: string): Promise<void>;
}

export class Stats {
  readonly latencies = new Map<string, number[]>();
  readonly outcomes = new Map<string, number>();
  readonly actions = new Map<string, number>();
  total = 0;

  record(endpoint: string, outcome: string, ms: number): void {
    this.total += 1;
    const list = this.latencies.get(endpoint) ?? [];
    list.push(ms);
    this.latencies.set(endpoint, list);
    const key = `${endpoint} → ${outcome}`;
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
  }

  count(action: string): void {
    this.actions.set(action, (this.actions.get(action) ?? 0) + 1);
  }
}

const variants = [
  ["cf-headband-classic", "black", "m"],
  ["cf-headband-classic", "navy", "s"],
  ["cf-headband-classic", "grey", "l"],
  ["cf-headband-kids", "sky", "xs"],
  ["cf-headband-kids", "mint", "s"],
  ["cf-headband-kids", "coral", "m"],
] as const;

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;
const item = () => {
  const [sku, color, size] = pick(variants);
  return { sku, quantity: 1 + Math.floor(Math.random() * 2), variantAttributes: { color, size } };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request, timed and recorded; a connection failure is outcome "error". */
async function request(
  stats: Stats,
  endpoint: string,
  url: string,
  init: { method?: string; body?: unknown; key?: string } = {},
  // biome-ignore lint/suspicious/noExplicitAny: the soak reads whichever body came back
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { "x-shop-id": "cochlearfit" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.key) headers["idempotency-key"] = init.key;
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const body = text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
    const code = typeof body === "object" && body?.error?.code ? ` ${body.error.code}` : "";
    stats.record(endpoint, `${response.status}${code}`, performance.now() - started);
    return { status: response.status, body, headers: response.headers };
  } catch (error) {
    stats.record(endpoint, "error", performance.now() - started);
    return { status: 0, body: String(error), headers: new Headers() };
  }
}

const control = (stats: Stats, target: Target, path: string, body: unknown = {}) =>
  request(
    stats,
    `stand-in ${path.replace(/cs_\w+/, ":id").replace(/evt_\w+/, ":id")}`,
    `${target.standIn}/__stand-in${path}`,
    {
      method: "POST",
      body,
    },
  );

/** One shopper until `until` (ms since the epoch). */
export async function shopper(target: Target, stats: Stats, until: number): Promise<void> {
  const server = () => pick(target.servers);
  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.3) {
      stats.count("browse");
      await request(stats, "GET /v1/catalog", `${server()}/v1/catalog`);
    } else if (roll < 0.4) {
      stats.count("validate");
      await request(stats, "POST /v1/inventory/validate", `${server()}/v1/inventory/validate`, {
        body: { items: [item()] },
      });
    } else if (roll < 0.5) {
      stats.count("cart");
      const cart = await request(stats, "POST /v1/carts", `${server()}/v1/carts`, { body: { lines: [item()] } });
      if (cart.status === 201) {
        await request(stats, "PUT /v1/carts/:id/lines", `${server()}/v1/carts/${cart.body.cartId}/lines`, {
          method: "PUT",
          body: item(),
        });
        await request(stats, "GET /v1/carts/:id", `${server()}/v1/carts/${cart.body.cartId}`);
      }
    } else if (roll < 0.97) {
      await checkoutJourney(target, stats, server);
    } else {
      // The thank-you page revisited: a status read of a recent session, from either instance.
      const sessionId = recentSessions[Math.floor(Math.random() * recentSessions.length)];
      if (sessionId) {
        stats.count("status revisit");
        await request(stats, "GET /v1/checkout/sessions/:id", `${server()}/v1/checkout/sessions/${sessionId}`);
      }
    }
  }
}

/** The last sessions opened, for revisits. */
const recentSessions: string[] = [];

async function checkoutJourney(target: Target, stats: Stats, server: () => string): Promise<void> {
  const fromCart = Math.random() < 0.5;
  let body: Record<string, unknown> = { lines: [item()] };
  if (fromCart) {
    const cart = await request(stats, "POST /v1/carts", `${server()}/v1/carts`, { body: { lines: [item()] } });
    if (cart.status !== 201) return;
    body = { cartId: cart.body.cartId };
  }
  const key = `soak-${randomUUID()}`;
  let session = await request(stats, "POST /v1/checkout/sessions", `${server()}/v1/checkout/sessions`, { body, key });
  // An unknown outcome (503) is retried with the same key, as the client package does.
  for (let attempt = 0; attempt < 4 && session.status === 503; attempt += 1) {
    stats.count("checkout retry");
    await sleep(Math.min(Number(session.headers.get("retry-after") ?? 1), 2) * 250);
    session = await request(stats, "POST /v1/checkout/sessions", `${server()}/v1/checkout/sessions`, { body, key });
  }
  if (session.status !== 200 && session.status !== 201) return;
  stats.count("checkout");
  const { sessionId, holdId } = session.body as { sessionId: string; holdId: string };
  recentSessions.push(sessionId);
  if (recentSessions.length > 200) recentSessions.shift();
  const next = Math.random();
  if (next < 0.5) {
    stats.count("pay");
    await control(stats, target, `/sessions/${sessionId}/pay`, { outcome: "paid" });
  } else if (next < 0.6) {
    stats.count("pay async");
    await control(stats, target, `/sessions/${sessionId}/pay`, { outcome: "async" });
    await control(stats, target, `/sessions/${sessionId}/async-result`, { succeeded: Math.random() < 0.7 });
  } else if (next < 0.75) {
    stats.count("cancel (session expired at Stripe)");
    await control(stats, target, `/sessions/${sessionId}/expire`);
  } else if (next < 0.85) {
    stats.count("abandon (hold left to the reaper)");
    await target.expireHold(holdId);
    return;
  } else {
    stats.count("leave open");
    return;
  }
  // The thank-you page asks before clearing the cart.
  await request(stats, "GET /v1/checkout/sessions/:id", `${server()}/v1/checkout/sessions/${sessionId}`);
}
