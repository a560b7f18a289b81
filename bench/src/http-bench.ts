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
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { openDatabase } from "../../server/src/db/database.ts";
import { migrate } from "../../server/src/db/migrate.ts";
import { seed } from "../../server/src/db/seed.ts";

const baseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
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

/** Starts `src/<file>` under tsx in its own Node process; resolves with its port once it prints it. */
function startChild(file: string, env: Record<string, string>, nodeArgs: string[] = []) {
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", import.meta.resolve("tsx"), new URL(file, import.meta.url).pathname],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
      else process.stderr.write(`[${file}] ${line}\n`);
    });
  });
  port.catch(() => {}); // a child that dies later, while another failure is being reported
  return { child, port };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** CPU seconds a process has used so far, from /proc (Linux; USER_HZ is 100); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
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
        const at = (q: number) =>
          latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
        resolve({
          name: target.name,
          requestsPerSecond: result.requests.average,
          p50: at(0.5),
          p99: at(0.99),
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
const admin = await openDatabase({ url: baseUrl, max: 1 });
const [{ version: postgresVersion } = { version: "?" }] = await admin.sql<{ version: string }[]>`select version()`;
const database = `commerce_bench_${randomBytes(4).toString("hex")}`;
const databaseUrl = Object.assign(new URL(baseUrl), { pathname: `/${database}` }).toString();
await admin.sql.unsafe(`create database ${database}`);

const children: ChildProcess[] = [];
const results: Figures[] = [];
try {
  const bench = await openDatabase({ url: databaseUrl, max: 1 });
  await migrate(bench.sql);
  await seed(bench.sql);
  await bench.close();

  const profile = process.env.BENCH_CPU_PROF;
  const app = startChild(
    "serve-app.ts",
    { DATABASE_URL: databaseUrl, PORT: "0", LOG_LEVEL: "warn" },
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
  await admin.sql.unsafe(`drop database if exists ${database} with (force)`);
  await admin.close();
}

const cell = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
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
