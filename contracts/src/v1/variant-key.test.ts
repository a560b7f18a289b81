import { describe, expect, it } from "vitest";
import { resolveVariantKey, variantKey } from "./variant-key.ts";

describe("variantKey", () => {
  it("sorts attribute names and joins name:value pairs with |", () => {
    expect(variantKey({ size: "m", color: "black" })).toBe("color:black|size:m");
  });

  it("is the same whatever order the attributes come in", () => {
    expect(variantKey({ a: "1", c: "3", b: "2" })).toBe(variantKey({ c: "3", b: "2", a: "1" }));
  });

  it("is case-sensitive", () => {
    expect(variantKey({ color: "Black" })).not.toBe(variantKey({ color: "black" }));
  });

  it("is empty for a product without attributes", () => {
    expect(variantKey({})).toBe("");
  });
});

describe("resolveVariantKey", () => {
  it("computes the key from variantAttributes", () => {
    expect(resolveVariantKey({ variantAttributes: { size: "m", color: "black" } })).toEqual({
      ok: true,
      variantKey: "color:black|size:m",
    });
  });

  it("accepts a variantKey that agrees with the attributes", () => {
    const item = { variantAttributes: { size: "m", color: "black" }, variantKey: "color:black|size:m" };
    expect(resolveVariantKey(item)).toEqual({ ok: true, variantKey: "color:black|size:m" });
  });

  it("fails closed when the variantKey disagrees with the attributes", () => {
    const item = { variantAttributes: { size: "m", color: "black" }, variantKey: "color:navy|size:m" };
    expect(resolveVariantKey(item)).toEqual({ ok: false, given: "color:navy|size:m", computed: "color:black|size:m" });
  });

  it("still accepts the deprecated variantKey alone", () => {
    expect(resolveVariantKey({ variantKey: "color:black|size:m" })).toEqual({
      ok: true,
      variantKey: "color:black|size:m",
    });
  });
});
