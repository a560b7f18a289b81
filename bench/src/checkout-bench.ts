/**
 * `pnpm bench:checkout` (and the second half of `pnpm bench`): checkout sessions per second and their
 * latency on a real PostgreSQL with the Stripe stand-in in its own process; in the same run, the
 * throughput of the bare database work of a checkout (the hold transaction, `acquireHold`, issued
 * directly with postgres.js from this process), so the cost of the rest of the stack is a ratio; and
 * the contention case: many shoppers racing for the few units of one variant.
 *
 * Processes: this one (autocannon, the bare workers, the racing shoppers), the authority server
 * (`serve-app.ts`, rate limit off, pool of 10) and the stand-in (`server/src/stripe/stand-in/main.ts`),
 * each in its own Node process. Every checkout request carries a new Idempotency-Key, so each is a
 * new hold and a new Stripe session.
 *
 * Environment: DATABASE_URL (a server where we may create a database; default
 * postgres://postgres@127.0.0.1:5432/test), BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default
 * 50), BENCH_SPREAD (default 12: the same load again spread over that many variants, to tell the
 * lock on one stock row from the cost of a checkout; 0 skips it), BENCH_SHOPPERS (default 1000) and
 * BENCH_UNITS (default 100) for the contention case, BENCH_RATE_LIMIT (default 1: the checkout load again,
 * each request from its own client address in X-Forwarded-For, on the server with the rate limiter
 * off and on a second server with it on and TRUST_PROXY_HOPS=1, for the ratio on ÷ off; 0 skips it), BENCH_CPU_PROF (a folder: profile the server and the stand-in with --cpu-prof, into its subfolders
 * checkout-server/ and checkout-stand-in/; the largest file in each is the main thread).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { availableParallelism, cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { openDatabase, type Sql } from "../../server/src/db/database.ts";
import { type HoldRow, toHold } from "../../server/src/holds/hold.ts";
import { acquireHold, type NewHold } from "../../server/src/holds/hold-store.ts";
import {
  cell,
  cpuSeconds,
  createBenchDatabase,
  defaultDatabaseUrl,
  postgresCpuSeconds,
  quantile,
  startChild,
  startStandInChild,
  stopChild,
} from "./support.ts";

const baseUrl = process.env.DATABASE_URL || defaultDatabaseUrl;
const seconds = Number(process.env.BENCH_SECONDS || 10);
const connections = Number(process.env.BENCH_CONNECTIONS || 50);
const shoppers = Number(process.env.BENCH_SHOPPERS || 1000);
const units = Number(process.env.BENCH_UNITS || 100);
const warmupSeconds = 2;
/** The server's pool (openDatabase's default), used for the bare workers too. */
const poolSize = 10;

/** Variants of the spread scenario (0: skip it). */
const spreadCount = Number(process.env.BENCH_SPREAD ?? 12);
/** Whether to measure the checkout load with the rate limiter on against off. */
const rateLimitPair = process.env.BENCH_RATE_LIMIT !== "0";

const shopId = "cochlearfit";

interface Variant {
  sku: string;
  attributes: Record<string, string>;
}

/** The variant every checkout of the main figure buys (the issue's request): stock enough never to run out. */
const hot: Variant = { sku: "cf-headband-classic", attributes: { color: "black", size: "m" } };
/** Stock of each benchmarked variant. */
const plentyOnHand = 10_000_000;
/** The variant the racing shoppers want: `units` on hand, none held. */
const scarce: Variant = { sku: "cf-headband-classic", attributes: { color: "navy", size: "m" } };
/** The spread scenario's product: each request buys the next of its variants. */
const spreadSku = "cf-headband-kids";
const webhookSecret = "whsec_bench";
const checkoutPath = "/v1/checkout/sessions";
/** Distinguishes this run's Idempotency-Keys (8–255 of A-Z a-z 0-9 _ . : -). */
const run = randomBytes(4).toString("hex");

const checkoutBody = (variant: Variant) =>
  JSON.stringify({ lines: [{ sku: variant.sku, quantity: 1, variantAttributes: variant.attributes }] });
const checkoutHeaders = { "x-shop-id": shopId, "content-type": "application/json" };

interface Cpu {
  server: number | undefined;
  standIn: number | undefined;
  postgres: number | undefined;
  client: number;
}

interface Figures {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  /** Successful operations: 201s for checkout, created holds for the bare transaction. */
  ok: number;
  seconds: number;
  /** Anything else: other statuses, replays, connection errors, thrown transactions. */
  failed: number;
  /** CPU µs per successful operation, per process. */
  cpu: Partial<Record<keyof Cpu, number>>;
  connections?: Connections;
}

interface Pids {
  server: number | undefined;
  standIn: number | undefined;
}

function cpuNow(pids: Pids): Cpu {
  const client = process.cpuUsage();
  return {
    server: cpuSeconds(pids.server),
    standIn: cpuSeconds(pids.standIn),
    postgres: postgresCpuSeconds(),
    client: (client.user + client.system) / 1e6,
  };
}

/**
 * Measures `work` and adds to its figures the CPU µs per successful operation, per process, and what
 * the database connections were doing meanwhile.
 */
async function measured(pids: Pids, admin: Sql, database: string, work: () => Promise<Figures>): Promise<Figures> {
  const stopSampling = sampleConnections(admin, database);
  const before = cpuNow(pids);
  const figures = await work();
  const after = cpuNow(pids);
  figures.connections = await stopSampling();
  for (const key of ["server", "standIn", "postgres", "client"] as const) {
    const a = after[key];
    const b = before[key];
    if (a !== undefined && b !== undefined && figures.ok > 0) figures.cpu[key] = ((a - b) * 1e6) / figures.ok;
  }
  return figures;
}

/** What the database's connections were doing, on average over the samples (of `poolSize` each side). */
interface Connections {
  /** Executing: on CPU or waiting for anything but a lock or the WAL. */
  running: number;
  /** Waiting for a row lock another transaction holds (the stock row, mostly). */
  lock: number;
  /** Waiting for the WAL to be written or flushed (a commit). */
  wal: number;
  /** In an open transaction, waiting for the client's next statement. */
  idleInTransaction: number;
}

/** Samples pg_stat_activity for `database` every `everyMs` until the returned function is called. */
function sampleConnections(admin: Sql, database: string, everyMs = 50) {
  const sums: Connections = { running: 0, lock: 0, wal: 0, idleInTransaction: 0 };
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = await admin<{ state: string; wait_event_type: string | null; wait_event: string | null }[]>`
        select state, wait_event_type, wait_event from pg_stat_activity
        where datname = ${database} and state in ('active', 'idle in transaction')`;
      samples++;
      for (const r of rows) {
        if (r.state === "idle in transaction") sums.idleInTransaction++;
        else if (r.wait_event_type === "Lock") sums.lock++;
        else if (r.wait_event?.startsWith("WAL")) sums.wal++;
        else sums.running++;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async (): Promise<Connections> => {
    stopped = true;
    await loop;
    const mean = (n: number) => (samples > 0 ? n / samples : Number.NaN);
    return {
      running: mean(sums.running),
      lock: mean(sums.lock),
      wal: mean(sums.wal),
      idleInTransaction: mean(sums.idleInTransaction),
    };
  };
}

/** A new client address on every call, for the whole run (warm-ups included): 10.x.y.z, 16 million of them. */
let clients = 0;
const nextClientAddress = () => {
  const i = clients++;
  return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
};

/**
 * Checkout at `connections` connections for `duration` s, each request with a new Idempotency-Key,
 * the requests buying `variants` in turn; with `forwardedFor`, each request also names its own client
 * address in X-Forwarded-For (one request per client, so a rate limiter that trusts the header never
 * refuses one).
 */
function checkoutLoad(
  url: string,
  variants: Variant[],
  duration: number,
  phase: string,
  forwardedFor = false,
): Promise<Figures> {
  const bodies = variants.map(checkoutBody);
  const latencies: number[] = [];
  let created = 0;
  let other = 0;
  let n = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: url + checkoutPath,
        connections,
        duration,
        method: "POST",
        headers: checkoutHeaders,
        requests: [
          {
            setupRequest: (req) => {
              const i = n++;
              const key = { "idempotency-key": `bench-${run}-${phase}-${i}` };
              const headers = forwardedFor
                ? { ...req.headers, ...key, "x-forwarded-for": nextClientAddress() }
                : { ...req.headers, ...key };
              return { ...req, body: bodies[i % bodies.length], headers };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        resolve({
          name: `POST ${checkoutPath}${scenario(variants)}`,
          perSecond: created / result.duration,
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          ok: created,
          seconds: result.duration,
          failed: other + result.errors + result.timeouts,
          cpu: {},
        });
      },
    );
    // 201 only: a 200 would be a replay (a key sent twice), not a new checkout.
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status === 201) {
        created++;
        latencies.push(ms);
      } else other++;
    });
  });
}

/**
 * The bare database work: `acquireHold` (the transaction the server issues to take a hold) called
 * directly on a postgres.js pool of `poolSize`, by `connections` concurrent workers for `duration` s,
 * each call a new intent, for the same variants as the checkouts (`templates`: one hold of each).
 */
async function bareLoad(sql: Sql, templates: NewHold[], duration: number, phase: string): Promise<Figures> {
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const start = performance.now();
  const deadline = start + duration * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const id = randomUUID();
      const i = n++;
      const began = performance.now();
      try {
        const { created } = await acquireHold(sql, {
          ...(templates[i % templates.length] as NewHold),
          id,
          intentKey: `key:bare-${run}-${phase}-${i}`,
          stripeIdempotencyKey: `hold:${id}`,
        });
        if (created) latencies.push(performance.now() - began);
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name: `acquireHold with postgres.js${scenario(templates)}`,
    perSecond: latencies.length / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    ok: latencies.length,
    seconds: Number(elapsed.toFixed(2)),
    failed,
    cpu: {},
  };
}

interface Answer {
  status: number;
  body: string;
}

function send(agent: Agent, url: string, init: { method: string; path: string; headers?: object; body?: string }) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      url + init.path,
      { agent, method: init.method, headers: { ...init.headers } as Record<string, string> },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

interface Race {
  created: number;
  insufficient: number;
  other: Record<string, number>;
  drainMs: number;
  /** When the last 201 arrived: the stock was gone by then. */
  lastCreatedMs: number;
  p50: number;
  p99: number;
  warmSockets: number;
  held: number;
  onHand: number;
  activeHolds: number;
}

/**
 * `shoppers` checkouts for the scarce variant fired at once, each on its own connection (opened and
 * warmed beforehand, so the figure is the checkout's, not 1000 TCP handshakes at the same instant);
 * the drain time runs from the first request written to the last answer read.
 */
async function race(url: string, sql: Sql): Promise<Race> {
  const agent = new Agent({ keepAlive: true, maxSockets: shoppers, maxFreeSockets: shoppers });
  try {
    await Promise.all(Array.from({ length: shoppers }, () => send(agent, url, { method: "GET", path: "/healthz" })));
    const warmSockets = Object.values(agent.freeSockets).reduce((sum, list) => sum + (list?.length ?? 0), 0);
    const body = checkoutBody(scarce);
    const start = performance.now();
    const answers = await Promise.all(
      Array.from({ length: shoppers }, (_, i) =>
        send(agent, url, {
          method: "POST",
          path: checkoutPath,
          headers: { ...checkoutHeaders, "idempotency-key": `rush-${run}-${i}` },
          body,
        }).then(
          (answer) => ({ ...answer, ms: performance.now() - start }),
          (error: Error) => ({ status: 0, body: error.message, ms: performance.now() - start }),
        ),
      ),
    );
    const drainMs = performance.now() - start;
    const other: Record<string, number> = {};
    let created = 0;
    let insufficient = 0;
    let lastCreatedMs = 0;
    for (const a of answers) {
      if (a.status === 201) {
        created++;
        lastCreatedMs = Math.max(lastCreatedMs, a.ms);
      } else if (a.status === 409 && a.body.includes('"INSUFFICIENT_STOCK"')) insufficient++;
      else {
        const code = /"code":"(\w+)"/.exec(a.body)?.[1] ?? a.body.slice(0, 60);
        const label = `${a.status} ${code}`;
        other[label] = (other[label] ?? 0) + 1;
      }
    }
    const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
    const [stock] = await sql<{ held: number; on_hand: number }[]>`
      select s.held, s.on_hand from stock s join variants v using (shop_id, sku, variant_key)
      where s.shop_id = ${shopId} and s.sku = ${scarce.sku} and v.attributes = ${sql.json(scarce.attributes)}`;
    const [holds] = await sql<{ count: number }[]>`
      select count(*)::int as count from holds
      where shop_id = ${shopId} and intent_key like ${`key:rush-${run}-%`} and status = 'active'`;
    return {
      created,
      insufficient,
      other,
      drainMs,
      lastCreatedMs,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      warmSockets,
      held: stock?.held ?? Number.NaN,
      onHand: stock?.on_hand ?? Number.NaN,
      activeHolds: holds?.count ?? Number.NaN,
    };
  } finally {
    agent.destroy();
  }
}

const scenario = (variants: readonly unknown[]) =>
  variants.length === 1 ? ", one variant" : `, ${variants.length} variants in turn`;

async function setStock(sql: Sql, variant: Variant, onHand: number) {
  const rows = await sql`
    update stock s set on_hand = ${onHand}, held = 0, committed = 0, updated_at = now()
    from variants v
    where v.shop_id = s.shop_id and v.sku = s.sku and v.variant_key = s.variant_key
      and s.shop_id = ${shopId} and s.sku = ${variant.sku} and v.attributes = ${sql.json(variant.attributes)}`;
  if (rows.count !== 1) throw new Error(`expected one stock row for ${JSON.stringify(variant)}`);
}

/**
 * One checkout of `variant` before the load, so a broken setup fails with its answer; its hold is the
 * bare transaction's template for that variant.
 */
let checks = 0;
async function firstCheckout(url: string, sql: Sql, variant: Variant): Promise<NewHold> {
  const response = await fetch(url + checkoutPath, {
    method: "POST",
    headers: { ...checkoutHeaders, "idempotency-key": `bench-${run}-check-${checks++}` },
    body: checkoutBody(variant),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`checkout: ${response.status} ${text}`);
  const { holdId } = JSON.parse(text) as { holdId: string };
  const [row] = await sql<HoldRow[]>`select * from holds where id = ${holdId}`;
  if (!row) throw new Error(`hold ${holdId} not found`);
  const { status: _status, stripeSessionId: _id, stripeSessionUrl: _url, ...hold } = toHold(row);
  return hold;
}

const startLoad = loadavg();
const database = await createBenchDatabase(baseUrl);
const sql = (await openDatabase({ url: database.url, max: poolSize })).sql;
const admin = database.admin.sql;
const databaseName = new URL(database.url).pathname.slice(1);
const children: ChildProcess[] = [];
const results: Figures[] = [];
let contention: Race | undefined;
/** The checkout load with the rate limiter off, then on (when BENCH_RATE_LIMIT is not 0). */
const limiterResults: Figures[] = [];
/** What the limiter counted in its run: clients (rows) and the most requests one client made. */
let limiterCounted: { clients: number; most: number } | undefined;
let sessionsCreated: number | undefined;
/** Holds that got a Stripe session, those of requests still in flight when autocannon stopped included. */
let holdsWithSession: number | undefined;
try {
  const spread = (
    await sql<{ attributes: Record<string, string> }[]>`
      select attributes from variants where shop_id = ${shopId} and sku = ${spreadSku}
      order by position limit ${spreadCount}`
  ).map(({ attributes }) => ({ sku: spreadSku, attributes }));
  for (const variant of [hot, ...spread]) await setStock(sql, variant, plentyOnHand);
  await setStock(sql, scarce, units);

  const profile = process.env.BENCH_CPU_PROF;
  const profiled = (name: string) =>
    // A folder each: tsx's loader thread writes a profile too, so one file name would be overwritten.
    profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}/${name}`] : [];
  const standIn = startStandInChild(webhookSecret, profiled("checkout-stand-in"));
  children.push(standIn.child);
  const standInUrl = await standIn.url;
  const app = startChild(
    "serve-app.ts",
    {
      DATABASE_URL: database.url,
      PORT: "0",
      LOG_LEVEL: "warn",
      CHECKOUT_RATE_LIMIT_ENABLED: "false",
      STRIPE_API_URL: standInUrl,
      STRIPE_SECRET_KEY: "sk_test_bench",
      STRIPE_WEBHOOK_SECRET: webhookSecret,
    },
    profiled("checkout-server"),
  );
  children.push(app.child);
  const url = `http://127.0.0.1:${await app.port}`;
  // Nothing in this bench pays or expires a session, but events would find the server.
  await fetch(`${standInUrl}/__stand-in/webhook`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: `${url}/v1/webhooks/stripe` }),
  });
  const pids = { server: app.child.pid, standIn: standIn.child.pid };

  // The main figure (every shopper buys the same variant, so every hold locks the same stock row),
  // then the same spread over several variants, to tell that row's lock from the cost of a checkout.
  for (const variants of spreadCount > 0 ? [[hot], spread] : [[hot]]) {
    const templates: NewHold[] = [];
    for (const variant of variants) templates.push(await firstCheckout(url, sql, variant));
    const phase = `${variants.length}`;
    process.stderr.write(
      `checkout${scenario(variants)}: warm-up ${warmupSeconds} s, then ${seconds} s at ${connections} connections\n`,
    );
    await checkoutLoad(url, variants, warmupSeconds, `warm${phase}`);
    results.push(await measured(pids, admin, databaseName, () => checkoutLoad(url, variants, seconds, phase)));
    process.stderr.write(
      `bare hold transaction${scenario(variants)}: warm-up ${warmupSeconds} s, then ${seconds} s, ${connections} workers on a pool of ${poolSize}\n`,
    );
    await bareLoad(sql, templates, warmupSeconds, `warm${phase}`);
    results.push(await measured(pids, admin, databaseName, () => bareLoad(sql, templates, seconds, phase)));
  }

  if (rateLimitPair) {
    // Off: the server above. On: a second server on the same database and stand-in, trusting one
    // proxy hop, so X-Forwarded-For names the client. Same requests, each from its own address.
    const variants = spreadCount > 0 ? spread : [hot];
    const limited = startChild(
      "serve-app.ts",
      {
        DATABASE_URL: database.url,
        PORT: "0",
        LOG_LEVEL: "warn",
        CHECKOUT_RATE_LIMIT_ENABLED: "true",
        TRUST_PROXY_HOPS: "1",
        STRIPE_API_URL: standInUrl,
        STRIPE_SECRET_KEY: "sk_test_bench",
        STRIPE_WEBHOOK_SECRET: webhookSecret,
      },
      profiled("checkout-server-rate-limited"),
    );
    children.push(limited.child);
    const limitedUrl = `http://127.0.0.1:${await limited.port}`;
    const runs = [
      { label: "off", target: url, server: pids },
      { label: "on", target: limitedUrl, server: { server: limited.child.pid, standIn: standIn.child.pid } },
    ];
    for (const { label, target, server } of runs) {
      process.stderr.write(
        `checkout${scenario(variants)}, rate limiter ${label}, one client address per request: warm-up ${warmupSeconds} s, then ${seconds} s\n`,
      );
      await checkoutLoad(target, variants, warmupSeconds, `warm-rl-${label}`, true);
      const figures = await measured(server, admin, databaseName, () =>
        checkoutLoad(target, variants, seconds, `rl-${label}`, true),
      );
      figures.name += `, rate limiter ${label}`;
      limiterResults.push(figures);
    }
    const [counted] = await sql<{ clients: number; most: number }[]>`
      select count(*)::int as clients, coalesce(max(count), 0)::int as most from rate_limits`;
    limiterCounted = counted;
  }

  process.stderr.write(`contention: ${shoppers} shoppers for ${units} units\n`);
  contention = await race(url, sql);

  const stats = await fetch(`${standInUrl}/__stand-in/stats`);
  sessionsCreated = ((await stats.json()) as { sessionsCreated: number }).sessionsCreated;
  const [withSession] = await sql<{ count: number }[]>`
    select count(*)::int as count from holds where stripe_session_id is not null`;
  holdsWithSession = withSession?.count;
} finally {
  await Promise.all(children.map(stopChild));
  await sql.end({ timeout: 5 });
  await database.drop();
}

const cpuCell = (value: number | undefined) => (value === undefined ? "n/a" : cell(value));
console.log(
  `\nCheckout: ${connections} connections (HTTP) / ${connections} workers on a pool of ${poolSize} (bare), ${seconds} s each after a ${warmupSeconds} s warm-up\n`,
);
console.log(
  "| measure | per s | p50 ms | p99 ms | done | in s | failed | server CPU µs/op | stand-in CPU µs/op | PostgreSQL CPU µs/op | bench process CPU µs/op |",
);
console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
for (const r of [...results, ...limiterResults]) {
  console.log(
    `| ${r.name} | ${cell(r.perSecond)} | ${cell(r.p50, 2)} | ${cell(r.p99, 2)} | ${cell(r.ok)} | ${r.seconds} | ${r.failed} | ${cpuCell(r.cpu.server)} | ${cpuCell(r.cpu.standIn)} | ${cpuCell(r.cpu.postgres)} | ${cpuCell(r.cpu.client)} |`,
  );
}
console.log(
  "\n| measure | connections running | waiting for a row lock | waiting for the WAL | idle in transaction (waiting for Node) |",
);
console.log("|---|--:|--:|--:|--:|");
for (const r of [...results, ...limiterResults]) {
  const c = r.connections;
  if (c) {
    console.log(
      `| ${r.name} | ${cell(c.running, 1)} | ${cell(c.lock, 1)} | ${cell(c.wal, 1)} | ${cell(c.idleInTransaction, 1)} |`,
    );
  }
}
// Results come in pairs: checkout, then the bare transaction on the same variants.
for (let i = 0; i + 1 < results.length; i += 2) {
  const checkout = results[i] as Figures;
  const bare = results[i + 1] as Figures;
  const label = i === 0 ? "" : ` (${checkout.name.split(", ").at(-1)})`;
  console.log("");
  console.log(
    `checkout sessions/s${label}: ${cell(checkout.perSecond)} (target ≥ 1,000); p99 ${cell(checkout.p99, 2)} ms (target ≤ 50)`,
  );
  console.log(
    `checkout ÷ bare hold transaction${label}: ${(checkout.perSecond / bare.perSecond).toFixed(3)} per second (target ≥ 0.5)`,
  );
}
const [limiterOff, limiterOn] = limiterResults;
if (limiterOff && limiterOn) {
  console.log(
    `\nrate limiter on ÷ off (checkout sessions/s, one client address per request): ${cell(limiterOn.perSecond)} ÷ ${cell(limiterOff.perSecond)} = ${(limiterOn.perSecond / limiterOff.perSecond).toFixed(3)}; p99 ${cell(limiterOn.p99, 2)} vs ${cell(limiterOff.p99, 2)} ms`,
  );
  if (limiterCounted) {
    console.log(
      `the limiter counted ${cell(limiterCounted.clients)} clients, at most ${limiterCounted.most} request(s) each`,
    );
  }
}
if (contention) {
  const c = contention;
  const other = Object.entries(c.other).map(([label, count]) => `${count}× ${label}`);
  console.log(`\nContention: ${shoppers} shoppers at once (${c.warmSockets} warm connections), ${units} units\n`);
  console.log(
    "| 201 | 409 INSUFFICIENT_STOCK | other | held | active holds | drained in ms | last 201 at ms | p50 ms | p99 ms |",
  );
  console.log("|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  console.log(
    `| ${c.created} | ${c.insufficient} | ${other.length ? other.join(", ") : 0} | ${c.held} of ${c.onHand} | ${c.activeHolds} | ${cell(c.drainMs)} | ${cell(c.lastCreatedMs)} | ${cell(c.p50)} | ${cell(c.p99)} |`,
  );
  console.log(`\ndrained in ${cell(c.drainMs)} ms (target ≤ 2,000) with ${c.held} held (must be exactly ${units})`);
}
if (sessionsCreated !== undefined) {
  console.log(`\nstand-in sessions created: ${sessionsCreated}; holds with a session: ${holdsWithSession}`);
}
console.log(
  `\nmachine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}`,
);
console.log(`database: ${database.postgresVersion}`);
console.log(
  `load average before the run: ${startLoad.map((n) => n.toFixed(2)).join(", ")} (other work skews the figures)`,
);

const problems: string[] = [];
for (const r of [...results, ...limiterResults]) if (r.failed > 0) problems.push(`${r.name}: ${r.failed} failed`);
if (contention) {
  const c = contention;
  if (c.held !== units || c.created !== units || c.activeHolds !== units) {
    problems.push(`contention: ${c.created} created, ${c.activeHolds} active holds, ${c.held} held; expected ${units}`);
  }
  const odd = shoppers - c.created - c.insufficient;
  if (odd > 0) problems.push(`contention: ${odd} answers were neither 201 nor 409 INSUFFICIENT_STOCK (see above)`);
}
if (sessionsCreated !== holdsWithSession) {
  problems.push(`the stand-in created ${sessionsCreated} sessions for ${holdsWithSession} holds with a session`);
}
if (problems.length > 0) {
  console.error(`\n${problems.join("\n")}\nthe figures above are not valid`);
  process.exitCode = 1;
}
