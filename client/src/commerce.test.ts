/** The stores without a server: what a shopper sees before (or without) an answer. */
import { describe, expect, it } from "vitest";
import { memoryStorage } from "../test/support.ts";
import { createCommerce } from "./commerce.ts";
import { storageKey } from "./storage.ts";

const offline: typeof fetch = () => Promise.reject(new TypeError("fetch failed"));
const key = storageKey("cochlearfit");
const stored = (lines: unknown[], cartId: string | null = "cart_x") =>
  JSON.stringify({ v: 1, cartId, lines, completed: [] });
const black = { sku: "cf", attributes: { color: "black", size: "m" } };

function client(storage = memoryStorage(), events = new EventTarget()) {
  return createCommerce({
    apiUrl: "http://127.0.0.1:1",
    shopId: "cochlearfit",
    storage,
    events,
    fetch: offline,
    retry: { limit: 0 },
  });
}

describe("stores", () => {
  it("show the mirrored cart at once, unpriced until the server answers", () => {
    const commerce = client(memoryStorage({ [key]: stored([{ ...black, quantity: 3 }]) }));
    expect(commerce.$count.get()).toBe(3);
    expect(commerce.$subtotal.get()).toBeUndefined();
    expect(commerce.$cart.get()).toEqual({
      cartId: "cart_x",
      currency: null,
      hydrated: false,
      subtotal: undefined,
      lines: [{ ...black, quantity: 3, variantKey: "color:black|size:m" }],
    });
    expect(commerce.$status.get()).toEqual({ state: "idle" });
  });

  it("a legacy cart becomes the versioned record on first read", () => {
    const storage = memoryStorage({
      cart: JSON.stringify([{ sku: "cf", size: "m", color: "black", price: 1, quantity: 2 }]),
    });
    const commerce = client(storage);
    expect(commerce.$count.get()).toBe(2);
    expect(JSON.parse(storage.getItem(key) ?? "")).toEqual({
      v: 1,
      cartId: null,
      lines: [{ ...black, quantity: 2 }],
      completed: [],
    });
  });

  it("follow another tab's writes", () => {
    const storage = memoryStorage();
    const events = new EventTarget();
    const commerce = client(storage, events);
    storage.setItem(key, stored([{ ...black, quantity: 4 }], null));
    events.dispatchEvent(Object.assign(new Event("storage"), { key: "something-else" }));
    expect(commerce.$count.get()).toBe(0);
    events.dispatchEvent(Object.assign(new Event("storage"), { key }));
    expect(commerce.$count.get()).toBe(4);
  });

  it("an action that cannot reach the server is undone and reported as NETWORK_ERROR", async () => {
    const commerce = client();
    const states: string[] = [];
    commerce.$status.listen((status) => void states.push(status.state));
    await expect(commerce.addItem(black)).rejects.toMatchObject({ code: "NETWORK_ERROR", status: 0 });
    expect(commerce.$count.get()).toBe(0);
    expect(states).toEqual(["loading", "error"]);
  });
});
