/**
 * What the fault tests share: the invariant check each scenario ends with, Stripe's eventual
 * redelivery of webhooks, timed requests, and authority servers in child processes that a test can
 * SIGKILL or SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Sql } from "../../src/db/database.ts";
import { type CheckOptions, checkInvariants, formatViolations } from "../../src/invariants/check-invariants.ts";
import { STAND_IN_SECRET_KEY } from "../../src/server.ts";
import type { StripeStandIn } from "../../src/stripe/stand-in/index.ts";

/** Ends a scenario: every invariant holds on what it left behind. */
export async function expectInvariantsHold(sql: Sql, options: CheckOptions = {}): Promise<void> {
  expect(formatViolations(await checkInvariants(sql, options))).toBe("invariants: all hold");
}

/**
 * Stripe keeps retrying an event its endpoint did not take (for days): the stand-in's dropped, held,
 * failed and undelivered events are sent again, as those retries would. Returns how many.
 */
export async function redeliverUndelivered(standIn: StripeStandIn): Promise<number> {
  const undelivered = standIn.events().filter((event) => event.state !== "delivered");
  for (const event of undelivered) await standIn.redeliver(event.id);
  const still = standIn.events().filter((event) => event.state !== "delivered");
  expect(still.map((event) => `${event.id} ${event.type} ${event.state}`)).toEqual([]);
  return undelivered.length;
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever body came back
  body: any;
  headers: Headers;
  ms: number;
}

/** A JSON request that records how long it took; a connection failure is status 0. */
export async function call(
  url: string,
  path: string,
  init: { method?: string; body?: unknown; key?: string; shop?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "x-shop-id": init.shop ?? "cochlearfit" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.key) headers["idempotency-key"] = init.key;
  const started = performance.now();
  try {
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body, headers: response.headers, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, body: String(error), headers: new Headers(), ms: performance.now() - started };
  }
}

export const classicLines = (quantity: number, color = "black", size = "m") => [
  { sku: "cf-headband-classic", quantity, variantAttributes: { color, size } },
];

/** Counts of a shop's stock for one variant. */
export async function stockRow(sql: Sql, color = "black", size = "m") {
  const [row] = await sql<{ on_hand: number; held: number; committed: number }[]>`
    select on_hand, held, committed from stock
    where shop_id = 'cochlearfit' and sku = 'cf-headband-classic' and variant_key = ${`color:${color}|size:${size}`}`;
  if (!row) throw new Error("no stock row");
  return row;
}

export async function holdsOfKey(sql: Sql, key: string) {
  return sql<{ id: string; status: string; stripe_session_id: string | null }[]>`
    select id, status, stripe_session_id from holds where intent_key = ${`key:${key}`} order by created_at`;
}

const serverDir = fileURLToPath(new URL("../../", import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Resolves with the first stdout line matching `pattern` (lines already seen count). */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** Everything it printed on stdout so far. */
  output(): string[];
  /** SIGTERM, then SIGKILL if it is still there after 20 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * `node --import tsx src/main.ts`, the production entry point, in its own process, on `databaseUrl`
 * and the test's stand-in. `env` adds to (or overrides) its environment.
 */
export async function startChildServer(options: {
  databaseUrl: string;
  standIn: StripeStandIn;
  env?: Record<string, string>;
}): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      PORT: "0",
      DATABASE_URL: options.databaseUrl,
      STRIPE_API_URL: options.standIn.url,
      STRIPE_SECRET_KEY: STAND_IN_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: options.standIn.webhookSecret,
      CHECKOUT_RATE_LIMIT_ENABLED: "false",
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const seen: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (text) => {
    seen.push(text);
    for (const waiter of [...waiting]) {
      if (waiter.pattern.test(text)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const found = seen.find((text) => pattern.test(text));
      if (found !== undefined) return resolve(found);
      waiting.push({ pattern, resolve });
      void exited.then(({ code, signal }) =>
        reject(new Error(`server exited (${code ?? signal}) before printing ${pattern}\n${stderr}`)),
      );
    });
  const started = await line(/Authority server: (http:\/\/\S+)/);
  const url = /Authority server: (http:\/\/\S+)/.exec(started)?.[1];
  if (!url) throw new Error(`no URL in ${started}`);
  return {
    url,
    process: child,
    line,
    exited,
    kill: (signal) => child.kill(signal),
    output: () => [...seen],
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(force);
    },
  };
}
