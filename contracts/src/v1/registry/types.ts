/**
 * The shapes of the endpoint registry: an endpoint with its inputs, the response schema of each status
 * it declares, and examples; the fixtures and placeholders examples may ask for.
 *
 * Everything here is data: an example never holds a function, so OpenAPI and the contract tests read
 * the same declarations, and the contract test alone knows how to bring a fixture or a placeholder about.
 */
import type * as z from "zod/mini";
import { type ErrorCode, errorEnvelopeFor } from "../errors.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * A server started in a particular state, for the statuses a healthy server with default settings
 * cannot produce:
 * - `databaseDown`: its database does not answer;
 * - `centralInventoryDown`: in production, `cochlearfit` requires a central inventory that is unreachable;
 * - `repricingReject`: `CHECKOUT_REPRICING_MODE=enforce_and_reject`;
 * - `paymentProviderRejects`: its Stripe stand-in answers every session create with a 400;
 * - `paymentProviderDown`: its Stripe stand-in answers every session create with a 503;
 * - `paymentProviderReadsDown`: its Stripe stand-in answers every session retrieve with a 503 (creating
 *   sessions still works, so a session placeholder can be made there);
 * - `rateLimited`: the rate limit is on at 1 request a minute (6 for creating carts), with a clock
 *   that stands still, so an example's `before` steps spend the budget and the example gets 429.
 */
export type Fixture =
  | "databaseDown"
  | "centralInventoryDown"
  | "repricingReject"
  | "paymentProviderRejects"
  | "paymentProviderDown"
  | "paymentProviderReadsDown"
  | "rateLimited";

/**
 * Values that stand for a cart or a checkout session the contract test makes (through the API) right
 * before sending, then substitutes: as a path parameter's value, or as a whole JSON string anywhere in
 * a body (`{ cartId: "$newCart" }`, `{ data: { object: { id: "$openSession" } } }`). Each request gets
 * carts and sessions of its own.
 * - `$newCart`: a fresh cart of `cochlearfit` holding one line;
 * - `$emptyCart`: a fresh cart of `cochlearfit` without lines;
 * - `$otherShopCart`: a fresh cart of `cover-me-pretty` (to show another shop's cart is not found);
 * - `$openSession`: the session id of a fresh checkout of `cochlearfit` (one unit of a well-stocked
 *   variant, 34.00 EUR, under an Idempotency-Key of its own), open and unpaid;
 * - `$paidSession`: the same, then paid in the server's Stripe stand-in;
 * - `$otherShopSession`: the session id of a fresh rental checkout of `cover-me-pretty`.
 */
export type Placeholder =
  | "$newCart"
  | "$emptyCart"
  | "$otherShopCart"
  | "$openSession"
  | "$paidSession"
  | "$otherShopSession";
export const placeholders: readonly Placeholder[] = [
  "$newCart",
  "$emptyCart",
  "$otherShopCart",
  "$openSession",
  "$paidSession",
  "$otherShopSession",
];

/**
 * How the contract test signs a webhook request (`Stripe-Signature`) over the exact body text it sends:
 * - `platform`: with the server's webhook secret and the current time, as Stripe would;
 * - `wrong`: with a secret that is not the server's;
 * - `none`: no `Stripe-Signature` header at all.
 */
export type SignWith = "platform" | "none" | "wrong";

export interface ResponseSpec {
  description: string;
  /** JSON body schema; absent for non-JSON bodies (the Prometheus text) and empty bodies. */
  schema?: z.ZodMiniType;
  contentType?: string;
  /** For error statuses: the codes this endpoint may answer with. */
  codes?: readonly ErrorCode[];
}

/** One request to an endpoint, as an example (or a step before one) sends it. */
export interface ExampleRequest {
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Values of the path's parameters; a {@link Placeholder} is replaced before sending. */
  pathParams?: Record<string, string>;
  /** A JSON body, sent with `content-type: application/json`; a {@link Placeholder} string is replaced. */
  body?: unknown;
  /** A raw body with its own content type, for malformed-input examples. */
  rawBody?: { contentType: string; text: string };
  /** Webhooks only: sign the body as it is sent (after placeholders are filled); see {@link SignWith}. */
  signWith?: SignWith;
}

export interface Example extends ExampleRequest {
  name: string;
  status: number;
  /** The error code an error example must carry. */
  code?: ErrorCode;
  fixture?: Fixture;
  /**
   * Requests to the same endpoint (and server) sent first, in order, each of which must get a 2xx:
   * the state an example is about, such as a first checkout that the example replays.
   */
  before?: readonly ExampleRequest[];
  /**
   * Checkout only: the example's own request is first sent once (it must get a 201), its Stripe
   * session paid and its hold committed into an order, so the example asks again for a paid intent.
   */
  paidIntent?: boolean;
}

/** A request header an endpoint reads besides `x-shop-id`. */
export interface HeaderSpec {
  description: string;
  /** The header value's schema (a string schema). */
  schema: z.ZodMiniType;
  required?: boolean;
}

export interface Endpoint {
  id: string;
  method: HttpMethod;
  /** OpenAPI-style path: `/v1/carts/{cartId}`. */
  path: string;
  summary: string;
  tags: readonly string[];
  /** Needs the `x-shop-id` header (or, where the body allows it, a body `shopId`). */
  shopScoped: boolean;
  /** Other request headers, by lowercase name. */
  headers?: Readonly<Record<string, HeaderSpec>>;
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  responses: Readonly<Record<number, ResponseSpec>>;
  examples: readonly Example[];
}

/** An error status's spec: its description and codes, with the envelope narrowed to those codes. */
export function errors(description: string, codes: readonly ErrorCode[]): ResponseSpec {
  return { description, schema: errorEnvelopeFor(codes), codes };
}
