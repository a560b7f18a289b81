/**
 * `pnpm bench`: requests/s and latency of `GET /v1/catalog` and `POST /v1/inventory/validate` on a real
 * PostgreSQL, and, in the same run, of a bare Hono route returning a constant, so that the cost of our
 * stack is a ratio rather than a number that only means something on one machine. `GET /healthz` goes
 * through the same middleware without touching the database, to split that overhead from the queries.
 *
 * The authority server and the bare server each run in their own child process, so neither shares an
 * event loop with autocannon. Environment: DATABASE_URL (a server where we may create a database;
 * default postgres://postgres@127.0.0.1:5432/test), BENCH_SECONDS (default 10), BENCH_CONNECTIONS
 * (default 50), BENCH_CPU_PROF (a folder: profile the authority server with --cpu-prof).
 */
import type { ChildProcess } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import {
  cell,
  cpuSeconds,
  createBenchDatabase,
  defaultDatabaseUrl,
  quantile,
  startChild,
  stopChild,
} from "./support.ts";

const baseUrl = process.env.DATABASE_URL || defaultDatabaseUrl;
const seconds = Number(process.env.BENCH_SECONDS || 10);
const connections = Number(process.env.BENCH_CONNECTIONS || 50);
const warmupSeconds = 2;

interface Target {
  name: string;
  server: "bare" | "app";
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

const targets: Target[] = [
  { name: "bare Hono GET /", server: "bare", path: "/" },
  // Our middleware (request id, access log and metrics, CORS, body limit) on a route that reads no database.
  { name: "GET /healthz (no database)", server: "app", path: "/healthz" },
  { name: "GET /v1/catalog", server: "app", path: "/v1/catalog", headers: { "x-shop-id": "cochlearfit" } },
  {
    name: "POST /v1/inventory/validate",
    server: "app",
    path: "/v1/inventory/validate",
    method: "POST",
    headers: { "x-shop-id": "cochlearfit", "content-type": "application/json" },
    body: JSON.stringify({
      items: [{ sku: "cf-headband-classic", variantAttributes: { color: "black", size: "m" }, quantity: 1 }],
    }),
  },
];

interface Figures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  seconds: number;
  non2xx: number;
  errors: number;
  /** CPU time (user + system) the serving process spent per request, in µs; Linux only. */
  serverCpuMicros?: number;
}

/** One autocannon run; latency percentiles from every 2xx response's own time (autocannon's are whole ms). */
function load(url: string, target: Target, duration: number): Promise<Figures> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: url + target.path,
        connections,
        duration,
        method: target.method ?? "GET",
        ...(target.headers ? { headers: target.headers } : {}),
        ...(target.body ? { body: target.body } : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        resolve({
          name: target.name,
          requestsPerSecond: result.requests.average,
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          total: result.requests.total,
          seconds: result.duration,
          non2xx: result.non2xx,
          errors: result.errors,
        });
      },
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

/** One request first, so a broken target fails with its answer rather than with a table of non-2xx. */
async function check(url: string, target: Target) {
  const init: RequestInit = { method: target.method ?? "GET" };
  if (target.headers) init.headers = target.headers;
  if (target.body) init.body = target.body;
  const response = await fetch(url + target.path, init);
  if (!response.ok) throw new Error(`${target.name}: ${response.status} ${await response.text()}`);
}

const startLoad = loadavg();
const database = await createBenchDatabase(baseUrl);
const { postgresVersion } = database;

const children: ChildProcess[] = [];
const results: Figures[] = [];
try {
  const profile = process.env.BENCH_CPU_PROF;
  const app = startChild(
    "serve-app.ts",
    { DATABASE_URL: database.url, PORT: "0", LOG_LEVEL: "warn" },
    profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [],
  );
  const bare = startChild("serve-bare.ts", { PORT: "0" });
  children.push(app.child, bare.child);
  const servers = {
    app: { url: `http://127.0.0.1:${await app.port}`, pid: app.child.pid },
    bare: { url: `http://127.0.0.1:${await bare.port}`, pid: bare.child.pid },
  };

  for (const target of targets) {
    const { url, pid } = servers[target.server];
    await check(url, target);
    process.stderr.write(
      `${target.name}: warm-up ${warmupSeconds} s, then ${seconds} s at ${connections} connections\n`,
    );
    await load(url, target, warmupSeconds);
    const cpuBefore = cpuSeconds(pid);
    const figures = await load(url, target, seconds);
    const cpuAfter = cpuSeconds(pid);
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      figures.serverCpuMicros = ((cpuAfter - cpuBefore) * 1e6) / figures.total;
    }
    results.push(figures);
  }
} finally {
  await Promise.all(children.map(stopChild));
  await database.drop();
}

console.log(`\n${connections} connections, ${seconds} s each after a ${warmupSeconds} s warm-up\n`);
console.log("| target | requests/s | p50 ms | p99 ms | requests | in s | non-2xx | errors | server CPU µs/request |");
console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
for (const r of results) {
  console.log(
    `| ${r.name} | ${cell(r.requestsPerSecond)} | ${cell(r.p50, 2)} | ${cell(r.p99, 2)} | ${cell(r.total)} | ${r.seconds} | ${r.non2xx} | ${r.errors} | ${r.serverCpuMicros === undefined ? "n/a" : cell(r.serverCpuMicros)} |`,
  );
}
const [bareFigures, ...stack] = results;
if (bareFigures) {
  console.log("");
  for (const r of stack) {
    const cpu =
      r.serverCpuMicros && bareFigures.serverCpuMicros
        ? `; server CPU per request ${(r.serverCpuMicros / bareFigures.serverCpuMicros).toFixed(1)}× bare's`
        : "";
    const ratio = (r.requestsPerSecond / bareFigures.requestsPerSecond).toFixed(3);
    console.log(`${r.name} ÷ bare Hono: ${ratio} requests/s (target ≥ 0.3)${cpu}`);
  }
}
console.log(
  `\nmachine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}`,
);
console.log(`database: ${postgresVersion}`);
console.log(
  `load average before the run: ${startLoad.map((n) => n.toFixed(2)).join(", ")} (other work skews the figures)`,
);

const failures = results.reduce((n, r) => n + r.non2xx + r.errors, 0);
if (failures > 0) {
  console.error(`\n${failures} requests failed (non-2xx or errors): the figures above are not valid`);
  process.exitCode = 1;
}
