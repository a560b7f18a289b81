/**
 * What the browser keeps between visits, under one versioned key per shop:
 *
 *   commerce:cart:v1:<shopId> = { v: 1, cartId, lines: [{ sku, attributes, quantity }],
 *                                 checkout?: { key, fingerprint }, completed: [sessionId…] }
 *
 * Identifiers and quantities only: a price kept in the browser would be a price someone could edit.
 * A cart from the first storefronts (lines carrying price, name, size and colour, no version) is read
 * once, reduced to identifiers and removed; the caller then creates the server cart for it.
 */
import { quantitySchema, skuSchema, variantAttributesSchema } from "@commerce/contracts/v1";
import * as z from "zod/mini";
import type { StoredLine } from "./cart-lines.ts";

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

type Attempt = { key: string; fingerprint: string };

export interface StoredCart {
  v: 1;
  cartId: string | null;
  lines: StoredLine[];
  /** The checkout attempt in progress: its Idempotency-Key and what it was for. */
  checkout?: Attempt | undefined;
  /** The last 20 sessions whose payment cleared a cart here, so a revisit clears nothing. */
  completed: string[];
}

export const emptyCart = (): StoredCart => ({ v: 1, cartId: null, lines: [], completed: [] });
export { storageKey } from "./storage-key.ts";

const storedLineSchema = z.object({ sku: skuSchema, attributes: variantAttributesSchema, quantity: quantitySchema });
export function readStoredCart(storage: StorageLike, key: string): StoredCart | undefined {
  const value = parse(storage.getItem(key));
  if (!isRecord(value) || value.v !== 1 || !Array.isArray(value.lines)) return undefined;
  const { cartId, checkout, completed } = value;
  return {
    v: 1,
    cartId: typeof cartId === "string" ? cartId : null,
    lines: value.lines.flatMap(validLine),
    ...(isRecord(checkout) && typeof checkout.key === "string" ? { checkout: checkout as Attempt } : {}),
    // Only ever compared with a session id, so a stray entry is harmless.
    completed: Array.isArray(completed) ? completed : [],
  };
}

export function writeStoredCart(storage: StorageLike, key: string, cart: StoredCart): void {
  try {
    storage.setItem(key, JSON.stringify(cart));
  } catch {
    // Full or forbidden storage (private mode): the server cart still holds the truth for this page.
  }
}

/**
 * Reads a legacy cart (an array of lines, or `{ items }` / `{ lines }`) and removes it. Each line
 * keeps its sku (`sku`, `id` or `productId`), its `size` and `color`, and its quantity; price and
 * name are dropped. Anything unreadable is dropped rather than guessed at.
 */
export function takeLegacyLines(storage: StorageLike, legacyKey: string): StoredLine[] {
  const value = parse(storage.getItem(legacyKey));
  if (value === undefined) return [];
  storage.removeItem(legacyKey);
  const lines = Array.isArray(value) ? value : isRecord(value) ? (value.items ?? value.lines) : undefined;
  if (!Array.isArray(lines) || (isRecord(value) && value.v !== undefined)) return [];
  return lines.flatMap(legacyLine);
}

function legacyLine(line: unknown): StoredLine[] {
  if (!isRecord(line)) return [];
  const attributes: Record<string, string> = {};
  for (const [name, value] of [
    ["color", line.color ?? line.colour],
    ["size", line.size],
  ] as const) {
    if (typeof value === "string" && value.trim()) attributes[name] = value.trim().toLowerCase();
  }
  return validLine({
    sku: line.sku ?? line.id ?? line.productId,
    attributes,
    quantity: Math.min(Number(line.quantity ?? line.qty ?? 1), 99),
  });
}

/** The line as stored, or nothing: unknown fields (a price, say) are stripped, bad lines dropped. */
function validLine(line: unknown): StoredLine[] {
  const valid = storedLineSchema.safeParse(line);
  return valid.success ? [valid.data] : [];
}

function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
