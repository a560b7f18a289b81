/**
 * Every write to holds and the stock they reserve. Each function is one short transaction (or runs
 * inside the caller's), and the database's constraints make the invariants hold whatever races:
 * the partial unique index allows one active hold per intent, the stock checks forbid negative or
 * over-held stock, and every status change is conditional on the hold still being active.
 */
import { randomUUID } from "node:crypto";
import type { Sql, Tx } from "../db/database.ts";
import { ApiError } from "../http/api-error.ts";
import { type Hold, type HoldRow, toHold } from "./hold.ts";

export type NewHold = Omit<Hold, "status" | "stripeSessionId" | "stripeSessionUrl">;

export type HoldOutcome = { hold: Hold; created: boolean };

/** The hold that answers this intent now: the active one, or the committed one if it was paid. */
async function findIntentHold(tx: Sql | Tx, shopId: string, intentKey: string): Promise<Hold | undefined> {
  const [row] = await tx<HoldRow[]>`
    select * from holds
    where shop_id = ${shopId} and intent_key = ${intentKey} and status in ('active', 'committed')
    order by (status = 'committed') desc, created_at desc
    limit 1`;
  return row ? toHold(row) : undefined;
}

async function replayOrRefuse(tx: Sql | Tx, existing: Hold, payloadHash: string): Promise<HoldOutcome> {
  if (existing.payloadHash !== payloadHash) {
    throw new ApiError("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for a different checkout");
  }
  if (existing.status === "committed") {
    const [order] = await tx<{ id: string }[]>`select id from orders where hold_id = ${existing.id}`;
    throw new ApiError("ALREADY_COMPLETED", "this checkout has already been paid", { orderId: order?.id ?? null });
  }
  return { hold: existing, created: false };
}

/**
 * Takes a hold for an intent, or returns the one it already has. Stock is checked and moved into
 * `held` in the same transaction as the hold's insert, so it can never go negative; a request that
 * loses the race for the intent's unique index re-reads and returns the winner's hold.
 */
export async function acquireHold(sql: Sql, hold: NewHold): Promise<HoldOutcome> {
  const outcome = await sql.begin(async (tx): Promise<HoldOutcome | "lost-race"> => {
    const existing = await findIntentHold(tx, hold.shopId, hold.intentKey);
    if (existing) return replayOrRefuse(tx, existing, hold.payloadHash);

    const [inserted] = await tx<HoldRow[]>`
      insert into holds (id, shop_id, intent_key, payload_hash, status, cart_id, mode, rental_days, currency,
                         lines, coupon_code, discount, amount_total, stripe_params, stripe_idempotency_key,
                         session_expires_at, expires_at)
      values (${hold.id}, ${hold.shopId}, ${hold.intentKey}, ${hold.payloadHash}, 'active', ${hold.cartId},
              ${hold.mode}, ${hold.rentalDays}, ${hold.currency}, ${tx.json(hold.lines as never)}, ${hold.couponCode},
              ${hold.discount}, ${hold.amountTotal}, ${tx.json(hold.stripeParams as never)},
              ${hold.stripeIdempotencyKey}, ${hold.sessionExpiresAt}, ${hold.expiresAt})
      on conflict (shop_id, intent_key) where status = 'active' do nothing
      returning *`;
    // Another request for the same intent committed first (the insert waited for it): theirs wins.
    if (!inserted) return "lost-race";
    await reserveStock(tx, hold);
    return { hold: toHold(inserted), created: true };
  });
  if (outcome !== "lost-race") return outcome;
  const winner = await findIntentHold(sql, hold.shopId, hold.intentKey);
  if (!winner) throw new Error(`hold for intent ${hold.intentKey} vanished after losing the race`);
  return replayOrRefuse(sql, winner, hold.payloadHash);
}

/**
 * Moves the hold's quantities into `held`. Rows are locked in one fixed order so two multi-line
 * checkouts cannot deadlock; a line short of stock aborts the transaction with nothing held.
 */
async function reserveStock(tx: Tx, hold: NewHold): Promise<void> {
  const lines = [...hold.lines].sort((a, b) =>
    a.sku === b.sku ? (a.variantKey < b.variantKey ? -1 : 1) : a.sku < b.sku ? -1 : 1,
  );
  const rows = await tx<{ sku: string; variant_key: string; available: number }[]>`
    select s.sku, s.variant_key, s.on_hand - s.held as available
    from stock s
    join unnest(${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.variantKey)}::text[]) as w (sku, variant_key)
      on s.sku = w.sku and s.variant_key = w.variant_key
    where s.shop_id = ${hold.shopId}
    order by s.sku, s.variant_key
    for update of s`;
  const available = new Map(rows.map((r) => [`${r.sku}\u0000${r.variant_key}`, r.available]));
  const short = lines
    .map((l) => ({
      sku: l.sku,
      variantKey: l.variantKey,
      requested: l.quantity,
      available: Math.max(available.get(`${l.sku}\u0000${l.variantKey}`) ?? 0, 0),
    }))
    .filter((l) => l.available < l.requested);
  if (short.length > 0) throw new ApiError("INSUFFICIENT_STOCK", "not enough stock for some items", { items: short });
  await tx`
    update stock s set held = s.held + w.quantity, updated_at = now()
    from unnest(${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.variantKey)}::text[],
                ${lines.map((l) => l.quantity)}::int[]) as w (sku, variant_key, quantity)
    where s.shop_id = ${hold.shopId} and s.sku = w.sku and s.variant_key = w.variant_key`;
}

/** Runs `work` with the hold's row locked, so one instance at a time acts on its Stripe session. */
export async function withHoldLocked<T>(
  sql: Sql,
  holdId: string,
  work: (tx: Tx, hold: Hold) => Promise<T>,
): Promise<T> {
  return sql.begin(async (tx) => {
    const [row] = await tx<HoldRow[]>`select * from holds where id = ${holdId} for update`;
    if (!row) throw new Error(`hold ${holdId} does not exist`);
    return work(tx, toHold(row));
  }) as Promise<T>;
}

export async function recordSession(tx: Tx, holdId: string, session: { id: string; url: string | null }) {
  await tx`
    update holds set stripe_session_id = ${session.id}, stripe_session_url = ${session.url}, updated_at = now()
    where id = ${holdId} and stripe_session_id is null`;
}

/** Ends an active hold without a sale; its stock is available again at once. False if it was not active. */
export async function releaseHold(
  tx: Tx,
  hold: Hold,
  status: "released" | "expired",
  reason: string,
): Promise<boolean> {
  const ended = await tx`
    update holds set status = ${status}, end_reason = ${reason}, updated_at = now()
    where id = ${hold.id} and status = 'active'`;
  if (ended.count === 0) return false;
  await tx`
    update stock s set held = s.held - w.quantity, updated_at = now()
    from unnest(${hold.lines.map((l) => l.sku)}::text[], ${hold.lines.map((l) => l.variantKey)}::text[],
                ${hold.lines.map((l) => l.quantity)}::int[]) as w (sku, variant_key, quantity)
    where s.shop_id = ${hold.shopId} and s.sku = w.sku and s.variant_key = w.variant_key`;
  return true;
}

/**
 * A paid session: the hold's stock leaves on-hand for good, one order is recorded, and the server
 * cart it came from is emptied. Returns the order id; undefined if the hold was not active.
 */
export async function commitHold(tx: Tx, hold: Hold, sessionId: string): Promise<string | undefined> {
  const committed = await tx`
    update holds set status = 'committed', end_reason = 'paid', updated_at = now()
    where id = ${hold.id} and status = 'active'`;
  if (committed.count === 0) return undefined;
  await tx`
    update stock s set on_hand = s.on_hand - w.quantity, held = s.held - w.quantity,
                       committed = s.committed + w.quantity, updated_at = now()
    from unnest(${hold.lines.map((l) => l.sku)}::text[], ${hold.lines.map((l) => l.variantKey)}::text[],
                ${hold.lines.map((l) => l.quantity)}::int[]) as w (sku, variant_key, quantity)
    where s.shop_id = ${hold.shopId} and s.sku = w.sku and s.variant_key = w.variant_key`;
  const orderId = randomUUID();
  const [order] = await tx<{ id: string }[]>`
    insert into orders (id, shop_id, hold_id, stripe_session_id, status, currency, amount_total, lines, cart_id)
    values (${orderId}, ${hold.shopId}, ${hold.id}, ${sessionId}, 'paid', ${hold.currency}, ${hold.amountTotal},
            ${tx.json(hold.lines as never)}, ${hold.cartId})
    -- An order awaiting an asynchronous payment becomes paid; any other state is kept as it is.
    on conflict (hold_id) do update set
      status = case when orders.status = 'awaiting_payment' then 'paid' else orders.status end,
      updated_at = now()
    returning id`;
  if (hold.cartId) await tx`delete from cart_lines where cart_id = ${hold.cartId}`;
  return order?.id;
}
