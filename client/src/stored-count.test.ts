import { describe, expect, it } from "vitest";
import { memoryStorage } from "../test/support.ts";
import { storageKey, storedItemCount } from "./stored-count.ts";

describe("storedItemCount", () => {
  it("adds up the stored lines' quantities for that shop", () => {
    const lines = [
      { sku: "a", attributes: {}, quantity: 2 },
      { sku: "b", attributes: {}, quantity: 3 },
    ];
    const storage = memoryStorage({ [storageKey("cochlearfit")]: JSON.stringify({ v: 1, lines }) });
    expect(storedItemCount("cochlearfit", storage)).toBe(5);
    expect(storedItemCount("another-shop", storage)).toBe(0);
  });

  it("counts nothing it cannot trust: no cart, bad JSON, odd quantities", () => {
    const key = storageKey("cochlearfit");
    expect(storedItemCount("cochlearfit", memoryStorage())).toBe(0);
    expect(storedItemCount("cochlearfit", memoryStorage({ [key]: "{nope" }))).toBe(0);
    const odd = [{ quantity: -1 }, { quantity: 1.5 }, { quantity: "4" }, null, { quantity: 1 }];
    expect(storedItemCount("cochlearfit", memoryStorage({ [key]: JSON.stringify({ lines: odd }) }))).toBe(1);
  });
});
