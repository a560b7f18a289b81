/**
 * `pnpm start`: the whole shop on one machine. Runs the authority server (server/src/main.ts, exactly
 * as in production, in its own process) and serves the built storefront, then prints where to open it.
 * With nothing configured the server uses its embedded database and the local Stripe stand-in.
 *
 *   PORT (8787) the server · SITE_PORT (4321) the storefront · every server variable (README)
 *   --fresh  a new, empty database for this run (a new database on DATABASE_URL's server, dropped at
 *            exit, or a temporary embedded one): what the end-to-end tests use
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { serveSite } from "./serve-site.ts";

const repo = new URL("..", import.meta.url).pathname;
const siteRoot = join(repo, "site/dist");
const port = Number(process.env.PORT ?? 8787);
const sitePort = Number(process.env.SITE_PORT ?? 4321);
const fresh = process.argv.includes("--fresh");

if (!existsSync(join(siteRoot, "index.html"))) {
  console.error("The storefront is not built: run `pnpm build:site` (pnpm start does it for you).");
  process.exit(1);
}

const env = { ...process.env, PORT: String(port) };
const cleanups: Array<() => Promise<void>> = [];
if (fresh) await useFreshDatabase(env);

const server = spawn(process.execPath, ["--import", "tsx", join(repo, "server/src/main.ts")], {
  cwd: repo,
  env,
  stdio: "inherit",
});
const serverExited = new Promise<number>((resolve) =>
  server.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))),
);
const site = await serveSite({ root: siteRoot, port: sitePort });

if (await ready(`http://localhost:${port}/readyz`, serverExited)) {
  console.log(`\n  CochlearFit is open at ${site.url}/en/ (Deutsch: ${site.url}/de/)\n`);
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(signal));
process.exitCode = await serverExited;
await stop();

async function stop(signal?: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (signal && server.exitCode === null) server.kill(signal);
  await serverExited;
  await site.close();
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  process.exit(process.exitCode ?? 0);
}

/** Polls until the server is ready, or gives up when it exits first. */
async function ready(url: string, exited: Promise<number>): Promise<boolean> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!gone) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

async function useFreshDatabase(target: NodeJS.ProcessEnv): Promise<void> {
  if (!target.DATABASE_URL) {
    const dir = mkdtempSync(join(tmpdir(), "commerce-e2e-"));
    target.DATA_DIR = dir;
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return;
  }
  const name = `commerce_e2e_${randomBytes(6).toString("hex")}`;
  const admin = postgres(target.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(target.DATABASE_URL);
  url.pathname = `/${name}`;
  target.DATABASE_URL = url.toString();
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
}
