/**
 * Opens the database: a real PostgreSQL at `DATABASE_URL`, or, when there is none, the embedded
 * PGlite (real Postgres compiled to WASM) served over the wire protocol on a loopback port, so that
 * every query takes the same postgres.js path in both cases.
 */
import { mkdirSync } from "node:fs";
import postgres from "postgres";

export type Sql = postgres.Sql;
/** A transaction's handle: runs queries like `Sql`, inside the transaction. */
export type Tx = postgres.TransactionSql;

export interface Database {
  sql: Sql;
  kind: "postgres" | "embedded";
  /** Where it lives, without credentials: for the start-up message. */
  description: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL URL; absent → embedded. */
  url?: string | undefined;
  /** Embedded only: the data folder (kept between runs); absent → in memory. */
  dataDir?: string | undefined;
  /** Pool size for a real PostgreSQL. */
  max?: number;
  /** Seconds to wait for a connection before failing the query (keeps outages from hanging requests). */
  connectTimeout?: number;
}

const quiet = { onnotice: () => {} };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const sql = postgres(options.url, {
      ...quiet,
      max: options.max ?? 10,
      connect_timeout: options.connectTimeout ?? 5,
      idle_timeout: 30,
      // postgres.js waits up to 20 s (3^n / 100 s) before reconnecting after repeated failures, and a
      // request queued meanwhile waits with it. During an outage we would rather answer 503 NOT_READY
      // quickly and let clients retry: at most one second between attempts.
      backoff: reconnectBackoffSeconds,
    });
    const url = new URL(options.url);
    return {
      sql,
      kind: "postgres",
      description: `postgres://${url.host}${url.pathname}`,
      close: () => sql.end({ timeout: 5 }),
    };
  }
  return openEmbedded(options);
}

/** 0.1 s, 0.2 s, 0.4 s … capped at 1 s, with jitter so instances do not reconnect in step. */
export function reconnectBackoffSeconds(retries: number): number {
  return Math.min(0.1 * 2 ** retries, 1) * (0.5 + Math.random() / 2);
}

async function openEmbedded(options: DatabaseOptions): Promise<Database> {
  // Imported lazily: the WASM build is only loaded when no real PostgreSQL is configured.
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
  await server.start();
  const port = Number(server.getServerConn().split(":").at(-1));
  // PGlite runs one query at a time: one connection keeps transactions from interleaving.
  const sql = postgres({ ...quiet, host: "127.0.0.1", port, user: "postgres", database: "postgres", max: 1 });
  return {
    sql,
    kind: "embedded",
    description: options.dataDir ? `embedded PGlite in ${options.dataDir}` : "embedded PGlite in memory",
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
      await db.close();
    },
  };
}
