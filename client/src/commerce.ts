/**
 * `createCommerce()`: the cart stores and the actions a storefront binds to its buttons.
 *
 * The server cart is the truth; the browser keeps its id and a mirror of the lines (identifiers and
 * quantities) so the cart shows at once, survives reloads and follows other tabs. Actions run one at
 * a time, in the order they were called, so quantities never cross on the wire.
 */
import {
  type Cart,
  type Catalog,
  type CheckoutSession,
  type CheckoutSessionStatus,
  variantKey,
} from "@commerce/contracts/v1";
import { atom, computed, type ReadableAtom } from "nanostores";
import { type ApiOptions, createApi } from "./api.ts";
import {
  type CartViewLine,
  type LineRef,
  quantityOf,
  type StoredLine,
  storedLinesOf,
  toItem,
  unpricedLines,
  withQuantity,
} from "./cart-lines.ts";
import { CommerceError, isCode } from "./errors.ts";
import {
  emptyCart,
  readStoredCart,
  type StorageLike,
  type StoredCart,
  storageKey,
  takeLegacyLines,
  writeStoredCart,
} from "./storage.ts";
import { loadStripeSignals } from "./stripe-signals.ts";

export interface CommerceOptions extends ApiOptions {
  /** Where the cart is kept; `localStorage` in a browser, memory elsewhere. */
  storage?: StorageLike;
  /** How checkout leaves for the hosted payment page; `location.assign` by default. */
  navigate?: (url: string) => void;
  /** Where `storage` events come from (other tabs); `window` in a browser. */
  events?: Pick<EventTarget, "addEventListener">;
  /** Keys a storefront's earlier cart was kept under, migrated on first read. */
  legacyKeys?: string[];
  /** Loads Stripe.js for its fraud signals only; checkout never waits for it. */
  stripePublishableKey?: string;
}

export interface CartState {
  cartId: string | null;
  currency: string | null;
  lines: CartViewLine[];
  /** The server's subtotal for exactly these lines; undefined until it has answered. */
  subtotal: number | undefined;
  hydrated: boolean;
}

export type Status =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "checking-out" }
  | { state: "error"; error: CommerceError };

export interface CheckoutOptions {
  locale: "en" | "de";
  couponCode?: string | undefined;
  /** The total the shopper was shown; defaults to the cart subtotal when no coupon is applied. */
  expectedTotal?: number | undefined;
  successUrl?: string | undefined;
  cancelUrl?: string | undefined;
  /** Asked before leaving when the server's total differs from the one shown; false stays here. */
  confirmPriceChange?: (session: CheckoutSession) => boolean | Promise<boolean>;
}

export interface CheckoutResult {
  session: CheckoutSession;
  priceChanged: boolean;
  redirected: boolean;
}

/** What a verified payment meant for this browser's cart. */
export type CompletionOutcome =
  | "cleared" // paid, for this cart: the cart is now empty
  | "already-cleared" // paid, and this browser cleared for it before (a revisit)
  | "not-this-cart" // paid, but for a cart this browser no longer holds (a newer cart, another device)
  | "pending" // an asynchronous payment (bank debit) has not settled yet
  | "unpaid" // the shopper has not paid (yet)
  | "expired" // the session ran out unpaid
  | "unknown"; // no such session for this shop

export interface Completion {
  outcome: CompletionOutcome;
  status?: CheckoutSessionStatus;
}

export function createCommerce(options: CommerceOptions) {
  const api = createApi(options);
  const storage = options.storage ?? browserStorage();
  const key = storageKey(options.shopId);
  const navigate = options.navigate ?? ((url: string) => globalThis.location.assign(url));
  if (options.stripePublishableKey) loadStripeSignals(options.stripePublishableKey);

  let stored = readStoredCart(storage, key) ?? migrateLegacy();
  const $stored = atom<StoredCart>(stored);
  const $server = atom<Cart | undefined>(undefined);
  const $status = atom<Status>({ state: "idle" });

  // $server is set only together with the mirror (accept) and dropped whenever the mirror changes
  // another way, so a defined $server always describes exactly the mirrored lines.
  const $cart: ReadableAtom<CartState> = computed([$stored, $server], (local, server) => ({
    cartId: local.cartId,
    currency: server?.currency ?? null,
    lines: server?.lines ?? unpricedLines(local.lines),
    subtotal: server?.subtotal,
    hydrated: server !== undefined,
  }));
  const $count = computed($stored, (local) => local.lines.reduce((sum, line) => sum + line.quantity, 0));
  const $subtotal = computed($cart, (cart) => cart.subtotal);

  function migrateLegacy(): StoredCart {
    const lines = (options.legacyKeys ?? ["cart"]).flatMap((legacy) => takeLegacyLines(storage, legacy));
    const cart = { ...emptyCart(), lines };
    writeStoredCart(storage, key, cart);
    return cart;
  }

  function save(next: Partial<StoredCart>): void {
    stored = { ...stored, ...next };
    writeStoredCart(storage, key, stored);
    $stored.set(stored);
  }

  function accept(cart: Cart): Cart {
    $server.set(cart);
    save({ cartId: cart.cartId, lines: storedLinesOf(cart) });
    return cart;
  }

  // Actions run one after another; each reports through $status and rethrows for its caller.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(state: "loading" | "checking-out", action: () => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      $status.set({ state });
      try {
        const result = await action();
        if ($status.get().state === state) $status.set({ state: "idle" });
        return result;
      } catch (error) {
        // Every failure an action expects is a CommerceError; anything else is a bug and is rethrown as is.
        $status.set(error instanceof CommerceError ? { state: "error", error } : { state: "idle" });
        throw error;
      }
    });
    queue = run.catch(() => {});
    return run;
  }

  /** A new server cart holding these lines; variants the shop no longer sells are dropped, not fatal. */
  async function createServerCart(lines: StoredLine[]): Promise<Cart> {
    try {
      return accept(await api.createCart(lines.map(toItem)));
    } catch (error) {
      if (!isCode(error, "UNKNOWN_ITEM")) throw error;
      const unknown = (error.details.items as Array<{ sku: string; variantKey: string }>).map(
        (item) => item.variantKey + item.sku,
      );
      const known = lines.filter((line) => !unknown.includes(variantKey(line.attributes) + line.sku));
      return accept(await api.createCart(known.map(toItem)));
    }
  }

  /** The server cart for the mirrored lines: fetched, or created when there is none (or it was lost). */
  async function syncFromServer(): Promise<Cart | undefined> {
    const { cartId, lines } = stored;
    if (cartId === null) return lines.length > 0 ? createServerCart(lines) : undefined;
    try {
      return accept(await api.getCart(cartId));
    } catch (error) {
      if (!isCode(error, "CART_NOT_FOUND")) throw error;
      if (lines.length > 0) return createServerCart(lines);
      save({ cartId: null });
      return undefined;
    }
  }

  /** Sets a line from its quantity when the action runs (not when it was called), so queued adds add up. */
  function changeLine(ref: LineRef, quantity: (current: number) => number): Promise<Cart> {
    return serial("loading", async () => {
      const wanted = Math.max(0, Math.min(99, Math.trunc(quantity(quantityOf(stored.lines, ref)))));
      const lines = withQuantity(stored.lines, ref, wanted);
      if (stored.cartId === null) return createServerCart(lines);
      try {
        return accept(await api.setLine(stored.cartId, toItem({ ...ref, quantity: wanted })));
      } catch (error) {
        if (!isCode(error, "CART_NOT_FOUND")) throw error;
        return createServerCart(lines);
      }
    });
  }

  let checkingOut: Promise<CheckoutResult> | undefined;
  function checkout(checkoutOptions: CheckoutOptions): Promise<CheckoutResult> {
    // A double click, or a second call while the first is on its way, joins the first.
    checkingOut ??= serial("checking-out", () => startCheckout(checkoutOptions)).finally(() => {
      checkingOut = undefined;
    });
    return checkingOut;
  }

  async function startCheckout(checkoutOptions: CheckoutOptions): Promise<CheckoutResult> {
    const cart = $cart.get().hydrated ? $server.get() : await syncFromServer();
    if (!cart || cart.lines.length === 0) throw new CommerceError("EMPTY_CART", "the cart is empty");
    const { locale, couponCode, successUrl, cancelUrl } = checkoutOptions;
    const expectedTotal = checkoutOptions.expectedTotal ?? (couponCode ? undefined : cart.subtotal);
    // The same cart, coupon and language keep the same key, so a reload or a retry after a lost
    // answer converges on the session already made instead of holding stock twice.
    const fingerprint = JSON.stringify([cart.cartId, stored.lines, couponCode ?? null, locale]);
    const idempotencyKey = stored.checkout?.fingerprint === fingerprint ? stored.checkout.key : newKey();
    save({ checkout: { key: idempotencyKey, fingerprint } });
    let session: CheckoutSession;
    try {
      const request = { cartId: cart.cartId, locale, expectedTotal, couponCode, successUrl, cancelUrl };
      session = await api.createCheckoutSession(request, idempotencyKey);
    } catch (error) {
      // Prices or stock moved: show the shopper the cart as it now is, beside the error.
      if (isCode(error, "PRICE_CHANGED", "INSUFFICIENT_STOCK")) {
        await syncFromServer().catch(() => undefined);
      }
      throw error;
    }
    if (session.priceChanged) {
      await syncFromServer().catch(() => undefined);
      if (checkoutOptions.confirmPriceChange && !(await checkoutOptions.confirmPriceChange(session))) {
        return { session, priceChanged: true, redirected: false };
      }
    }
    navigate(session.url);
    return { session, priceChanged: session.priceChanged, redirected: true };
  }

  function completeCheckout(sessionId: string): Promise<Completion> {
    return serial("loading", async () => {
      let status: CheckoutSessionStatus;
      try {
        status = await api.sessionStatus(sessionId);
      } catch (error) {
        if (isCode(error, "SESSION_NOT_FOUND", "VALIDATION_FAILED")) return { outcome: "unknown" };
        throw error;
      }
      return { outcome: settle(sessionId, status), status };
    });
  }

  /** Clears the cart only for a verified payment of this very cart, never twice, never a newer one. */
  function settle(sessionId: string, { status, paymentStatus, cartId }: CheckoutSessionStatus): CompletionOutcome {
    if (status === "expired") return "expired";
    if (paymentStatus === "unpaid") return status === "complete" ? "pending" : "unpaid";
    if (stored.completed.includes(sessionId)) return "already-cleared";
    if (cartId === null || cartId !== stored.cartId) return "not-this-cart";
    $server.set(undefined);
    save({ cartId: null, lines: [], checkout: undefined, completed: [...stored.completed, sessionId].slice(-20) });
    return "cleared";
  }

  // Another tab changed the cart: take its mirror, then the server's prices for it.
  // In a browser the events come from window; elsewhere (a server render, a test) there are none.
  (options.events ?? globalThis).addEventListener?.("storage", (event) => {
    if ((event as StorageEvent).key !== key) return;
    const next = readStoredCart(storage, key);
    if (!next) return;
    $server.set(undefined);
    stored = next;
    $stored.set(next);
    if (next.cartId) refresh().catch(() => {});
  });

  function refresh(): Promise<Cart | undefined> {
    return serial("loading", syncFromServer);
  }

  return {
    /** The cart as the shopper sees it. */
    $cart,
    /** Number of items (sum of quantities). */
    $count,
    /** The server's subtotal in minor units, once hydrated. */
    $subtotal,
    $status,
    /** Fetches the server cart (creating it for migrated or lost carts) and its current prices. */
    refresh,
    /** Adds to the variant's quantity (up to 99). */
    addItem: (ref: LineRef, quantity = 1) => changeLine(ref, (current) => current + quantity),
    /** Sets the variant's quantity; 0 removes the line. */
    setQuantity: (ref: LineRef, quantity: number) => changeLine(ref, () => quantity),
    removeItem: (ref: LineRef) => changeLine(ref, () => 0),
    clear: () =>
      serial("loading", async () => {
        if (stored.cartId !== null) await api.deleteCart(stored.cartId);
        $server.set(undefined);
        save({ lines: [] });
      }),
    checkout,
    completeCheckout,
    /** The catalog with live prices and availability. */
    catalog: (locale?: string): Promise<Catalog> => api.catalog(locale),
  };
}

export type Commerce = ReturnType<typeof createCommerce>;

/** Reloads and double clicks reuse the stored key; a new attempt gets a new one. */
const newKey = () => `co_${crypto.randomUUID()}`;

function browserStorage(): StorageLike {
  try {
    if (localStorage) return localStorage;
  } catch {
    // No localStorage here, or it is disabled: keep the cart for this page only.
  }
  const memory = new Map<string, string>();
  return {
    getItem: (k) => memory.get(k) ?? null,
    setItem: memory.set.bind(memory),
    removeItem: memory.delete.bind(memory),
  };
}
