/**
 * Typed calls to the authority server's v1 API. Requests and responses are shaped and checked by
 * the contract's schemas; every failure becomes a CommerceError.
 *
 * Retries happen only where repeating a request cannot do anything twice: 429 and 503 (honouring
 * `Retry-After` up to a bound), and network failures, on GET, PUT and DELETE, and on the checkout
 * POST, whose Idempotency-Key makes every attempt converge on one session. Creating a cart is never
 * retried: a lost answer would leave a second cart behind.
 */
import {
  type Cart,
  type Catalog,
  type CheckoutRequest,
  type CheckoutSession,
  type CheckoutSessionStatus,
  cartSchema,
  catalogSchema,
  checkoutSessionSchema,
  checkoutSessionStatusSchema,
  type Item,
  type SetCartLineRequest,
} from "@commerce/contracts/v1";
import ky, { HTTPError, type KyInstance, type Options } from "ky";
import { CommerceError, errorFromResponse, invalidResponse } from "./errors.ts";

export interface RetryPolicy {
  /** Attempts after the first. */
  limit: number;
  /** The longest single wait, also the longest `Retry-After` we wait out before giving up. */
  maxDelayMs: number;
}

export interface ApiOptions {
  apiUrl: string;
  shopId: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Per attempt. */
  timeoutMs?: number;
}

export type Api = ReturnType<typeof createApi>;

type Loose<T> = { [K in keyof T]?: T[K] | undefined };

interface Parser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

export function createApi(options: ApiOptions) {
  const policy: RetryPolicy = { limit: 2, maxDelayMs: 8000, ...options.retry };
  const http: KyInstance = ky.create({
    prefixUrl: options.apiUrl,
    headers: { "x-shop-id": options.shopId },
    timeout: options.timeoutMs ?? 15_000,
    retry: retrySettings(policy, ["get", "put", "delete"]),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function call<T>(schema: Parser<T> | undefined, path: string, init: Options): Promise<T> {
    let response: Response;
    try {
      response = await http(path, init);
    } catch (error) {
      if (error instanceof HTTPError) throw await errorFromResponse(error.response, error);
      throw new CommerceError("NETWORK_ERROR", "the server did not answer", { cause: error });
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw invalidResponse(response);
    return parsed.data;
  }

  const cartPath = (cartId: string) => `v1/carts/${encodeURIComponent(cartId)}`;
  return {
    catalog: (locale?: string): Promise<Catalog> =>
      call(catalogSchema, "v1/catalog", { searchParams: locale ? { locale } : {} }),
    createCart: (lines: Item[]): Promise<Cart> =>
      call(cartSchema, "v1/carts", { method: "post", json: { lines }, retry: 0 }),
    getCart: (cartId: string): Promise<Cart> => call(cartSchema, cartPath(cartId), {}),
    setLine: (cartId: string, line: SetCartLineRequest): Promise<Cart> =>
      call(cartSchema, `${cartPath(cartId)}/lines`, { method: "put", json: line }),
    deleteCart: (cartId: string): Promise<void> => call(undefined, cartPath(cartId), { method: "delete" }),
    /** Fields left undefined are not sent (JSON has no undefined). */
    createCheckoutSession: (body: Loose<CheckoutRequest>, idempotencyKey: string): Promise<CheckoutSession> =>
      call(checkoutSessionSchema, "v1/checkout/sessions", {
        method: "post",
        json: body,
        headers: { "idempotency-key": idempotencyKey },
        retry: retrySettings(policy, ["post"]),
      }),
    sessionStatus: (sessionId: string): Promise<CheckoutSessionStatus> =>
      call(checkoutSessionStatusSchema, `v1/checkout/sessions/${encodeURIComponent(sessionId)}`, {}),
  };
}

/**
 * ky's retry options for these methods (given whole per request: ky replaces arrays, not merges).
 * ky would wait `maxDelayMs` for any longer Retry-After and try again, which cannot succeed sooner.
 */
function retrySettings(policy: RetryPolicy, methods: Array<"get" | "put" | "delete" | "post">) {
  const statusCodes = [429, 503];
  return {
    limit: policy.limit,
    methods,
    statusCodes,
    afterStatusCodes: statusCodes,
    maxRetryAfter: policy.maxDelayMs,
    backoffLimit: policy.maxDelayMs,
    // A wait longer than our bound (a rate-limit window, say) goes back to the shopper at once.
    shouldRetry: ({ error }: { error: Error }) =>
      error instanceof HTTPError && Number(error.response.headers.get("retry-after")) * 1000 > policy.maxDelayMs
        ? false
        : undefined,
  };
}
