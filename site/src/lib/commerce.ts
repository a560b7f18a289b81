/** The page's one commerce client: cart stores and actions, shared by every island on the page. */
import { createCommerce } from "@commerce/client";
import { publishCount } from "./cart-count.ts";

export const commerce = createCommerce({
  apiUrl: import.meta.env.PUBLIC_API_URL ?? "http://localhost:8787",
  shopId: "cochlearfit",
  legacyKeys: ["cochlearfit-cart", "cart"],
});

// The header's cart count is plain script (no client on pages without islands); tell it about changes.
if (typeof window !== "undefined") commerce.$count.subscribe(publishCount);
