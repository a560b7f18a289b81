/**
 * Test parts for the stand-in's own tests: the real SDK pointed at it, a tiny webhook receiver that
 * verifies signatures with the SDK, and a checkout's parameters as the server sends them. The receiver
 * lets a test await "the Nth webhook arrived" instead of sleeping.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import type { StripeStandIn } from "./stand-in.ts";

export const TEST_SECRET_KEY = "sk_test_standin";
export const TEST_WEBHOOK_SECRET = "whsec_standin_test";

export function sdkFor(standIn: Pick<StripeStandIn, "port">, timeout = 5000): Stripe {
  return new Stripe(TEST_SECRET_KEY, {
    host: "127.0.0.1",
    port: standIn.port,
    protocol: "http",
    maxNetworkRetries: 0,
    timeout,
    telemetry: false,
  });
}

const metadata = { shop_id: "cochlearfit", hold_id: "hold_1", cart_id: "cart_1", rental_days: "0" };

/** Two lines, 2 × 29.00 + 1 × 15.00 = 73.00 EUR, with the metadata the server puts on both objects. */
export function checkoutParams(
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [
      { quantity: 2, price_data: { currency: "eur", unit_amount: 2900, product_data: { name: "Classic headband" } } },
      { quantity: 1, price_data: { currency: "eur", unit_amount: 1500, product_data: { name: "Spare clip" } } },
    ],
    success_url: "https://shop.example/en/thank-you/?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "https://shop.example/en/cart/",
    client_reference_id: "hold_1",
    metadata,
    payment_intent_data: { metadata: { ...metadata, hold_id: "hold_1_pi" } },
    ...overrides,
  };
}

/** The error a call rejected with; fails the test when it resolved instead. */
export async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export interface ReceivedWebhook {
  body: string;
  signature: string;
  /** The event as `stripe.webhooks.constructEvent` returned it, or undefined when verification failed. */
  event: Stripe.Event | undefined;
  verificationError: string | undefined;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Resolves once `count` webhooks in total have arrived. */
  until(count: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startReceiver(
  options: {
    /** The status to answer the nth (1-based) webhook with; default 200. */
    status?: (n: number) => number;
    /** The receiver's clock for signature tolerance, in unix seconds; default the real one. */
    receivedAt?: () => number;
  } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const signature = String(req.headers["stripe-signature"] ?? "");
      let event: Stripe.Event | undefined;
      let verificationError: string | undefined;
      try {
        event = Stripe.webhooks.constructEvent(
          body,
          signature,
          TEST_WEBHOOK_SECRET,
          300,
          undefined,
          options.receivedAt?.(),
        );
      } catch (error) {
        verificationError = error instanceof Error ? error.message : String(error);
      }
      received.push({ body, signature, event, verificationError });
      res.writeHead(options.status?.(received.length) ?? 200).end();
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    until: (count) =>
      received.length >= count
        ? Promise.resolve(received)
        : new Promise((resolve) => waiters.push({ count, resolve: () => resolve(received) })),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The verified events' types, in arrival order. */
export const typesOf = (received: readonly ReceivedWebhook[]): string[] => received.map((r) => r.event?.type ?? "?");

/** The id of the object an event is about (the session, or the charge). */
export const objectIdOf = (webhook: ReceivedWebhook): string =>
  (webhook.event?.data.object as { id?: string } | undefined)?.id ?? "?";
