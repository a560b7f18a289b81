/** Server-side coupon lookup: per shop, case-insensitive, inside its active window. */
import type { Sql } from "../db/database.ts";
import { ApiError } from "../http/api-error.ts";
import type { Coupon } from "./quote.ts";

export async function findCoupon(sql: Sql, shopId: string, code: string, now: Date): Promise<Coupon> {
  const normalized = code.toUpperCase();
  const [row] = await sql<{ code: string; kind: "percent" | "amount"; value: number }[]>`
    select code, kind, value from coupons
    where shop_id = ${shopId} and code = ${normalized}
      and (active_from is null or active_from <= ${now})
      and (active_until is null or active_until > ${now})`;
  if (!row) throw new ApiError("INVALID_COUPON", `the coupon ${code} is not valid`, { couponCode: code });
  return row;
}
