/**
 * Pure functions over the cart's lines. A stored line is what the browser may keep: identifiers and
 * a quantity, never a price. Prices and availability arrive with the server's cart.
 */
import { type Cart, type CartLine, type Item, variantKey } from "@commerce/contracts/v1";

export interface LineRef {
  sku: string;
  attributes: Record<string, string>;
}
export interface StoredLine extends LineRef {
  quantity: number;
}
/** A line as the shopper sees it: the priced fields are absent until the server has answered. */
export type CartViewLine = StoredLine & { variantKey: string } & Partial<CartLine>;

const lineId = (line: LineRef) => `${line.sku} ${variantKey(line.attributes)}`;

/** Sets one variant's quantity (0 removes it), keeping the order lines were added in. */
export function withQuantity(lines: readonly StoredLine[], ref: LineRef, quantity: number): StoredLine[] {
  const others = lines.filter((line) => lineId(line) !== lineId(ref));
  if (quantity <= 0) return others;
  const line = { sku: ref.sku, attributes: ref.attributes, quantity };
  const index = lines.findIndex((l) => lineId(l) === lineId(ref));
  return index === -1 ? [...lines, line] : lines.map((l, i) => (i === index ? line : l));
}

export const quantityOf = (lines: readonly StoredLine[], ref: LineRef) =>
  lines.find((line) => lineId(line) === lineId(ref))?.quantity ?? 0;

export const storedLinesOf = (cart: Cart): StoredLine[] =>
  cart.lines.map(({ sku, attributes, quantity }) => ({ sku, attributes, quantity }));

export const toItem = ({ sku, attributes, quantity }: StoredLine): Item => ({
  sku,
  variantAttributes: attributes,
  quantity,
});

/** Mirrored lines, shown before the server has answered. */
export const unpricedLines = (lines: readonly StoredLine[]): CartViewLine[] =>
  lines.map((line) => ({ ...line, variantKey: variantKey(line.attributes) }));
