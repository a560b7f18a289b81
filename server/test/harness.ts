/**
 * Starts real servers for integration tests: a real HTTP listener on a loopback port, on a database
 * of its own. With `DATABASE_URL` (and the `db:postgres` project) each server gets a fresh database
 * on that PostgreSQL, dropped afterwards; otherwise an in-memory embedded PGlite.
 */
import { randomBytes } from "node:crypto";
import type { Fixture } from "@commerce/contracts/v1/registry";
import postgres from "postgres";
import { type Config, loadConfig } from "../src/config.ts";
import { type Database, openDatabase, type Sql } from "../src/db/database.ts";
import { isEmpty, seed } from "../src/db/seed.ts";
import { createLogger } from "../src/observability/logger.ts";
import { type RunningServer, STAND_IN_SECRET_KEY, startServer } from "../src/server.ts";
import type { StripeStandIn } from "../src/stripe/stand-in/index.ts";

export type TestDatabaseKind = "postgres" | "embedded";

export function testDatabaseKind(): TestDatabaseKind {
  return process.env.TEST_DATABASE === "postgres" ? "postgres" : "embedded";
}

export type TestDatabase = Database & { /** Set on PostgreSQL: a second instance connects here. */ url?: string };

/**
 * A database of the kind this test project runs on, empty; closing it drops it. With `postgresUrl`
 * (a fault test's own cluster) it is always a PostgreSQL database there.
 */
export async function openTestDatabase(postgresUrl?: string): Promise<TestDatabase> {
  if (!postgresUrl && testDatabaseKind() === "embedded") return openDatabase({});
  const url = postgresUrl ?? process.env.DATABASE_URL;
  if (!url) throw new Error("the db:postgres project needs DATABASE_URL");
  const name = `commerce_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const database = await openDatabase({ url: testUrl.toString(), max: 10 });
  return {
    ...database,
    url: testUrl.toString(),
    async close() {
      await database.close();
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent" }),
    // Off by default, so suites can send as many requests as they like; suites that test the limiter
    // (rate-limit.test.ts, the contract's `rateLimited` fixture) turn it on.
    rateLimit: { enabled: false, requestsPerMinute: 10 },
    ...overrides,
  };
}

export interface TestServer extends RunningServer {
  sql: Sql;
  testDatabase: TestDatabase;
}

export interface TestServerOptions {
  config?: Partial<Config>;
  /** A broken state the registry's examples ask for. */
  fixture?: Fixture;
  /** Runs after migrations and seeding, before the server takes requests. */
  prepare?: (sql: Sql) => Promise<void>;
  /** Create the server's database on this PostgreSQL server, whatever the test project (fault tests). */
  postgresUrl?: string;
  /** Start a second instance on this server's database (its own pool on PostgreSQL). */
  sameDatabaseAs?: TestServer;
  /** Talk to this Stripe stand-in instead of starting one in-process (instances must share one). */
  standIn?: StripeStandIn;
  reaperIntervalMs?: number;
  stripeTimeoutMs?: number;
  now?: () => Date;
}

/**
 * The stand-in fault a payment-provider fixture arms for good (1e9 times), after start-up, on every
 * session create (or, for `paymentProviderReadsDown`, every session retrieve).
 */
const stripeFixtureFaults: Partial<Record<Fixture, { fault: string; operation: "create" | "retrieve" }>> = {
  paymentProviderRejects: { fault: "400", operation: "create" },
  paymentProviderDown: { fault: "503", operation: "create" },
  paymentProviderReadsDown: { fault: "503", operation: "retrieve" },
};

function frozenClock(): () => Date {
  const at = Date.now();
  return () => new Date(at);
}

/** A second pool on the same database; closing it leaves the database alone. */
async function reopen(shared: TestDatabase): Promise<{ database: Database; close: () => Promise<void> }> {
  if (!shared.url) return { database: shared, close: async () => {} };
  const database = await openDatabase({ url: shared.url, max: 10 });
  return { database, close: () => database.close() };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  if (options.fixture === "databaseDown") {
    // Port 1 on loopback: nothing listens, so every query fails fast.
    const database = await openDatabase({ url: "postgres://postgres@127.0.0.1:1/none", max: 1, connectTimeout: 1 });
    const server = await startServer({
      config: testConfig(options.config),
      logger,
      database,
      prepareDatabase: false,
      reaperIntervalMs: 0,
    });
    return {
      ...server,
      sql: database.sql,
      testDatabase: database,
      async close() {
        await server.close();
        await database.close();
      },
    };
  }
  const config = testConfig({
    ...(options.fixture === "centralInventoryDown"
      ? { production: true, centralInventoryUrl: "http://127.0.0.1:1" }
      : {}),
    ...(options.fixture === "repricingReject" ? { repricingMode: "enforce_and_reject" as const } : {}),
    ...(options.fixture === "rateLimited" ? { rateLimit: { enabled: true, requestsPerMinute: 1 } } : {}),
    ...(options.standIn
      ? {
          stripeSecretKey: STAND_IN_SECRET_KEY,
          stripeApiUrl: options.standIn.url,
          stripeWebhookSecret: options.standIn.webhookSecret,
        }
      : {}),
    ...options.config,
  });
  const serverOptions = {
    config,
    logger,
    reaperIntervalMs: options.reaperIntervalMs ?? 0,
    ...(options.stripeTimeoutMs ? { stripeTimeoutMs: options.stripeTimeoutMs } : {}),
    ...(options.now ? { now: options.now } : {}),
    // The rate-limited server's clock stands still, so an example and the steps before it share one
    // window however slowly they run (a minute boundary between them would let the example through).
    ...(options.fixture === "rateLimited" && !options.now ? { now: frozenClock() } : {}),
  };

  if (options.sameDatabaseAs) {
    const testDatabase = options.sameDatabaseAs.testDatabase;
    const pool = await reopen(testDatabase);
    const server = await startServer({ ...serverOptions, database: pool.database, prepareDatabase: false });
    return {
      ...server,
      sql: pool.database.sql,
      testDatabase,
      async close() {
        await server.close();
        await pool.close();
      },
    };
  }

  const database = await openTestDatabase(options.postgresUrl);
  let server: RunningServer;
  try {
    server = await startServer({ ...serverOptions, database });
    if (options.fixture === "centralInventoryDown") {
      // A production server seeds no demo shops: this one gets them here.
      if (await isEmpty(database.sql)) await seed(database.sql);
      await database.sql`update shops set requires_central_inventory = true where id = 'cochlearfit'`;
    }
    const stripeFault = options.fixture && stripeFixtureFaults[options.fixture];
    if (stripeFault) {
      const standIn = server.standIn ?? options.standIn;
      if (!standIn) throw new Error(`the ${options.fixture} fixture needs a Stripe stand-in`);
      standIn.faults.next(stripeFault.fault, 1e9, stripeFault.operation);
    }
    await options.prepare?.(database.sql);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    ...server,
    sql: database.sql,
    testDatabase: database,
    async close() {
      await server.close();
      await database.close();
    },
  };
}
