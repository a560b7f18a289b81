/** @commerce/client: cart store, typed API calls, hosted-checkout redirect, verified cart clearing. */
export type { Api, ApiOptions, RetryPolicy } from "./api.ts";
export { createApi } from "./api.ts";
export type { CartViewLine, LineRef, StoredLine } from "./cart-lines.ts";
export type {
  CartState,
  CheckoutOptions,
  CheckoutResult,
  Commerce,
  CommerceOptions,
  Completion,
  CompletionOutcome,
  Status,
} from "./commerce.ts";
export { createCommerce } from "./commerce.ts";
export type { CommerceErrorCode } from "./errors.ts";
export { CommerceError } from "./errors.ts";
export type { StorageLike, StoredCart } from "./storage.ts";
export { storageKey } from "./storage.ts";
