/**
 * Applies the forward-only SQL files in `migrations/` (`00001_name.sql`, numbered without gaps),
 * each exactly once, recorded in `schema_migrations`.
 *
 * Hand-written rather than postgres-shift (the postgres.js-native library) because that one takes no
 * lock: two instances starting together would race to apply the same file. Here one transaction
 * holds an advisory lock for the whole run, so concurrent starts apply each file once, and a failing
 * file leaves nothing half-applied.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Sql } from "./database.ts";

export const migrationsDir = fileURLToPath(new URL("../../../migrations/", import.meta.url));

const MIGRATION_LOCK = 4_242_001;

export interface Migration {
  id: number;
  name: string;
  file: string;
}

export function listMigrations(dir = migrationsDir): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => /^\d{5}_[a-z0-9_-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ id: Number(file.slice(0, 5)), name: file.slice(6, -4), file: `${dir}/${file}` }));
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) throw new Error(`migration numbering has a gap or duplicate at ${m.file}`);
  });
  return migrations;
}

/** Applies what is pending; returns the names applied. */
export async function migrate(sql: Sql, dir = migrationsDir): Promise<string[]> {
  const migrations = listMigrations(dir);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (
      id integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const done = new Set((await tx<{ id: number }[]>`select id from schema_migrations`).map((r) => r.id));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.unsafe(readFileSync(m.file, "utf8"));
      await tx`insert into schema_migrations (id, name) values (${m.id}, ${m.name})`;
      applied.push(m.name);
    }
    return applied;
  });
}

/** The number of the newest migration on disk. */
export function latestMigration(dir = migrationsDir): number {
  return listMigrations(dir).at(-1)?.id ?? 0;
}

/** True when every migration up to `latest` is recorded as applied (readiness). */
export async function isMigrated(sql: Sql, latest: number): Promise<boolean> {
  const [row] = await sql<{ max: number | null }[]>`select max(id) as max from schema_migrations`;
  return (row?.max ?? 0) >= latest;
}
