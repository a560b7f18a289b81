/** `pnpm db:migrate` and `pnpm db:seed`: against DATABASE_URL, or the embedded database under DATA_DIR. */
import { configFromEnvironment } from "../config.ts";
import { openDatabase } from "./database.ts";
import { migrate } from "./migrate.ts";
import { seed } from "./seed.ts";

const command = process.argv[2];
if (command !== "migrate" && command !== "seed") {
  console.error("usage: cli.ts migrate|seed");
  process.exit(2);
}

const config = configFromEnvironment();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
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
