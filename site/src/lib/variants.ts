/**
 * Variants, colours and sizes: pure helpers shared by pages and islands (no catalog data in here,
 * so islands do not ship the build-time catalog).
 */
import type { MessageKey } from "../i18n/en.ts";

export interface Variant {
  variantKey: string;
  attributes: { color: string; size: string };
  unitAmount: number;
  available: number;
}

/** Band colour and a darker shade for the drawings; names come from the dictionaries. */
export const colourSwatch: Record<string, { band: string; shade: string }> = {
  black: { band: "#2f2f33", shade: "#17171a" },
  navy: { band: "#27406b", shade: "#182a49" },
  rose: { band: "#e3a6b4", shade: "#c07c8d" },
  grey: { band: "#9a9ea6", shade: "#6f737b" },
  sky: { band: "#8cc8ec", shade: "#5b9fc9" },
  mint: { band: "#9fdcc4", shade: "#6bb89b" },
  coral: { band: "#f28f79", shade: "#cf6650" },
  yellow: { band: "#f6d25c", shade: "#d4aa2c" },
  lime: { band: "#b5d65a", shade: "#8aae33" },
  sand: { band: "#d9c3a0", shade: "#b59c75" },
};
export const swatch = (colour: string) => colourSwatch[colour] ?? { band: "#8a8f98", shade: "#5f636a" };

export const colourKey = (colour: string) => `colour.${colour}` as MessageKey;

/** Head circumference in cm per size, as the product descriptions state it. */
export const sizeRange: Record<string, string> = {
  xs: "42–47",
  s: "47–52",
  m: "52–56",
  l: "56–60",
  xl: "60–64",
};
const sizeOrder = ["xs", "s", "m", "l", "xl"];
export const sizeLabel = (size: string) => size.toUpperCase();

const unique = (values: string[]) => [...new Set(values)];
export const coloursOf = (product: { variants: Variant[] }) => unique(product.variants.map((v) => v.attributes.color));
export const sizesOf = (product: { variants: Variant[] }) =>
  unique(product.variants.map((v) => v.attributes.size)).sort((a, b) => sizeOrder.indexOf(a) - sizeOrder.indexOf(b));

export const lowestPrice = (product: { variants: Variant[] }) => Math.min(...product.variants.map((v) => v.unitAmount));

/** The first colour with anything in stock, so the picker opens on something that can be bought. */
export function defaultPick(product: { variants: Variant[] }): { color: string; size: string } {
  const first =
    product.variants.find((v) => v.available > 0 && v.attributes.size === "m") ??
    product.variants.find((v) => v.available > 0) ??
    product.variants[0];
  return first ? { ...first.attributes } : { color: "", size: "" };
}

/** Attributes from a variant key ("color:navy|size:m"). */
export function attributesOf(variantKey: string): Record<string, string> {
  return Object.fromEntries(variantKey.split("|").map((pair) => pair.split(":", 2) as [string, string]));
}

/** "Navy, M" in the shopper's language. */
export function variantText(tr: (key: MessageKey) => string, attributes: Record<string, string>): string {
  const parts: string[] = [];
  if (attributes.color) parts.push(tr(colourKey(attributes.color)));
  if (attributes.size) parts.push(sizeLabel(attributes.size));
  return parts.join(", ");
}
