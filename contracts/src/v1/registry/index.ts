/**
 * The endpoint registry: every v1 endpoint with its inputs, the response schema of each status it
 * declares, and examples. OpenAPI and the contract tests are generated from this list, so an
 * endpoint exists for clients exactly when it is here.
 *
 * Examples run against a server holding the seed data (shops `cochlearfit` and `cover-me-pretty`).
 * An example may name a `fixture` (a server started in a particular state, for the statuses a
 * healthy server cannot produce), use placeholders for carts and checkout sessions made first, send
 * requests `before` itself, ask for a `paidIntent`, or be signed as a Stripe webhook (`signWith`): see `types.ts`.
 */
import { cartEndpoints } from "./carts.ts";
import { catalogEndpoints } from "./catalog.ts";
import { checkoutEndpoints } from "./checkout.ts";
import { inventoryEndpoints } from "./inventory.ts";
import { operationsEndpoints } from "./operations.ts";
import type { Endpoint } from "./types.ts";
import { webhookEndpoints } from "./webhooks.ts";

export type {
  Endpoint,
  Example,
  ExampleRequest,
  Fixture,
  HeaderSpec,
  HttpMethod,
  Placeholder,
  ResponseSpec,
  SignWith,
} from "./types.ts";
export { errors, placeholders } from "./types.ts";

export const endpoints: readonly Endpoint[] = [
  ...operationsEndpoints,
  ...catalogEndpoints,
  ...inventoryEndpoints,
  ...cartEndpoints,
  ...checkoutEndpoints,
  ...webhookEndpoints,
];

export function findEndpoint(id: string): Endpoint {
  const endpoint = endpoints.find((e) => e.id === id);
  if (!endpoint) throw new Error(`no endpoint ${id} in the v1 registry`);
  return endpoint;
}
