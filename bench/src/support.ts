/**
 * What the benches share: child processes that announce their port, a throw-away database on
 * DATABASE_URL, CPU accounting from /proc, and percentiles.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { type Database, openDatabase } from "../../server/src/db/database.ts";
import { migrate } from "../../server/src/db/migrate.ts";
import { seed } from "../../server/src/db/seed.ts";

export const defaultDatabaseUrl = "postgres://postgres@127.0.0.1:5432/test";

/**
 * The Stripe stand-in in its own process on a free port, signing webhooks with `webhookSecret`
 * (whoever runs it points it at a server later, through its control API). Resolves with its URL.
 */
export function startStandInChild(webhookSecret: string, nodeArgs: string[] = []) {
  const standIn = startChild(
    "../../server/src/stripe/stand-in/main.ts",
    { STRIPE_STAND_IN_PORT: "0", STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_WEBHOOK_URL: "" },
    nodeArgs,
    /Stripe stand-in: http:\/\/[^\s]+:(\d+)$/,
  );
  return { child: standIn.child, url: standIn.port.then((port) => `http://127.0.0.1:${port}`) };
}

/**
 * Starts `file` (relative to this folder) under tsx in its own Node process; resolves with its port
 * once a line of its stdout matches `ready` (first group: the port). Other lines go to stderr.
 */
export function startChild(
  file: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  ready: RegExp = /^listening (\d+)$/,
) {
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", import.meta.resolve("tsx"), new URL(file, import.meta.url).pathname],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] },
  );
  const name = file.split("/").at(-1);
  const port = new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before listening`)));
    let listening = false;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const match = listening ? null : ready.exec(line);
      if (match) {
        listening = true;
        resolve(Number(match[1]));
      } else if (line.trim() !== "") process.stderr.write(`[${name}] ${line}\n`);
    });
  });
  port.catch(() => {}); // a child that dies later, while another failure is being reported
  return { child, port };
}

export function stopChild(child: ChildProcess): Promise<void> {
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

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; USER_HZ is 100). */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by every process named `postgres` that this machine lets us see (the
 * server's backends included); undefined when there is no /proc or none is visible. Approximate:
 * a backend that exits between two readings takes its time with it, and other clients count too.
 */
export function postgresCpuSeconds(): number | undefined {
  let total = 0;
  let seen = 0;
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        if (!stat.includes(" (postgres) ")) continue;
        const fields = stat.split(") ")[1]?.split(" ") ?? [];
        total += (Number(fields[11]) + Number(fields[12])) / 100;
        seen++;
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return undefined;
  }
  return seen > 0 ? total : undefined;
}

/** The value at quantile `q` of ascending `sorted`; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export interface BenchDatabase {
  /** The admin connection on DATABASE_URL (one connection). */
  admin: Database;
  postgresVersion: string;
  /** The fresh, migrated and seeded database's URL. */
  url: string;
  /** Drops the database (forcing its connections closed) and closes the admin connection. */
  drop(): Promise<void>;
}

/** Creates `commerce_bench_<random>` on the server of `baseUrl`, migrates it and seeds the demo shops. */
export async function createBenchDatabase(baseUrl: string): Promise<BenchDatabase> {
  const admin = await openDatabase({ url: baseUrl, max: 1 });
  const [{ version: postgresVersion } = { version: "?" }] = await admin.sql<{ version: string }[]>`select version()`;
  const name = `commerce_bench_${randomBytes(4).toString("hex")}`;
  const url = Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString();
  await admin.sql.unsafe(`create database ${name}`);
  const drop = async () => {
    await admin.sql.unsafe(`drop database if exists ${name} with (force)`);
    await admin.close();
  };
  try {
    const bench = await openDatabase({ url, max: 1 });
    try {
      await migrate(bench.sql);
      await seed(bench.sql);
    } finally {
      await bench.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { admin, postgresVersion, url, drop };
}

export const cell = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "n/a";
