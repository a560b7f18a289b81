/**
 * The payment gateway: Stripe Checkout sessions through the real `stripe` SDK, pointed at Stripe,
 * at any Stripe-compatible URL (`STRIPE_API_URL`), or at the local stand-in. One client per secret
 * key, so a shop with its own Stripe account (D05) gets its own.
 */
import Stripe from "stripe";

export type CheckoutSessionParams = Stripe.Checkout.SessionCreateParams;
export type StripeSession = Stripe.Checkout.Session;

export interface PaymentGateway {
  createSession(secretKey: string, params: CheckoutSessionParams, idempotencyKey: string): Promise<StripeSession>;
  retrieveSession(secretKey: string, sessionId: string): Promise<StripeSession>;
  expireSession(secretKey: string, sessionId: string): Promise<StripeSession>;
}

export interface GatewayOptions {
  /** Base URL of a Stripe-compatible API; absent → api.stripe.com. */
  apiUrl: string | undefined;
  /** Well below the SDK's 80 s default: a checkout must answer while the shopper still waits. */
  timeoutMs?: number;
}

export function createStripeGateway(options: GatewayOptions): PaymentGateway {
  const clients = new Map<string, Stripe>();
  const target = options.apiUrl ? new URL(options.apiUrl) : undefined;

  function client(secretKey: string): Stripe {
    let stripe = clients.get(secretKey);
    if (!stripe) {
      stripe = new Stripe(secretKey, {
        // Retries are the client's, under the same Idempotency-Key, after a classified failure. (The
        // SDK still retries a reset connection once on its own, under the same Stripe idempotency
        // key: harmless, and a second reset is classified as unknown like any other.)
        maxNetworkRetries: 0,
        timeout: options.timeoutMs ?? 10_000,
        telemetry: false,
        ...(target
          ? {
              host: target.hostname,
              port: Number(target.port || (target.protocol === "https:" ? 443 : 80)),
              protocol: target.protocol === "https:" ? "https" : "http",
            }
          : {}),
      });
      clients.set(secretKey, stripe);
    }
    return stripe;
  }

  return {
    createSession: (key, params, idempotencyKey) => client(key).checkout.sessions.create(params, { idempotencyKey }),
    retrieveSession: (key, id) => client(key).checkout.sessions.retrieve(id),
    expireSession: (key, id) => client(key).checkout.sessions.expire(id),
  };
}
