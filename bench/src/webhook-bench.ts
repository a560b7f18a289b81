/**
 * `pnpm bench:webhooks` (and the third part of `pnpm bench`): signed Stripe webhooks processed per
 * second on a real PostgreSQL, distinct events (each commits a hold and writes a paid order) and
 * duplicates (the same event ids again: recorded already, so nothing changes).
 *
 * Processes: this one (autocannon), the authority server (`serve-app.ts`, rate limit off, pool of
 * 10, `STRIPE_WEBHOOK_SECRET=whsec_bench`) and the Stripe stand-in (used only while the holds are
 * prepared: the server opens a real session for each), each in its own Node process.
 *
 * 1. Prepare `BENCH_WARMUP_EVENTS + BENCH_EVENTS` holds with sessions: that many checkouts, distinct
 *    Idempotency-Keys, buying `BENCH_WEBHOOK_VARIANTS` variants in turn.
 * 2. Sign one `checkout.session.completed` event per hold (paid, the hold's amount and currency,
 *    metadata shop_id and hold_id) before anything is timed.
 * 3. Distinct: the warm-up events, then `BENCH_EVENTS` events, each sent once, at `BENCH_CONNECTIONS`
 *    connections; events/s = events ÷ the time to get every answer.
 * 4. Duplicates: every event of step 3 again (same ids), cycling, for 2 s of warm-up and then
 *    `BENCH_SECONDS`.
 * 5. Checks: every answer a 2xx with the expected result (`processed`, then `duplicate`), as many paid
 *    orders, committed holds and recorded events as distinct events sent, and nothing held any more.
 *
 * Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_EVENTS (default
 * 5000), BENCH_WARMUP_EVENTS (default 500), BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50),
 * BENCH_WEBHOOK_VARIANTS (default 12: the variants of cf-headband-kids in turn; 1: all the same
 * variant, so every commit updates one stock row), BENCH_CPU_PROF (a folder: profile the server).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism, cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { openDatabase } from "../../server/src/db/database.ts";
import { DEFAULT_API_VERSION, signatureHeader } from "../../server/src/stripe/stand-in/index.ts";
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
const events = Number(process.env.BENCH_EVENTS || 5000);
const warmupEvents = Number(process.env.BENCH_WARMUP_EVENTS ?? 500);
const seconds = Number(process.env.BENCH_SECONDS || 10);
const connections = Number(process.env.BENCH_CONNECTIONS || 50);
const variantCount = Number(process.env.BENCH_WEBHOOK_VARIANTS || 12);
const warmupSeconds = 2;

const shopId = "cochlearfit";
const webhookSecret = "whsec_bench";
const webhookPath = "/v1/webhooks/stripe";
const checkoutPath = "/v1/checkout/sessions";
const run = randomBytes(4).toString("hex");
const plentyOnHand = 10_000_000;

interface Variant {
  sku: string;
  attributes: Record<string, string>;
}

/** What a checkout answered: what the event for its hold must say. */
interface Prepared {
  holdId: string;
  sessionId: string;
  amountTotal: number;
  currency: string;
}

interface Signed {
  body: string;
  headers: Record<string, string>;
}

interface Figures {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  /** Answers with the expected result. */
  ok: number;
  seconds: number;
  /** Other statuses, other results, connection errors and timeouts. */
  failed: number;
  statuses: Record<string, number>;
  results: Record<string, number>;
  /** CPU µs per answered event, per process. */
  cpu: { server?: number; postgres?: number; client?: number };
}

/**
 * `count` checkouts at `connections` connections, distinct keys, the variants in turn; resolves with
 * what each 201 answered. Anything but a 201 fails the bench: the events need a hold each.
 */
function prepareHolds(url: string, variants: Variant[], count: number): Promise<Prepared[]> {
  const bodies = variants.map((v) =>
    JSON.stringify({ lines: [{ sku: v.sku, quantity: 1, variantAttributes: v.attributes }] }),
  );
  const prepared: Prepared[] = [];
  const failures: string[] = [];
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: url + checkoutPath,
        connections: Math.min(connections, count),
        amount: count,
        method: "POST",
        headers: { "x-shop-id": shopId, "content-type": "application/json" },
        requests: [
          {
            setupRequest: (req) => {
              const i = n++;
              return {
                ...req,
                body: bodies[i % bodies.length],
                headers: { ...req.headers, "idempotency-key": `hook-${run}-${i}` },
              };
            },
            onResponse: (status, body) => {
              if (status !== 201) {
                failures.push(`${status} ${body.slice(0, 200)}`);
                return;
              }
              const answer = JSON.parse(body) as Prepared;
              prepared.push({
                holdId: answer.holdId,
                sessionId: answer.sessionId,
                amountTotal: answer.amountTotal,
                currency: answer.currency,
              });
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        if (failures.length > 0 || result.errors + result.timeouts > 0 || prepared.length !== count) {
          return reject(
            new Error(
              `preparing holds: ${prepared.length} of ${count} created, ${result.errors} errors, ${result.timeouts} timeouts; ${failures.slice(0, 3).join("; ")}`,
            ),
          );
        }
        resolve(prepared);
      },
    );
  });
}

/** The event Stripe sends when a session is paid, shaped like the stand-in's own. */
function completedEvent(p: Prepared, i: number, createdSeconds: number): string {
  return JSON.stringify({
    id: `evt_bench_${run}_${i}`,
    object: "event",
    api_version: DEFAULT_API_VERSION,
    created: createdSeconds,
    livemode: false,
    type: "checkout.session.completed",
    data: {
      object: {
        id: p.sessionId,
        object: "checkout.session",
        status: "complete",
        payment_status: "paid",
        mode: "payment",
        amount_total: p.amountTotal,
        currency: p.currency,
        metadata: { shop_id: shopId, hold_id: p.holdId, cart_id: "", rental_days: "0" },
      },
    },
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });
}

/** Signs the payloads with the current time (the server accepts 300 s either side). */
function sign(payloads: readonly string[]): Signed[] {
  const t = Math.floor(Date.now() / 1000);
  return payloads.map((body) => ({
    body,
    headers: { "content-type": "application/json", "stripe-signature": signatureHeader(body, webhookSecret, t) },
  }));
}

/**
 * Posts `signed` at `connections` connections, in turn from the first: each once (`mode.amount`, at
 * most `signed.length`), or cycling for `mode.duration` s. Every answer must be a 2xx whose `result`
 * is `expected`.
 */
function webhookLoad(
  url: string,
  signed: readonly Signed[],
  mode: { amount: number } | { duration: number },
  expected: "processed" | "duplicate",
  name: string,
): Promise<Figures> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const results: Record<string, number> = {};
  let n = 0;
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: url + webhookPath,
        connections: "amount" in mode ? Math.min(connections, mode.amount) : connections,
        ...mode,
        method: "POST",
        requests: [
          {
            setupRequest: (req) => {
              const s = signed[n++ % signed.length] as Signed;
              return { ...req, body: s.body, headers: s.headers };
            },
            onResponse: (status, body) => {
              const result = /"result":"(\w+)"/.exec(body)?.[1] ?? "none";
              results[result] = (results[result] ?? 0) + 1;
              if (status >= 200 && status < 300 && result === expected) ok++;
              else failed++;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - start) / 1000;
        latencies.sort((a, b) => a - b);
        resolve({
          name,
          // Amount mode: the time to get every answer; duration mode: autocannon's own duration.
          perSecond: ok / ("amount" in mode ? elapsed : result.duration),
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          ok,
          seconds: Number(("amount" in mode ? elapsed : result.duration).toFixed(2)),
          failed: failed + result.errors + result.timeouts,
          statuses,
          results,
          cpu: {},
        });
      },
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      latencies.push(ms);
    });
  });
}

const startLoad = loadavg();
const database = await createBenchDatabase(baseUrl);
const sql = (await openDatabase({ url: database.url, max: 2 })).sql;
const children: ChildProcess[] = [];
const figures: Figures[] = [];
let prepareSeconds = Number.NaN;
let check:
  | { orders: number; paid: number; committed: number; recorded: number; active: number; held: number }
  | undefined;
try {
  const kids = (
    await sql<{ attributes: Record<string, string> }[]>`
      select attributes from variants where shop_id = ${shopId} and sku = 'cf-headband-kids'
      order by position limit ${variantCount}`
  ).map(({ attributes }) => ({ sku: "cf-headband-kids", attributes }));
  const variants: Variant[] =
    variantCount === 1 ? [{ sku: "cf-headband-classic", attributes: { color: "black", size: "m" } }] : kids;
  for (const v of variants) {
    const rows = await sql`
      update stock s set on_hand = ${plentyOnHand}, held = 0, committed = 0, updated_at = now()
      from variants v
      where v.shop_id = s.shop_id and v.sku = s.sku and v.variant_key = s.variant_key
        and s.shop_id = ${shopId} and s.sku = ${v.sku} and v.attributes = ${sql.json(v.attributes)}`;
    if (rows.count !== 1) throw new Error(`expected one stock row for ${JSON.stringify(v)}`);
  }

  const standIn = startStandInChild(webhookSecret);
  children.push(standIn.child);
  const standInUrl = await standIn.url;
  const profile = process.env.BENCH_CPU_PROF;
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
    profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}/webhook-server`] : [],
  );
  children.push(app.child);
  const url = `http://127.0.0.1:${await app.port}`;

  const total = warmupEvents + events;
  process.stderr.write(`preparing ${total} holds with sessions (${variants.length} variants in turn)\n`);
  const prepStart = performance.now();
  const prepared = await prepareHolds(url, variants, total);
  prepareSeconds = (performance.now() - prepStart) / 1000;
  // The stand-in is not needed any more: stop it, so that it takes no CPU from the measured run.
  await stopChild(standIn.child);

  const created = Math.floor(Date.now() / 1000);
  const payloads = prepared.map((p, i) => completedEvent(p, i, created));
  const warmPayloads = payloads.slice(0, warmupEvents);
  const timedPayloads = payloads.slice(warmupEvents);

  const cpu = () => {
    const c = process.cpuUsage();
    return {
      server: cpuSeconds(app.child.pid),
      postgres: postgresCpuSeconds(),
      client: (c.user + c.system) / 1e6,
    };
  };
  const measured = async (work: () => Promise<Figures>) => {
    const before = cpu();
    const f = await work();
    const after = cpu();
    const answered = f.ok + f.failed;
    for (const key of ["server", "postgres", "client"] as const) {
      const a = after[key];
      const b = before[key];
      if (a !== undefined && b !== undefined && answered > 0) f.cpu[key] = ((a - b) * 1e6) / answered;
    }
    return f;
  };

  process.stderr.write(`distinct events: ${warmupEvents} warm-up, then ${events} at ${connections} connections\n`);
  if (warmupEvents > 0) {
    const warm = await webhookLoad(url, sign(warmPayloads), { amount: warmupEvents }, "processed", "warm-up");
    if (warm.failed > 0) figures.push(warm);
  }
  figures.push(
    await measured(() =>
      webhookLoad(
        url,
        sign(timedPayloads),
        { amount: events },
        "processed",
        "distinct `checkout.session.completed` (commit the hold, write the order)",
      ),
    ),
  );

  process.stderr.write(`duplicates: warm-up ${warmupSeconds} s, then ${seconds} s at ${connections} connections\n`);
  await webhookLoad(url, sign(timedPayloads), { duration: warmupSeconds }, "duplicate", "warm-up");
  figures.push(
    await measured(() =>
      webhookLoad(
        url,
        sign(timedPayloads),
        { duration: seconds },
        "duplicate",
        "duplicate (an event id already processed)",
      ),
    ),
  );

  const [row] = await sql<
    { orders: number; paid: number; committed: number; recorded: number; active: number; held: number }[]
  >`
    select (select count(*)::int from orders) as orders,
           (select count(*)::int from orders where status = 'paid') as paid,
           (select count(*)::int from holds where status = 'committed') as committed,
           (select count(*)::int from webhook_events) as recorded,
           (select count(*)::int from holds where status = 'active') as active,
           (select coalesce(sum(held), 0)::int from stock where shop_id = ${shopId}) as held`;
  check = row;
} finally {
  await Promise.all(children.map(stopChild));
  await sql.end({ timeout: 5 });
  await database.drop();
}

const endLoad = loadavg();
const distinct = warmupEvents + events;
const cpuCell = (value: number | undefined) => (value === undefined ? "n/a" : cell(value));
console.log(
  `\nWebhooks: POST ${webhookPath}, ${connections} connections; ${distinct} holds prepared in ${cell(prepareSeconds, 1)} s (${variantCount === 1 ? "one variant" : `${variantCount} variants in turn`})\n`,
);
console.log(
  "| measure | events/s | p50 ms | p99 ms | done | in s | failed | server CPU µs/event | PostgreSQL CPU µs/event | bench process CPU µs/event |",
);
console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
for (const f of figures) {
  console.log(
    `| ${f.name} | ${cell(f.perSecond)} | ${cell(f.p50, 2)} | ${cell(f.p99, 2)} | ${cell(f.ok)} | ${f.seconds} | ${f.failed} | ${cpuCell(f.cpu.server)} | ${cpuCell(f.cpu.postgres)} | ${cpuCell(f.cpu.client)} |`,
  );
}
const [distinctFigures, duplicateFigures] = figures.filter((f) => f.name !== "warm-up");
if (distinctFigures) console.log(`\ndistinct events/s: ${cell(distinctFigures.perSecond)} (target ≥ 1,000)`);
if (duplicateFigures) console.log(`duplicate events/s: ${cell(duplicateFigures.perSecond)} (target ≥ 5,000)`);
if (check) {
  console.log(
    `\nafterwards: ${check.orders} orders (${check.paid} paid), ${check.committed} committed holds, ${check.recorded} recorded events, ${check.active} active holds, ${check.held} units held; ${distinct} distinct events sent`,
  );
}
console.log(
  `\nmachine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}`,
);
console.log(`database: ${database.postgresVersion}`);
console.log(
  `load average before the run: ${startLoad.map((n) => n.toFixed(2)).join(", ")}; after: ${endLoad.map((n) => n.toFixed(2)).join(", ")} (other work skews the figures)`,
);

const problems: string[] = [];
for (const f of figures) {
  if (f.failed > 0) {
    problems.push(
      `${f.name}: ${f.failed} failed (statuses ${JSON.stringify(f.statuses)}, results ${JSON.stringify(f.results)})`,
    );
  }
}
if (!check) problems.push("the database was not checked");
else if (check.orders !== distinct || check.paid !== distinct || check.committed !== distinct) {
  problems.push(`expected ${distinct} paid orders and committed holds; found ${JSON.stringify(check)}`);
} else if (check.recorded !== distinct || check.active !== 0 || check.held !== 0) {
  problems.push(`expected ${distinct} recorded events and nothing held; found ${JSON.stringify(check)}`);
}
if (problems.length > 0) {
  console.error(`\n${problems.join("\n")}\nthe figures above are not valid`);
  process.exitCode = 1;
}
