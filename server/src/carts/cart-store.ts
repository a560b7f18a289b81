/**
 * Carts in the database: identifiers and quantities only, never a price. Every query names the shop
 * beside the cart id, so a cart of another shop is indistinguishable from one that does not exist.
 * Writes are one statement or one short transaction that locks the cart row first.
 */
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import type { Sql } from "../db/database.ts";
import type { RequestedItem } from "../inventory/requested-items.ts";

export const MAX_CART_LINES = 50;

/** Anything that runs a query: the pool or a transaction (checkout and webhooks read and empty carts in theirs). */
export type Queryable = postgres.ISql;

export interface StoredLine {
  sku: string;
  variantKey: string;
  quantity: number;
}

/** `cart_` and 18 random bytes in base64url: 144 bits, unguessable, and matching `cartIdSchema`. */
export function newCartId(): string {
  return `cart_${randomBytes(18).toString("base64url")}`;
}

export async function insertCart(sql: Sql, shopId: string, cartId: string, lines: readonly RequestedItem[]) {
  await sql.begin(async (tx) => {
    await tx`insert into carts (id, shop_id) values (${cartId}, ${shopId})`;
    if (lines.length === 0) return;
    await tx`
      insert into cart_lines (cart_id, sku, variant_key, quantity)
      select ${cartId}, w.sku, w.variant_key, w.quantity
      from unnest(${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.variantKey)}::text[],
                  ${lines.map((l) => l.quantity)}::int[]) as w (sku, variant_key, quantity)`;
  });
}

/** The cart's lines in a stable order, or undefined when the shop has no such cart. */
export async function readCartLines(sql: Queryable, shopId: string, cartId: string): Promise<StoredLine[] | undefined> {
  // One round trip: the left join yields one row with null columns for an empty cart, none for no cart.
  const rows = await sql<{ sku: string | null; variant_key: string | null; quantity: number | null }[]>`
    select l.sku, l.variant_key, l.quantity
    from carts c
    left join cart_lines l on l.cart_id = c.id
    where c.id = ${cartId} and c.shop_id = ${shopId}
    order by l.added_at, l.sku collate "C", l.variant_key collate "C"`;
  if (rows.length === 0) return undefined;
  return rows.flatMap((row) =>
    row.sku === null || row.variant_key === null || row.quantity === null
      ? []
      : [{ sku: row.sku, variantKey: row.variant_key, quantity: row.quantity }],
  );
}

export type SetLineOutcome = "set" | "no-cart" | "too-many-lines";

/** Sets one variant's quantity (0 deletes the line). The line limit is counted under the cart's row lock. */
export function setCartLine(sql: Sql, shopId: string, cartId: string, line: StoredLine): Promise<SetLineOutcome> {
  return sql.begin(async (tx): Promise<SetLineOutcome> => {
    const [cart] = await tx`select id from carts where id = ${cartId} and shop_id = ${shopId} for update`;
    if (!cart) return "no-cart";
    if (line.quantity === 0) {
      await tx`delete from cart_lines
        where cart_id = ${cartId} and sku = ${line.sku} and variant_key = ${line.variantKey}`;
    } else {
      const [others] = await tx<{ count: number }[]>`
        select count(*)::int as count from cart_lines
        where cart_id = ${cartId} and (sku, variant_key) <> (${line.sku}, ${line.variantKey})`;
      if ((others?.count ?? 0) >= MAX_CART_LINES) return "too-many-lines";
      await tx`
        insert into cart_lines (cart_id, sku, variant_key, quantity)
        values (${cartId}, ${line.sku}, ${line.variantKey}, ${line.quantity})
        on conflict (cart_id, sku, variant_key) do update set quantity = excluded.quantity`;
    }
    await tx`update carts set updated_at = now() where id = ${cartId}`;
    return "set";
  });
}

/** Deletes every line; the cart itself stays, empty. False when the shop has no such cart. */
export async function clearCartLines(sql: Queryable, shopId: string, cartId: string): Promise<boolean> {
  // Data-modifying CTEs run exactly once whether or not the outer query reads them.
  const rows = await sql`
    with cart as (
      update carts set updated_at = now() where id = ${cartId} and shop_id = ${shopId} returning id
    ), emptied as (
      delete from cart_lines where cart_id in (select id from cart)
    )
    select id from cart`;
  return rows.length > 0;
}
