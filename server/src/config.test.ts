/** loadConfig: the environment parsed once, defaults, and errors that name each bad variable. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

/** The message of the ConfigError `loadConfig` throws for this environment. */
function failure(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://app@db.internal:5432/commerce",
  STRIPE_SECRET_KEY: "sk_live_abc123",
  STRIPE_WEBHOOK_SECRET: "whsec_abc123",
};

describe("loadConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    expect(loadConfig({})).toEqual({
      port: 8787,
      databaseUrl: undefined,
      dataDir: ".data",
      stripeSecretKey: undefined,
      stripeWebhookSecret: undefined,
      stripeApiUrl: undefined,
      repricingMode: "enforce_and_proceed",
      sessionTtlSeconds: 3600,
      rateLimit: { enabled: true, requestsPerMinute: 10 },
      trustProxyHops: 0,
      centralInventoryUrl: undefined,
      production: false,
      logLevel: "info",
    });
  });

  it("reads every variable it knows", () => {
    expect(
      loadConfig({
        PORT: "9000",
        DATABASE_URL: "postgresql://app@localhost/commerce",
        DATA_DIR: "/var/lib/commerce",
        STRIPE_SECRET_KEY: "sk_test_123",
        STRIPE_WEBHOOK_SECRET: "whsec_456",
        STRIPE_API_URL: "http://localhost:12111",
        CHECKOUT_REPRICING_MODE: "enforce_and_reject",
        CHECKOUT_SESSION_TTL_SECONDS: "1800",
        CHECKOUT_RATE_LIMIT_ENABLED: "false",
        CHECKOUT_RATE_LIMIT_REQUESTS_PER_MINUTE: "25",
        TRUST_PROXY_HOPS: "2",
        CENTRAL_INVENTORY_URL: "https://inventory.example",
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
      }),
    ).toEqual({
      port: 9000,
      databaseUrl: "postgresql://app@localhost/commerce",
      dataDir: "/var/lib/commerce",
      stripeSecretKey: "sk_test_123",
      stripeWebhookSecret: "whsec_456",
      stripeApiUrl: "http://localhost:12111",
      repricingMode: "enforce_and_reject",
      sessionTtlSeconds: 1800,
      rateLimit: { enabled: false, requestsPerMinute: 25 },
      trustProxyHops: 2,
      centralInventoryUrl: "https://inventory.example",
      production: false,
      logLevel: "warn",
    });
  });

  it.each([
    ["true", true],
    ["1", true],
    ["false", false],
    ["0", false],
  ])("reads CHECKOUT_RATE_LIMIT_ENABLED=%s as %s", (value, enabled) => {
    expect(loadConfig({ CHECKOUT_RATE_LIMIT_ENABLED: value }).rateLimit.enabled).toBe(enabled);
  });

  it.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["DATABASE_URL", "mysql://app@localhost/commerce"],
    ["DATABASE_URL", "not a url"],
    ["STRIPE_SECRET_KEY", "pk_test_123"],
    ["STRIPE_WEBHOOK_SECRET", "secret"],
    ["STRIPE_API_URL", "ftp://stripe.example"],
    ["CHECKOUT_REPRICING_MODE", "sometimes"],
    ["CHECKOUT_SESSION_TTL_SECONDS", "60"],
    ["CHECKOUT_SESSION_TTL_SECONDS", "1800.5"],
    ["CHECKOUT_RATE_LIMIT_ENABLED", "yes"],
    ["CHECKOUT_RATE_LIMIT_REQUESTS_PER_MINUTE", "0"],
    ["TRUST_PROXY_HOPS", "11"],
    ["CENTRAL_INVENTORY_URL", "inventory.internal"],
    ["NODE_ENV", "staging"],
    ["LOG_LEVEL", "loud"],
  ])("names %s in the error for the bad value %j", (name, value) => {
    expect(failure({ [name]: value })).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it("names every bad variable at once", () => {
    const message = failure({ PORT: "eighty", LOG_LEVEL: "loud", NODE_ENV: "staging" });
    expect(["PORT", "LOG_LEVEL", "NODE_ENV"].filter((name) => !message.includes(name))).toEqual([]);
  });

  it("does not name a variable that is fine", () => {
    expect(failure({ PORT: "eighty", LOG_LEVEL: "debug" })).not.toContain("LOG_LEVEL");
  });

  it("accepts production with a database, a Stripe key and a webhook secret", () => {
    expect(loadConfig(production).production).toBe(true);
  });

  it.each(["DATABASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"])(
    "refuses production without %s and names it",
    (name) => {
      expect(failure({ ...production, [name]: undefined })).toMatch(new RegExp(`\\b${name}\\b.*required`));
    },
  );

  it("names all three missing production variables together", () => {
    const message = failure({ NODE_ENV: "production" });
    expect(
      ["DATABASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"].filter((name) => !message.includes(name)),
    ).toEqual([]);
  });

  it("does not require the production variables outside production", () => {
    expect(loadConfig({ NODE_ENV: "development" }).databaseUrl).toBeUndefined();
  });

  it("treats an empty variable as unset, giving its default", () => {
    expect(loadConfig({ PORT: "", LOG_LEVEL: "", CHECKOUT_REPRICING_MODE: "" })).toMatchObject({
      port: 8787,
      logLevel: "info",
      repricingMode: "enforce_and_proceed",
    });
  });

  it("treats an empty optional variable as absent rather than invalid", () => {
    expect(loadConfig({ DATABASE_URL: "", CENTRAL_INVENTORY_URL: "", STRIPE_SECRET_KEY: "" })).toMatchObject({
      databaseUrl: undefined,
      centralInventoryUrl: undefined,
      stripeSecretKey: undefined,
    });
  });

  it("treats an empty required production variable as missing", () => {
    expect(failure({ ...production, STRIPE_WEBHOOK_SECRET: "" })).toMatch(/\bSTRIPE_WEBHOOK_SECRET\b.*required/);
  });
});

describe("secrets in configuration errors", () => {
  it.each([
    ["STRIPE_SECRET_KEY", "sk_live_51Habc-def"],
    ["STRIPE_WEBHOOK_SECRET", "whsec_abc-def"],
    ["DATABASE_URL", "mysql://app:s3cret@db/x"],
  ])("names %s but never prints its value", (name, value) => {
    let message = "";
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain(name);
    expect(message).not.toContain(value);
  });
});

describe("the crash-test pause (COMMERCE_TEST_PAUSE_AT)", () => {
  it("is accepted only with NODE_ENV=test", () => {
    expect(loadConfig({ NODE_ENV: "test", COMMERCE_TEST_PAUSE_AT: "after-hold" }).testPauseAt).toBe("after-hold");
  });

  it.each(["development", "production"])("is refused with NODE_ENV=%s", (nodeEnv) => {
    const env = nodeEnv === "production" ? { ...production } : { NODE_ENV: nodeEnv };
    expect(failure({ ...env, COMMERCE_TEST_PAUSE_AT: "after-hold" })).toContain("COMMERCE_TEST_PAUSE_AT");
  });

  it("is off by default", () => {
    expect(loadConfig({ NODE_ENV: "test" }).testPauseAt).toBeUndefined();
  });
});
