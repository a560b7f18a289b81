/** Helpers for checkout tests: requests, and reading holds and stock straight from the database. */
import type { Sql } from "../../src/db/database.ts";
import type { TestServer } from "../harness.ts";

export const classic = "cf-headband-classic";
export const blackM = { color: "black", size: "m" } as const;
export const blackMKey = "color:black|size:m";

export interface CheckoutCall {
  body: unknown;
  shop?: string;
  key?: string;
}

export async function checkout(server: Pick<TestServer, "url">, call: CheckoutCall) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shop-id": call.shop ?? "cochlearfit",
  };
  if (call.key) headers["idempotency-key"] = call.key;
  const response = await fetch(`${server.url}/v1/checkout/sessions`, {
    method: "POST",
    headers,
    body: JSON.stringify(call.body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test code reads whichever body came back
  const body = (await response.json()) as any;
  return { status: response.status, body, headers: response.headers };
}

export const lines = (quantity: number, attributes: Record<string, string> = blackM, sku = classic) => [
  { sku, quantity, variantAttributes: attributes },
];

export async function stockOf(sql: Sql, variantKey = blackMKey, sku = classic, shop = "cochlearfit") {
  const [row] = await sql<{ on_hand: number; held: number; committed: number }[]>`
    select on_hand, held, committed from stock where shop_id = ${shop} and sku = ${sku} and variant_key = ${variantKey}`;
  if (!row) throw new Error(`no stock row for ${sku} ${variantKey}`);
  return row;
}

export async function setOnHand(sql: Sql, onHand: number, variantKey = blackMKey, sku = classic) {
  await sql`update stock set on_hand = ${onHand}, held = 0, committed = 0 where shop_id = 'cochlearfit' and sku = ${sku}
    and variant_key = ${variantKey}`;
}

export async function holdStatus(sql: Sql, holdId: string) {
  const [row] = await sql<{ status: string }[]>`select status from holds where id = ${holdId}`;
  return row?.status;
}

/** Releases every active hold of the shop so each test starts from free stock. */
export async function resetHolds(sql: Sql) {
  await sql`update holds set status = 'released', end_reason = 'test reset' where status = 'active'`;
  await sql`update stock set held = 0`;
}
