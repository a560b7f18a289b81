import { describe, expect, it } from "vitest";
import { memoryStorage } from "../test/support.ts";
import { emptyCart, readStoredCart, storageKey, takeLegacyLines, writeStoredCart } from "./storage.ts";

const key = storageKey("cochlearfit");

describe("the versioned cart record", () => {
  it("round-trips through storage under a versioned, per-shop key", () => {
    const storage = memoryStorage();
    const cart = { ...emptyCart(), cartId: "cart_x", lines: [{ sku: "a", attributes: { size: "m" }, quantity: 2 }] };
    writeStoredCart(storage, key, cart);
    expect(key).toBe("commerce:cart:v1:cochlearfit");
    expect(readStoredCart(storage, key)).toEqual(cart);
  });

  it("drops lines that are not identifiers and a sane quantity, and anything that smuggles a price", () => {
    const storage = memoryStorage({
      [key]: JSON.stringify({
        v: 1,
        cartId: "cart_x",
        lines: [
          { sku: "a", attributes: { size: "m" }, quantity: 2, unitAmount: 1 },
          { sku: "b", attributes: { size: "m" }, quantity: 0 },
          { sku: "c", attributes: { size: "m" }, quantity: 1.5 },
          { sku: 7, attributes: {}, quantity: 1 },
          "junk",
        ],
        completed: ["cs_1"],
      }),
    });
    expect(readStoredCart(storage, key)).toEqual({
      v: 1,
      cartId: "cart_x",
      lines: [{ sku: "a", attributes: { size: "m" }, quantity: 2 }],
      completed: ["cs_1"],
    });
  });

  it("reads nothing from a record of another version or from text that is not JSON", () => {
    expect(readStoredCart(memoryStorage({ [key]: JSON.stringify({ v: 2, lines: [] }) }), key)).toBeUndefined();
    expect(readStoredCart(memoryStorage({ [key]: "{not json" }), key)).toBeUndefined();
  });

  it("a full or forbidden storage does not break the page", () => {
    const storage = {
      ...memoryStorage(),
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => writeStoredCart(storage, key, emptyCart())).not.toThrow();
  });
});

describe("legacy carts", () => {
  it("keeps sku, size, colour and quantity; drops price and name; removes the old record", () => {
    const storage = memoryStorage({
      cart: JSON.stringify([
        { sku: "cf-headband-classic", name: "Classic", price: 29.9, size: " M ", color: "Black", quantity: 2 },
      ]),
    });
    expect(takeLegacyLines(storage, "cart")).toEqual([
      { sku: "cf-headband-classic", attributes: { color: "black", size: "m" }, quantity: 2 },
    ]);
    expect(storage.getItem("cart")).toBeNull();
  });

  it("reads the other shapes the first storefronts wrote: { items }, { lines }, id or productId, qty, colour", () => {
    const lines = [
      { id: "a", qty: 3, colour: "Navy", size: "s", price: 1 },
      { productId: "b", size: "l", price: 1 },
    ];
    for (const shape of [{ items: lines }, { lines }]) {
      const storage = memoryStorage({ cart: JSON.stringify(shape) });
      expect(takeLegacyLines(storage, "cart")).toEqual([
        { sku: "a", attributes: { color: "navy", size: "s" }, quantity: 3 },
        { sku: "b", attributes: { size: "l" }, quantity: 1 },
      ]);
    }
  });

  it("drops what it cannot read rather than guessing, and caps quantities at 99", () => {
    const storage = memoryStorage({
      cart: JSON.stringify([
        { name: "no sku", price: 1 },
        { sku: "a", quantity: -1 },
        { sku: "b", quantity: 500 },
      ]),
    });
    expect(takeLegacyLines(storage, "cart")).toEqual([{ sku: "b", attributes: {}, quantity: 99 }]);
  });

  it("leaves a versioned record alone and finds nothing where nothing was kept", () => {
    expect(takeLegacyLines(memoryStorage({ cart: JSON.stringify({ v: 3, lines: [{ sku: "a" }] }) }), "cart")).toEqual(
      [],
    );
    expect(takeLegacyLines(memoryStorage(), "cart")).toEqual([]);
  });
});
