/**
 * Registry: Stripe webhooks. Every example is signed (`signWith`) over the exact text the contract
 * test sends, after placeholders are filled, so an event can name a checkout session made just before
 * it (`$openSession`). Each event id is used by one example only: a second use is a duplicate.
 *
 * The first success example of each endpoint stands alone (no placeholder, no step before it): the
 * generated malformed inputs start from it, and are sent unsigned or badly signed, so they must all be
 * refused (400) before anything is processed.
 */
import * as z from "zod/mini";
import { stripeWebhookEventSchema, webhookAckSchema } from "../webhooks.ts";
import { databaseDownExample, databaseUnreachable } from "./shared.ts";
import { type Endpoint, type Example, type ExampleRequest, errors, type HeaderSpec } from "./types.ts";

const stripeSignature: HeaderSpec = {
  description:
    'Stripe\'s signature over the raw body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed ' +
    "with the webhook signing secret (the shop's own, on the shop route of a shop with its own Stripe account; " +
    "else the platform's). A timestamp more than 300 s away is refused.",
  schema: z.string(),
  required: true,
};

/** A Stripe event around `object`. */
const event = (id: string, type: string, object: Record<string, unknown>) => ({
  id,
  object: "event",
  api_version: "2025-03-31.basil",
  created: 1_767_225_600,
  livemode: false,
  type,
  data: { object },
});

/** A checkout session object, paid unless said otherwise, for the session a placeholder stands for. */
const session = (id: string, metadata?: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  id,
  object: "checkout.session",
  status: "complete",
  payment_status: "paid",
  // `$openSession` is one unit at 34.00 EUR: Stripe's amount matches the hold's.
  amount_total: 3400,
  currency: "eur",
  ...(metadata ? { metadata } : {}),
  ...extra,
});

const cochlearfit = { shop_id: "cochlearfit" } as const;
const signed = (body: unknown): ExampleRequest => ({ body, signWith: "platform" });

const customerCreated = (id: string) =>
  event(id, "customer.created", { id: "cus_contract", object: "customer", metadata: cochlearfit });

const badSignature = errors("The signature is missing, wrong or stale, or the signed body is not a Stripe event.", [
  "INVALID_SIGNATURE",
  "VALIDATION_FAILED",
]);
const tooLarge = errors("The body is larger than 64 KiB.", ["PAYLOAD_TOO_LARGE"]);

const received = {
  description: "The event was received: processed, a duplicate, or of no interest here.",
  schema: webhookAckSchema,
};

/** Signature, body-size and event-shape failures, alike on both routes. */
function refusedExamples(prefix: string, pathParams?: Record<string, string>): Example[] {
  const at = pathParams ? { pathParams } : {};
  return [
    {
      name: "an event signed with another secret",
      status: 400,
      code: "INVALID_SIGNATURE",
      ...at,
      body: customerCreated(`evt_${prefix}_wrong_secret`),
      signWith: "wrong",
    },
    {
      name: "an event without a Stripe-Signature",
      status: 400,
      code: "INVALID_SIGNATURE",
      ...at,
      body: customerCreated(`evt_${prefix}_unsigned`),
      signWith: "none",
    },
    {
      name: "a signed body that is not an event",
      status: 400,
      code: "VALIDATION_FAILED",
      ...at,
      body: { hello: "world" },
      signWith: "platform",
    },
    {
      name: "a body over 64 KiB",
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      ...at,
      rawBody: {
        contentType: "application/json",
        text: JSON.stringify({ ...customerCreated(`evt_${prefix}_large`), padding: "x".repeat(70_000) }),
      },
      signWith: "platform",
    },
  ];
}

export const webhookEndpoints: readonly Endpoint[] = [
  {
    id: "receiveStripeWebhook",
    method: "POST",
    path: "/v1/webhooks/stripe",
    summary:
      "Receives a Stripe event for the platform account. The signature is verified over the raw body; the tenant " +
      "comes from `data.object.metadata.shop_id`, else from the recorded session or hold; the event's effects and " +
      "its id are recorded in one transaction, so an event delivered again changes nothing.",
    tags: ["webhooks"],
    shopScoped: false,
    headers: { "Stripe-Signature": stripeSignature },
    body: stripeWebhookEventSchema,
    responses: {
      200: received,
      400: badSignature,
      403: errors(
        "The event's shop disagrees with the shop of the session or hold it names (logged with both shops).",
        ["TENANT_MISMATCH"],
      ),
      413: tooLarge,
      503: errors(
        "The event names no shop of ours and matches no session or hold, so it cannot be placed; or " +
          `${databaseUnreachable}. Stripe retries either.`,
        ["TENANT_UNRESOLVED", "NOT_READY"],
      ),
    },
    examples: [
      {
        name: "an event of a type with no effect here",
        status: 200,
        ...signed(customerCreated("evt_contract_ignored")),
      },
      databaseDownExample(
        signed(event("evt_contract_db_down", "checkout.session.completed", session("cs_test_db_down", cochlearfit))),
      ),
      {
        name: "a paid checkout session completed",
        status: 200,
        ...signed(event("evt_contract_completed", "checkout.session.completed", session("$openSession", cochlearfit))),
      },
      {
        name: "an expired session placed by the recorded session alone (no metadata)",
        status: 200,
        ...signed(
          event(
            "evt_contract_expired",
            "checkout.session.expired",
            session("$openSession", undefined, { status: "expired", payment_status: "unpaid" }),
          ),
        ),
      },
      {
        name: "the same event delivered again is a duplicate",
        status: 200,
        ...signed(event("evt_contract_duplicate", "checkout.session.completed", session("$openSession", cochlearfit))),
        before: [
          signed(event("evt_contract_duplicate", "checkout.session.completed", session("$openSession", cochlearfit))),
        ],
      },
      ...refusedExamples("platform"),
      {
        name: "an event whose shop is not the shop of the session it names",
        status: 403,
        code: "TENANT_MISMATCH",
        ...signed(
          event(
            "evt_contract_mismatch",
            "checkout.session.completed",
            session("$openSession", { shop_id: "cover-me-pretty" }),
          ),
        ),
      },
      {
        name: "an event with no shop, for a session that is not ours",
        status: 503,
        code: "TENANT_UNRESOLVED",
        ...signed(event("evt_contract_unresolved", "checkout.session.completed", session("cs_test_unknown"))),
      },
      {
        name: "an event naming a shop that does not exist",
        status: 503,
        code: "TENANT_UNRESOLVED",
        ...signed(
          event(
            "evt_contract_no_such_shop",
            "checkout.session.completed",
            session("cs_test_unknown", { shop_id: "no-such-shop" }),
          ),
        ),
      },
    ],
  },
  {
    id: "receiveStripeWebhookForShop",
    method: "POST",
    path: "/v1/webhooks/stripe/{shopId}",
    summary:
      "Receives a Stripe event for one shop (a shop with its own Stripe account signs with its own secret). As " +
      "the platform route, and the event's shop must be the route's.",
    tags: ["webhooks"],
    shopScoped: false,
    headers: { "Stripe-Signature": stripeSignature },
    body: stripeWebhookEventSchema,
    responses: {
      200: received,
      400: badSignature,
      403: errors(
        "The event belongs to another shop than the route's, or its shop disagrees with the session it names " +
          "(logged with event id and both shops).",
        ["TENANT_MISMATCH"],
      ),
      404: errors("The route names no shop of ours (a malformed shop id included).", ["SHOP_NOT_FOUND"]),
      413: tooLarge,
      503: errors(
        `The event names no shop and matches no session or hold of ours, or ${databaseUnreachable}; Stripe retries.`,
        ["TENANT_UNRESOLVED", "NOT_READY"],
      ),
    },
    examples: [
      databaseDownExample({
        pathParams: { shopId: "cochlearfit" },
        ...signed(
          event("evt_contract_shop_db_down", "checkout.session.completed", session("cs_test_db_down", cochlearfit)),
        ),
      }),
      {
        name: "an event of a type with no effect here",
        status: 200,
        pathParams: { shopId: "cochlearfit" },
        ...signed(customerCreated("evt_contract_shop_ignored")),
      },
      {
        name: "a paid checkout session completed",
        status: 200,
        pathParams: { shopId: "cochlearfit" },
        ...signed(
          event("evt_contract_shop_completed", "checkout.session.completed", session("$openSession", cochlearfit)),
        ),
      },
      ...refusedExamples("shop", { shopId: "cochlearfit" }),
      {
        name: "an event of another shop than the route's",
        status: 403,
        code: "TENANT_MISMATCH",
        pathParams: { shopId: "cover-me-pretty" },
        // A type with an effect: types without one are acknowledged before any tenant check.
        ...signed(
          event("evt_contract_shop_other", "checkout.session.expired", {
            id: "cs_test_contract_elsewhere",
            object: "checkout.session",
            metadata: cochlearfit,
          }),
        ),
      },
      {
        name: "an event without metadata whose recorded session is another shop's",
        status: 403,
        code: "TENANT_MISMATCH",
        pathParams: { shopId: "cover-me-pretty" },
        ...signed(event("evt_contract_shop_recorded", "checkout.session.completed", session("$openSession"))),
      },
      {
        name: "an unknown shop",
        status: 404,
        code: "SHOP_NOT_FOUND",
        pathParams: { shopId: "no-such-shop" },
        ...signed(customerCreated("evt_contract_shop_unknown")),
      },
      {
        name: "a malformed shop id",
        status: 404,
        code: "SHOP_NOT_FOUND",
        pathParams: { shopId: "Not A Shop!" },
        ...signed(customerCreated("evt_contract_shop_malformed")),
      },
      {
        name: "an event with no shop, for a session that is not ours",
        status: 503,
        code: "TENANT_UNRESOLVED",
        pathParams: { shopId: "cochlearfit" },
        ...signed(event("evt_contract_shop_unresolved", "checkout.session.completed", session("cs_test_unknown"))),
      },
    ],
  },
];
