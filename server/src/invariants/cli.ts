/**
 * `pnpm check:invariants`: checks the database at DATABASE_URL (or the embedded one under DATA_DIR)
 * and prints every violation with its rows; exits 1 when there is any, 0 when all invariants hold.
 * Options: --hold-grace-seconds N (default 120), --webhook-grace-seconds N (default 0).
 */
import { parseArgs } from "node:util";
import { configFromEnvironment } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { isMigrated, latestMigration } from "../db/migrate.ts";
import { checkInvariants, formatViolations } from "./check-invariants.ts";

const { values } = parseArgs({
  options: {
    "hold-grace-seconds": { type: "string" },
    "webhook-grace-seconds": { type: "string" },
  },
});

function seconds(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    console.error(`--${name} must be a whole number of seconds`);
    process.exit(2);
  }
  return Number(text) * 1000;
}

const holdGraceMs = seconds("hold-grace-seconds", values["hold-grace-seconds"]);
const webhookGraceMs = seconds("webhook-grace-seconds", values["webhook-grace-seconds"]);
const config = configFromEnvironment();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
let failed = true;
try {
  if (!(await isMigrated(database.sql, latestMigration()).catch(() => false))) {
    console.error(`${database.description} is not migrated to the latest schema: run pnpm db:migrate first`);
    process.exit(2);
  }
  const violations = await checkInvariants(database.sql, {
    ...(holdGraceMs === undefined ? {} : { holdGraceMs }),
    ...(webhookGraceMs === undefined ? {} : { webhookGraceMs }),
  });
  console.log(`database: ${database.description}`);
  console.log(formatViolations(violations));
  failed = violations.length > 0;
} finally {
  await database.close();
}
process.exit(failed ? 1 : 0);
