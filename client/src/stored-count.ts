/**
 * `@commerce/client/count`: the number of items in the stored cart, for a page that shows a cart
 * badge but loads nothing else of the client (no zod, no ky, no stores: a few hundred bytes). It
 * reads the mirror the client keeps (storage.ts), so it is right after a reload and in other tabs.
 */
import { storageKey } from "./storage-key.ts";

export function storedItemCount(shopId: string, storage: Pick<Storage, "getItem"> = localStorage): number {
  try {
    const lines: unknown = JSON.parse(storage.getItem(storageKey(shopId)) ?? "{}").lines;
    if (!Array.isArray(lines)) return 0;
    return lines.reduce((sum: number, line) => {
      const quantity = line?.quantity;
      return Number.isInteger(quantity) && quantity > 0 ? sum + quantity : sum;
    }, 0);
  } catch {
    return 0;
  }
}

export { storageKey };
