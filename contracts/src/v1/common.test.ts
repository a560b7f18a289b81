import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { itemSchema } from "./common.ts";

const valid = { sku: "cf-headband-classic", quantity: 2, variantAttributes: { color: "black", size: "m" } };

describe("itemSchema", () => {
  it("accepts an item named by variantAttributes", () => {
    expect(z.safeParse(itemSchema, valid).success).toBe(true);
  });

  it("accepts an item named by the deprecated variantKey alone", () => {
    expect(z.safeParse(itemSchema, { sku: valid.sku, quantity: 1, variantKey: "color:black|size:m" }).success).toBe(
      true,
    );
  });

  it("refuses an item that names no variant", () => {
    expect(z.safeParse(itemSchema, { sku: valid.sku, quantity: 1 }).success).toBe(false);
  });

  it.each([0, 100, 1.5, -1, "2"])("refuses the quantity %j (integers 1..99 only)", (quantity) => {
    expect(z.safeParse(itemSchema, { ...valid, quantity }).success).toBe(false);
  });

  it("refuses attribute values that would make variant keys ambiguous", () => {
    expect(z.safeParse(itemSchema, { ...valid, variantAttributes: { color: "black|size:l" } }).success).toBe(false);
  });
});
