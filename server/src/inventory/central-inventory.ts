/**
 * Client of a central inventory service (D03) that speaks our own `POST /v1/inventory/validate`
 * contract. It answers with availability, or says it could not get one: the caller applies the
 * fail-closed policy. A 200 or a 409 INSUFFICIENT_STOCK is an answer; anything else (no connection,
 * a timeout, a 5xx, a body that breaks the contract) counts as unreachable.
 */
import { errorEnvelopeSchema, inventoryValidateResponseSchema, stockShortfallSchema } from "@commerce/contracts/v1";
import * as z from "zod/mini";
import type { RequestedItem } from "./requested-items.ts";

export type CentralAnswer =
  | { ok: true; available: Map<string, number> }
  | { ok: false; reason: "unreachable" | "timeout" | "bad_status" | "bad_body"; detail: string };

export interface CentralInventory {
  check(shopId: string, items: readonly RequestedItem[]): Promise<CentralAnswer>;
}

const shortfallDetailsSchema = z.object({ items: z.array(stockShortfallSchema) });

export function createCentralInventory(options: {
  url: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): CentralInventory {
  const endpoint = new URL("/v1/inventory/validate", options.url);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 2_000;

  return {
    async check(shopId, items) {
      let response: Response;
      let body: unknown;
      try {
        response = await doFetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", "x-shop-id": shopId },
          body: JSON.stringify({
            items: items.map((i) => ({ sku: i.sku, variantKey: i.variantKey, quantity: i.quantity })),
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.json().catch(() => undefined);
      } catch (error) {
        const timedOut = error instanceof DOMException && error.name === "TimeoutError";
        return { ok: false, reason: timedOut ? "timeout" : "unreachable", detail: String(error) };
      }
      const key = (sku: string, variantKey: string) => `${sku}\u0000${variantKey}`;
      if (response.status === 200) {
        const parsed = inventoryValidateResponseSchema.safeParse(body);
        if (!parsed.success) return { ok: false, reason: "bad_body", detail: "200 without a valid body" };
        return { ok: true, available: new Map(parsed.data.items.map((i) => [key(i.sku, i.variantKey), i.available])) };
      }
      if (response.status === 409) {
        const envelope = errorEnvelopeSchema.safeParse(body);
        const details = shortfallDetailsSchema.safeParse(envelope.success ? envelope.data.error.details : undefined);
        if (!envelope.success || envelope.data.error.code !== "INSUFFICIENT_STOCK" || !details.success) {
          return { ok: false, reason: "bad_body", detail: "409 without an INSUFFICIENT_STOCK envelope" };
        }
        // Items the service did not list as short have at least what was asked for.
        const available = new Map(items.map((i) => [key(i.sku, i.variantKey), i.quantity]));
        for (const short of details.data.items) available.set(key(short.sku, short.variantKey), short.available);
        return { ok: true, available };
      }
      return { ok: false, reason: "bad_status", detail: `status ${response.status}` };
    },
  };
}
