import { describe, expect, it } from "vitest";
import { quantityOf, unpricedLines, withQuantity } from "./cart-lines.ts";

const black = { sku: "cf", attributes: { size: "m", color: "black" } };
const navy = { sku: "cf", attributes: { color: "navy", size: "m" } };

describe("withQuantity", () => {
  it("adds a new variant at the end, sets an existing one in place, and removes at 0", () => {
    const two = withQuantity(withQuantity([], black, 1), navy, 2);
    expect(withQuantity(two, black, 5)).toEqual([
      { ...black, quantity: 5 },
      { ...navy, quantity: 2 },
    ]);
    expect(withQuantity(two, black, 0)).toEqual([{ ...navy, quantity: 2 }]);
  });

  it("tells variants of one sku apart by their attributes, whatever order the attributes come in", () => {
    const lines = withQuantity([], black, 1);
    const same = { sku: "cf", attributes: { color: "black", size: "m" } };
    expect(withQuantity(lines, same, 3)).toHaveLength(1);
    expect(quantityOf(lines, same)).toBe(1);
    expect(quantityOf(lines, navy)).toBe(0);
  });
});

it("unpriced lines carry their variant key and no price", () => {
  expect(unpricedLines([{ ...black, quantity: 2 }])).toEqual([
    { ...black, quantity: 2, variantKey: "color:black|size:m" },
  ]);
});
