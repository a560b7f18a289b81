/** Example values and responses several areas of the registry share. */
import { type Example, errors } from "./types.ts";

export const shop = { "x-shop-id": "cochlearfit" } as const;
export const black = { color: "black", size: "m" } as const;
export const classic = "cf-headband-classic";

/** Well-formed, and never issued: ids are 144 random bits. */
export const unknownCartId = "cart_AAAAAAAAAAAAAAAAAAAAAAAA";

/** An endpoint that reads the database answers 503 NOT_READY while it is unreachable; clients and Stripe retry. */
export const databaseUnreachable = "the database is not reachable; retry shortly (Retry-After)";

/** The example of that outage for one endpoint: its server's database does not answer. */
export function databaseDownExample(request: Omit<Example, "name" | "status" | "code" | "fixture">): Example {
  return { name: "the database is unreachable", status: 503, code: "NOT_READY", fixture: "databaseDown", ...request };
}

export const bodyErrors = {
  413: errors("The body is larger than 64 KiB.", ["PAYLOAD_TOO_LARGE"]),
  415: errors("The body is not JSON.", ["UNSUPPORTED_MEDIA_TYPE"]),
} as const;

/** A body too large, one that is not JSON by content type, and one that is not well-formed JSON. */
export function bodyErrorExamples(): Example[] {
  return [
    {
      name: "a body over 64 KiB",
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      headers: shop,
      rawBody: { contentType: "application/json", text: `{"items":"${"x".repeat(70_000)}"}` },
    },
    {
      name: "a body that is not JSON by content type",
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      headers: shop,
      rawBody: { contentType: "text/plain", text: "items" },
    },
    {
      name: "a body that is not well-formed JSON",
      status: 400,
      code: "VALIDATION_FAILED",
      headers: shop,
      rawBody: { contentType: "application/json", text: '{"items": [' },
    },
  ];
}
