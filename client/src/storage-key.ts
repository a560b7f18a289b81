/** Where the browser keeps a shop's cart: one versioned key per shop (the format: storage.ts). */
export const storageKey = (shopId: string) => `commerce:cart:v1:${shopId}`;
