/**
 * `pnpm soak` (not in CI): two authority server instances (the production entry point, each its own
 * process) on a new database of a real PostgreSQL, one Stripe stand-in process with a low rate of
 * random faults, and a mixed workload for a configurable time, with a live progress line; then the
 * invariant checker and a summary (requests by outcome, p50/p99 per endpoint, holds, orders,
 * violations, which must be 0). Exits 1 on any violation.
 *
 * Environment: DATABASE_URL (a server where a database may be created; default
 * postgres://postgres@127.0.0.1:5432/test), SOAK_MINUTES (default 10; also `--minutes N`),
 * SOAK_SHOPPERS (concurrent shoppers, default 16), SOAK_FAULT_RATE (the chance, each second, that a
 * fault is armed on the stand-in; default 0.5), SOAK_KEEP_DATABASE=1 to keep the database.
 *
 * Time is real: sessions live 30 minutes, longer than a soak, so an "abandoned" checkout has its hold
 * made due at once (its `expires_at` set to now, as if its time had run out) and the servers' own
 * reapers expire it through the real path (expire the Stripe session, then release).
 */
import type { ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { openDatabase } from "../../../server/src/db/database.ts";
import { checkInvariants, formatViolations } from "../../../server/src/invariants/check-invariants.ts";
import {
  createBenchDatabase,
  defaultDatabaseUrl,
  quantile,
  startChild,
  startStandInChild,
  stopChild,
} from "../support.ts";
import { Stats, shopper, type Target } from "./workload.ts";

const { values } = parseArgs({ options: { minutes: { type: "string" } } });
const minutes = Number(values.minutes ?? process.env.SOAK_MINUTES ?? 10);
const shoppers = Number(process.env.SOAK_SHOPPERS ?? 16);
const faultRate = Number(process.env.SOAK_FAULT_RATE ?? 0.5);
const baseUrl = process.env.DATABASE_URL || defaultDatabaseUrl;
const webhookSecret = "whsec_soak";

/** Faults Stripe (or the network to it) really has, each armed for one call or one event. */
const faults: { fault: string; operation: string }[] = [
  { fault: "503", operation: "create" },
  { fault: "429", operation: "create" },
  { fault: "drop", operation: "create" },
  { fault: "lost-response", operation: "create" },
  { fault: "delay:3000", operation: "create" },
  { fault: "500", operation: "retrieve" },
  { fault: "503", operation: "expire" },
  { fault: "duplicate", operation: "webhook" },
  { fault: "drop", operation: "webhook" },
  { fault: "reorder", operation: "webhook" },
  { fault: "delay:5000", operation: "webhook" },
];

const database = await createBenchDatabase(baseUrl);
const sql = (await openDatabase({ url: database.url, max: 2 })).sql;
const children: ChildProcess[] = [];
const stats = new Stats();
let faultsArmed = 0;
try {
  // Enough stock for a long soak; a restock goes through the ledger, as an operator's would.
  await sql`insert into stock_movements (shop_id, sku, variant_key, quantity, kind, note)
    select shop_id, sku, variant_key, 2000, 'restock', 'soak' from stock`;
  const standIn = startStandInChild(webhookSecret);
  children.push(standIn.child);
  const standInUrl = await standIn.url;
  const servers: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const server = startChild(
      "../../server/src/main.ts",
      {
        DATABASE_URL: database.url,
        PORT: "0",
        LOG_LEVEL: "fatal",
        CHECKOUT_RATE_LIMIT_ENABLED: "false",
        STRIPE_API_URL: standInUrl,
        STRIPE_SECRET_KEY: "sk_test_soak",
        STRIPE_WEBHOOK_SECRET: webhookSecret,
      },
      [],
      /Authority server: http:\/\/localhost:(\d+)$/,
    );
    children.push(server.child);
    servers.push(`http://127.0.0.1:${await server.port}`);
  }
  const controlPost = (path: string, body: unknown, method = "POST") =>
    fetch(`${standInUrl}/__stand-in${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  await controlPost("/webhook", { url: `${servers[0]}/v1/webhooks/stripe` }, "PUT");

  const target: Target = {
    servers,
    standIn: standInUrl,
    async expireHold(holdId) {
      await sql`update holds set expires_at = now() where id = ${holdId} and status = 'active'`;
    },
  };
  const startedAt = Date.now();
  const until = startedAt + minutes * 60_000;
  console.log(
    `soak: ${minutes} min, ${shoppers} shoppers, 2 servers (${servers.join(", ")}), stand-in ${standInUrl}, database ${database.url.replace(/\/\/[^@]*@/, "//")}`,
  );
  // Each second: maybe a fault, and webhooks go now to one instance, now to the other.
  const chaos = setInterval(() => {
    if (Math.random() < faultRate) {
      const { fault, operation } = faults[Math.floor(Math.random() * faults.length)] as (typeof faults)[number];
      faultsArmed += 1;
      void controlPost("/faults", { fault, count: 1, operation }).catch(() => undefined);
    }
    const to = servers[Math.floor(Math.random() * servers.length)];
    void controlPost("/webhook", { url: `${to}/v1/webhooks/stripe` }, "PUT").catch(() => undefined);
  }, 1000);
  const progress = setInterval(() => {
    const elapsed = (Date.now() - startedAt) / 1000;
    const errors = [...stats.outcomes].filter(([k]) => /→ (5\d\d|error)/.test(k)).reduce((n, [, v]) => n + v, 0);
    process.stdout.write(
      `\r  ${clock(elapsed)} / ${clock(minutes * 60)}  requests ${stats.total} (${Math.round(stats.total / elapsed)}/s)  5xx+errors ${errors}  checkouts ${stats.actions.get("checkout") ?? 0}  faults ${faultsArmed}   `,
    );
  }, 1000);
  await Promise.all(Array.from({ length: shoppers }, () => shopper(target, stats, until)));
  clearInterval(chaos);
  clearInterval(progress);
  process.stdout.write("\n");

  // Settle: no more faults; Stripe's retries bring every event not delivered; the reapers (every 15 s)
  // expire the holds made due.
  await fetch(`${standInUrl}/__stand-in/faults`, { method: "DELETE" });
  await new Promise((resolve) => setTimeout(resolve, 6000));
  const { events } = (await (await fetch(`${standInUrl}/__stand-in/events`)).json()) as {
    events: { id: string; state: string }[];
  };
  const undelivered = events.filter((e) => e.state !== "delivered");
  for (const event of undelivered) await controlPost(`/events/${event.id}/redeliver`, {});
  // Duplicates long after the fact: a sample of delivered events sent again, to both instances in turn.
  const delivered = events.filter((e) => e.state === "delivered");
  const duplicates = delivered.filter((_, i) => i % Math.max(1, Math.floor(delivered.length / 300)) === 0);
  for (const [i, event] of duplicates.entries()) {
    await controlPost("/webhook", { url: `${servers[i % 2]}/v1/webhooks/stripe` }, "PUT");
    await controlPost(`/events/${event.id}/redeliver`, {});
  }
  const settleBy = Date.now() + 60_000;
  while (Date.now() < settleBy) {
    const [due] = await sql<{ n: number }[]>`
      select count(*)::int as n from holds where status = 'active' and expires_at <= now()`;
    if (due?.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }

  const violations = await checkInvariants(sql);
  const holds = await sql<{ status: string; end_reason: string | null; n: number }[]>`
    select status, coalesce(end_reason, '') as end_reason, count(*)::int as n from holds group by 1, 2 order by 1, 2`;
  const orders = await sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from orders group by 1 order by 1`;
  const [webhooks] = await sql<{ n: number }[]>`select count(*)::int as n from webhook_events`;
  console.log(
    summary({
      ran: (Date.now() - startedAt) / 1000,
      holds,
      orders,
      webhooks: webhooks?.n ?? 0,
      events: events.length,
      redelivered: undelivered.length,
      duplicates: duplicates.length,
    }),
  );
  console.log(formatViolations(violations));
  process.exitCode = violations.length > 0 ? 1 : 0;
} finally {
  await Promise.all(children.map(stopChild));
  await sql.end({ timeout: 5 });
  if (process.env.SOAK_KEEP_DATABASE === "1") await database.admin.close();
  else await database.drop();
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function summary(run: {
  ran: number;
  holds: { status: string; end_reason: string | null; n: number }[];
  orders: { status: string; n: number }[];
  webhooks: number;
  events: number;
  redelivered: number;
  duplicates: number;
}): string {
  const lines = [
    "",
    `## Soak summary (${clock(run.ran)} including settling; ${shoppers} shoppers, 2 servers, fault rate ${faultRate}/s)`,
    "",
    `requests: ${stats.total}; Stripe faults armed: ${faultsArmed}; events sent by the stand-in: ${run.events} (undelivered ones redelivered at the end: ${run.redelivered}; delivered ones sent again as late duplicates: ${run.duplicates}); webhook events processed: ${run.webhooks}`,
    "",
    "| endpoint | requests | p50 ms | p99 ms |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const [endpoint, list] of [...stats.latencies].sort()) {
    const sorted = [...list].sort((a, b) => a - b);
    lines.push(
      `| ${endpoint} | ${list.length} | ${quantile(sorted, 0.5).toFixed(1)} | ${quantile(sorted, 0.99).toFixed(1)} |`,
    );
  }
  lines.push("", "| outcome | requests |", "| --- | ---: |");
  for (const [outcome, n] of [...stats.outcomes].sort()) lines.push(`| ${outcome} | ${n} |`);
  lines.push("", "| shopper action | times |", "| --- | ---: |");
  for (const [action, n] of [...stats.actions].sort()) lines.push(`| ${action} | ${n} |`);
  const created = run.holds.reduce((n, h) => n + h.n, 0);
  lines.push("", `| holds (created: ${created}) by status, end reason | count |`, "| --- | ---: |");
  for (const h of run.holds) lines.push(`| ${h.status}${h.end_reason ? `, ${h.end_reason}` : ""} | ${h.n} |`);
  lines.push("", "| orders by status | count |", "| --- | ---: |");
  for (const o of run.orders) lines.push(`| ${o.status} | ${o.n} |`);
  lines.push("");
  return lines.join("\n");
}
