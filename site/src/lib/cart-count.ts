/**
 * The header's item count without the commerce client: read from the stored cart mirror
 * (`commerce:cart:v1:<shop>`, see client/src/storage.ts), updated by other tabs' storage events and
 * by the client on this page (a `cart:count` event).
 */
const KEY = "commerce:cart:v1:cochlearfit";
const EVENT = "cart:count";

export function storedCount(): number {
  try {
    const cart: unknown = JSON.parse(localStorage.getItem(KEY) ?? "null");
    const lines = (cart as { lines?: unknown } | null)?.lines;
    if (!Array.isArray(lines)) return 0;
    return lines.reduce((sum: number, line: { quantity?: unknown }) => {
      const quantity = Number(line?.quantity);
      return Number.isInteger(quantity) && quantity > 0 ? sum + quantity : sum;
    }, 0);
  } catch {
    return 0;
  }
}

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
