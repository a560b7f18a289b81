/**
 * The stand-in as its own process: `pnpm --filter @commerce/server stripe:local`. For running the server
 * against it from another process (benchmarks, end-to-end runs, trying the checkout by hand).
 * Environment: STRIPE_STAND_IN_PORT (12111), STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET (whsec_standin_local).
 */
import { startStripeStandIn } from "./stand-in.ts";

const DEFAULT_PORT = 12111;
const DEFAULT_WEBHOOK_SECRET = "whsec_standin_local";

function fail(variable: string, problem: string): never {
  console.error(`Stripe stand-in: ${variable} ${problem}`);
  process.exit(1);
}

function readPort(): number {
  const text = process.env.STRIPE_STAND_IN_PORT;
  if (text === undefined || text === "") return DEFAULT_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) fail("STRIPE_STAND_IN_PORT", "must be a port number (0-65535)");
  return port;
}

function readWebhookUrl(): string | undefined {
  const text = process.env.STRIPE_WEBHOOK_URL;
  if (text === undefined || text === "") return undefined;
  if (!/^https?:\/\//.test(text) || !URL.canParse(text)) fail("STRIPE_WEBHOOK_URL", "must be an http(s) URL");
  return text;
}

function readWebhookSecret(): string {
  const text = process.env.STRIPE_WEBHOOK_SECRET;
  if (text === undefined || text === "") return DEFAULT_WEBHOOK_SECRET;
  if (!/^whsec_\w+$/.test(text)) fail("STRIPE_WEBHOOK_SECRET", "must look like whsec_…");
  return text;
}

const webhookUrl = readWebhookUrl();
const standIn = await startStripeStandIn({ port: readPort(), webhookUrl, webhookSecret: readWebhookSecret() });

console.log(`
  Stripe stand-in: ${standIn.url}
  Webhooks: ${webhookUrl ?? `none yet (PUT ${standIn.url}/__stand-in/webhook {"url": "…"})`}

  Point the server at it:
    STRIPE_API_URL=${standIn.url} STRIPE_SECRET_KEY=sk_test_standin STRIPE_WEBHOOK_SECRET=${standIn.webhookSecret}
  Control API for tests: ${standIn.url}/__stand-in/ (faults, stats, sessions/:id/pay, events…)
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    standIn.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
