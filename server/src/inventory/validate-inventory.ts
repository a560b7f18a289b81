/**
 * Whether a shop has stock for some items now. Unknown variants are refused from our own catalog
 * (400 UNKNOWN_ITEM); availability comes from the central inventory when one is configured, under
 * the D03 policy: unreachable + production + a shop that requires it → 503 INVENTORY_UNAVAILABLE;
 * otherwise local stock, logged and counted.
 */
import type { InventoryValidateResponse } from "@commerce/contracts/v1";
import type { Logger } from "pino";
import { ApiError } from "../http/api-error.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { Shop } from "../shops/shop-directory.ts";
import type { CentralInventory } from "./central-inventory.ts";
import { type LocalStock, variantId } from "./local-stock.ts";
import type { RequestedItem } from "./requested-items.ts";

export interface InventoryDeps {
  stock: LocalStock;
  metrics: Metrics;
  central: CentralInventory | undefined;
  production: boolean;
}

export async function validateInventory(
  deps: InventoryDeps,
  shop: Shop,
  items: readonly RequestedItem[],
  log: Logger,
): Promise<InventoryValidateResponse> {
  const local = await deps.stock.read(shop.id, items);
  const unknown = items.filter((i) => !local.has(variantId(i.sku, i.variantKey)));
  if (unknown.length > 0) {
    throw new ApiError(
      "UNKNOWN_ITEM",
      `the shop does not sell ${unknown.map((i) => `${i.sku} (${i.variantKey})`).join(", ")}`,
      {
        items: unknown.map(({ sku, variantKey }) => ({ sku, variantKey })),
      },
    );
  }

  const available = deps.central ? await centralOrFallback(deps, deps.central, shop, items, local, log) : local;
  const results = items.map(({ sku, variantKey, quantity }) => ({
    sku,
    variantKey,
    requested: quantity,
    available: available.get(variantId(sku, variantKey)) ?? 0,
  }));
  const short = results.filter((r) => r.available < r.requested);
  if (short.length > 0) {
    throw new ApiError("INSUFFICIENT_STOCK", "not enough stock for some items", { items: short });
  }
  return { ok: true, items: results };
}

async function centralOrFallback(
  deps: InventoryDeps,
  central: CentralInventory,
  shop: Shop,
  items: readonly RequestedItem[],
  local: Map<string, number>,
  log: Logger,
): Promise<Map<string, number>> {
  const answer = await central.check(shop.id, items);
  if (answer.ok) return answer.available;
  if (deps.production && shop.requiresCentralInventory) {
    log.error(
      { shop: shop.id, reason: answer.reason, detail: answer.detail },
      "central inventory unavailable; failing closed",
    );
    throw new ApiError("INVENTORY_UNAVAILABLE", "the inventory service is unavailable; try again shortly", undefined, {
      headers: { "retry-after": "5" },
    });
  }
  deps.metrics.centralInventoryFallback.inc({ shop: shop.id, reason: answer.reason });
  log.warn(
    { shop: shop.id, reason: answer.reason, detail: answer.detail },
    "central inventory unavailable; using local stock",
  );
  return local;
}
