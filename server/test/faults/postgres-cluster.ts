/**
 * A PostgreSQL cluster of the test's own: initdb on a temporary directory, its own port, started and
 * stopped with pg_ctl. A fault test may stop it mid-burst without touching the machine's shared
 * PostgreSQL. initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

const run = promisify(execFile);

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** A URL for a new database on this cluster, created empty. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server: `fast` ends sessions cleanly, `immediate` is as abrupt as a crash. */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Where initdb and pg_ctl are, or undefined when this machine has no PostgreSQL server binaries. */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = join(root, version, "bin");
    if (existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  }
  return ["/usr/local/bin", "/usr/bin"].find(
    (dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")),
  );
}

/**
 * Whether the fault suites can run here. A laptop without PostgreSQL's server binaries skips them;
 * CI sets REQUIRE_FAULT_TESTS=1 so that a machine missing them fails instead of passing silently.
 */
export function faultClusterAvailable(): boolean {
  if (postgresBinDir()) return true;
  if (process.env.REQUIRE_FAULT_TESTS)
    throw new Error("REQUIRE_FAULT_TESTS is set but initdb/pg_ctl are not installed");
  return false;
}

const asRoot = process.getuid?.() === 0;

async function runAsOwner(command: string, args: string[]) {
  return asRoot ? run("runuser", ["-u", "postgres", "--", command, ...args]) : run(command, args);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("no PostgreSQL server binaries (initdb, pg_ctl) on this machine");
  const dir = mkdtempSync(join(tmpdir(), "commerce-faults-pg-"));
  if (asRoot) await run("chown", ["postgres", dir]);
  const data = join(dir, "data");
  const port = await freePort();
  await runAsOwner(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  // No fsync: a stopped (even SIGQUIT-ed) server loses nothing the kernel has, and these tests never
  // crash the machine. synchronous_commit stays on: without it an immediate stop loses commits.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const pgCtl = (...args: string[]) => runAsOwner(join(bin, "pg_ctl"), ["-D", data, ...args]);
  const start = async () => {
    await pgCtl("-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start");
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let running = true;
  return {
    url,
    port,
    async createDatabase(name) {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop(mode = "fast") {
      await pgCtl("-m", mode, "-w", "-t", "60", "stop");
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await pgCtl("-m", "immediate", "-w", "stop").catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
