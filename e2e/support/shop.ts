/**
 * What the end-to-end tests read and switch outside the browser: the server's public API (the
 * verified session status, live availability) and the Stripe stand-in's control API (faults).
 */
import { expect } from "@playwright/test";
import { API_URL, STAND_IN_URL } from "./urls.ts";

const shopHeaders = { "x-shop-id": "cochlearfit" };

export interface Variant {
  sku: string;
  slug: string;
  color: string;
  size: string;
}

/** Units of a variant the shop can still sell, from the live catalog. */
export async function available(variant: Variant): Promise<number> {
  const response = await fetch(`${API_URL}/v1/catalog`, { headers: shopHeaders });
  const catalog = (await response.json()) as {
    products: Array<{ sku: string; variants: Array<{ attributes: Record<string, string>; available: number }> }>;
  };
  const found = catalog.products
    .find((p) => p.sku === variant.sku)
    ?.variants.find((v) => v.attributes.color === variant.color && v.attributes.size === variant.size);
  if (!found) throw new Error(`no variant ${variant.sku} ${variant.color}/${variant.size}`);
  return found.available;
}

/** The payment as the server has verified it. */
export async function sessionStatus(sessionId: string) {
  const response = await fetch(`${API_URL}/v1/checkout/sessions/${sessionId}`, { headers: shopHeaders });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    paymentStatus: string;
    status: string;
    orderId: string | null;
    amountTotal: number;
  };
}

/** Arms a stand-in fault for the next `count` calls of an operation (create, retrieve, expire, webhook). */
export async function armFault(fault: string, count: number, operation: string): Promise<void> {
  const response = await fetch(`${STAND_IN_URL}/__stand-in/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fault, count, operation }),
  });
  expect(response.status).toBe(200);
}

export async function clearFaults(): Promise<void> {
  await fetch(`${STAND_IN_URL}/__stand-in/faults`, { method: "DELETE" });
}
