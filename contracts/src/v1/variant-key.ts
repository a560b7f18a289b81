/**
 * The canonical string for a variant's attributes: names sorted ascending, each `name:value`,
 * joined with `|`. `{ size: "m", color: "black" }` → `color:black|size:m`. Case-sensitive.
 */
export type VariantAttributes = Readonly<Record<string, string>>;

export function variantKey(attributes: VariantAttributes): string {
  return Object.keys(attributes)
    .sort()
    .map((name) => `${name}:${attributes[name]}`)
    .join("|");
}

export type VariantRef = { variantAttributes?: VariantAttributes | undefined; variantKey?: string | undefined };

export type ResolvedVariantKey = { ok: true; variantKey: string } | { ok: false; given: string; computed: string };

/**
 * Names the variant an item refers to. `variantAttributes` is canonical; a `variantKey` sent beside it
 * must agree (fail closed, never pick one silently); a `variantKey` alone is the deprecated form.
 */
export function resolveVariantKey(item: VariantRef): ResolvedVariantKey {
  if (item.variantAttributes) {
    const computed = variantKey(item.variantAttributes);
    if (item.variantKey !== undefined && item.variantKey !== computed) {
      return { ok: false, given: item.variantKey, computed };
    }
    return { ok: true, variantKey: computed };
  }
  // The item schema guarantees one of the two is present.
  return { ok: true, variantKey: item.variantKey ?? "" };
}
