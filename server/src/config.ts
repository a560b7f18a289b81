/**
 * Configuration from the environment, parsed once at start-up. A bad value stops the process with a
 * message naming the variable; nothing reads `process.env` anywhere else.
 */
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import { CHECKOUT_STEPS, type CheckoutStep } from "./checkout/test-pause.ts";

const booleanString = z.pipe(
  z.enum(["true", "false", "1", "0"], { error: "must be true or false" }),
  z.transform((v) => v === "true" || v === "1"),
);
const integerString = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d+$/, "must be a whole number")),
    z.pipe(
      z.transform((v: string) => Number(v)),
      z.int().check(z.minimum(min), z.maximum(max)),
    ),
  );
const urlString = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(", ")}` });

const envSchema = z.object({
  PORT: z._default(integerString(0, 65_535), 8787),
  DATABASE_URL: z.optional(z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" })),
  /** Embedded database folder; used only without DATABASE_URL. */
  DATA_DIR: z._default(z.string().check(z.minLength(1)), ".data"),
  STRIPE_SECRET_KEY: z.optional(z.string().check(z.regex(/^(sk|rk)_(test|live)_\w+$/, "must look like sk_test_…"))),
  STRIPE_WEBHOOK_SECRET: z.optional(z.string().check(z.regex(/^whsec_\w+$/, "must look like whsec_…"))),
  STRIPE_API_URL: z.optional(urlString),
  CHECKOUT_REPRICING_MODE: z._default(
    oneOf(["log_only", "enforce_and_proceed", "enforce_and_reject"]),
    "enforce_and_proceed",
  ),
  CHECKOUT_SESSION_TTL_SECONDS: z._default(integerString(1800, 86_400), 3600),
  CHECKOUT_RATE_LIMIT_ENABLED: z._default(booleanString, true),
  CHECKOUT_RATE_LIMIT_REQUESTS_PER_MINUTE: z._default(integerString(1, 100_000), 10),
  TRUST_PROXY_HOPS: z._default(integerString(0, 10), 0),
  CENTRAL_INVENTORY_URL: z.optional(urlString),
  NODE_ENV: z._default(oneOf(["development", "production", "test"]), "development"),
  LOG_LEVEL: z._default(oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), "info"),
  /** Test-only (server/src/checkout/test-pause.ts): refused unless NODE_ENV=test. Not documented for operators. */
  COMMERCE_TEST_PAUSE_AT: z.optional(oneOf(CHECKOUT_STEPS)),
});

export type Env = z.output<typeof envSchema>;

export interface Config {
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  stripeSecretKey: string | undefined;
  stripeWebhookSecret: string | undefined;
  stripeApiUrl: string | undefined;
  repricingMode: Env["CHECKOUT_REPRICING_MODE"];
  sessionTtlSeconds: number;
  rateLimit: { enabled: boolean; requestsPerMinute: number };
  trustProxyHops: number;
  centralInventoryUrl: string | undefined;
  production: boolean;
  logLevel: Env["LOG_LEVEL"];
  /** Test-only: the checkout step where this process stops for a crash test; never set outside NODE_ENV=test. */
  testPauseAt: CheckoutStep | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const secretVariables = new Set(["DATABASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]);

const requiredInProduction = ["DATABASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"] as const;

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "unset", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      // Never echo a value that may hold a secret (a key with a typo is still a key).
      const shown = secretVariables.has(name) ? "(value hidden)" : JSON.stringify(present[name] ?? "");
      return `  ${name}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const e = result.data;
  if (e.NODE_ENV === "production") {
    const missing = requiredInProduction.filter((name) => e[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(
        `invalid configuration:\n${missing.map((n) => `  ${n}: required when NODE_ENV=production (the embedded defaults are for development, demos and tests)`).join("\n")}`,
      );
    }
  }
  if (e.COMMERCE_TEST_PAUSE_AT !== undefined && e.NODE_ENV !== "test") {
    throw new ConfigError(
      "invalid configuration:\n  COMMERCE_TEST_PAUSE_AT: a crash-test hook, refused unless NODE_ENV=test",
    );
  }
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    stripeApiUrl: e.STRIPE_API_URL,
    repricingMode: e.CHECKOUT_REPRICING_MODE,
    sessionTtlSeconds: e.CHECKOUT_SESSION_TTL_SECONDS,
    rateLimit: { enabled: e.CHECKOUT_RATE_LIMIT_ENABLED, requestsPerMinute: e.CHECKOUT_RATE_LIMIT_REQUESTS_PER_MINUTE },
    trustProxyHops: e.TRUST_PROXY_HOPS,
    centralInventoryUrl: e.CENTRAL_INVENTORY_URL,
    production: e.NODE_ENV === "production",
    logLevel: e.LOG_LEVEL,
    testPauseAt: e.COMMERCE_TEST_PAUSE_AT,
  };
}

/**
 * The configuration of this process, for entry points: exits with the message when it is bad, and
 * resolves a relative DATA_DIR against the repository root so every command finds the same data.
 */
export function configFromEnvironment(): Config {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
  return { ...config, dataDir: isAbsolute(config.dataDir) ? config.dataDir : resolve(repoRoot, config.dataDir) };
}
