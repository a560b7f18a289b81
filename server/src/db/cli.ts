/** `pnpm db:migrate` and `pnpm db:seed`: against DATABASE_URL, or the embedded database under DATA_DIR. */
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "./database.ts";
import { migrate } from "./migrate.ts";
import { seed } from "./seed.ts";

const command = process.argv[2];
if (command !== "migrate" && command !== "seed") {
  console.error("usage: cli.ts migrate|seed");
  process.exit(2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const dataDir = isAbsolute(config.dataDir) ? config.dataDir : resolve(repoRoot, config.dataDir);
const database = await openDatabase({ url: config.databaseUrl, dataDir });
try {
  const applied = await migrate(database.sql);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "migrations: nothing to apply");
  if (command === "seed") {
    await seed(database.sql);
    console.log("seed data loaded (existing rows left as they were)");
  }
  console.log(`database: ${database.description}`);
} finally {
  await database.close();
}
