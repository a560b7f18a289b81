/**
 * The header's item count without the commerce client: `@commerce/client/count` reads the stored cart
 * (a few hundred bytes, so pages without islands stay free of the client), updated by other tabs'
 * storage events and by the client on this page (a `cart:count` event).
 */
import { storageKey, storedItemCount } from "@commerce/client/count";

const SHOP = "cochlearfit";
const KEY = storageKey(SHOP);
const EVENT = "cart:count";

const storedCount = () => storedItemCount(SHOP);

export function publishCount(count: number): void {
  window.dispatchEvent(new CustomEvent<number>(EVENT, { detail: count }));
}

export function watchCount(show: (count: number) => void): void {
  show(storedCount());
  window.addEventListener(EVENT, (event) => show((event as CustomEvent<number>).detail));
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) show(storedCount());
  });
}
