/** The build-time view of a seed shop: what the static site needs, in both languages. */
import { variantKey } from "@commerce/contracts/v1";
import { seedShops } from "../server/src/db/seed-data.ts";

export function seedCatalogForSite(shopId: string) {
  const shop = seedShops.find((s) => s.id === shopId);
  if (!shop) throw new Error(`no seed shop ${shopId}`);
  return {
    shopId: shop.id,
    currency: shop.currency,
    products: shop.products.map((product) => ({
      sku: product.sku,
      slug: product.slug,
      title: product.title,
      description: product.description,
      variants: product.variants.map((variant) => ({
        variantKey: variantKey(variant.attributes),
        attributes: variant.attributes,
        unitAmount: variant.unitAmount,
        available: variant.stock,
      })),
    })),
  };
}
