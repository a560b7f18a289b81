/**
 * A commerce client as a browser would hold it, pointed at a real test server: memory storage, an
 * event target standing in for `window` (other tabs), and a navigate that records where checkout went.
 */
import type { StorageLike } from "../src/index.ts";
import { createCommerce } from "../src/index.ts";

export function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

export function browserClient(apiUrl: string, storage = memoryStorage(), shopId = "cochlearfit") {
  const visited: string[] = [];
  const events = new EventTarget();
  const commerce = createCommerce({
    apiUrl,
    shopId,
    storage,
    events,
    navigate: (url) => void visited.push(url),
    retry: { limit: 2, maxDelayMs: 3000 },
  });
  return { commerce, storage, events, visited };
}

export const blackM = { sku: "cf-headband-classic", attributes: { color: "black", size: "m" } };
export const navyS = { sku: "cf-headband-classic", attributes: { color: "navy", size: "s" } };
export const roseL = { sku: "cf-headband-classic", attributes: { color: "rose", size: "l" } };

/** What a shopper does on the hosted page: press a button; returns where Stripe sends them back. */
export async function payOnHostedPage(url: string, outcome: "paid" | "async_succeeds" | "async_fails" = "paid") {
  const page = await fetch(url);
  if (!page.ok) throw new Error(`hosted page answered ${page.status}`);
  const response = await fetch(url, {
    method: "POST",
    body: new URLSearchParams({ outcome }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
  const location = response.headers.get("location");
  if (response.status !== 303 || !location) throw new Error(`hosted page answered ${response.status}`);
  return new URL(location);
}
