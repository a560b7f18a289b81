/**
 * The invariant checker: reads a database and reports every place where money or stock is not what
 * the rules of ARCHITECTURE.md say it must be. Run after fault tests, after the soak, and on demand
 * against any database (`pnpm check:invariants`). It only reads; each rule is one query, and every
 * violation carries the rows that show it, so a failure can be investigated without re-running.
 *
 * Rules, per shop:
 * - `stock_negative`: no stock counter below zero, nothing held beyond what is on hand.
 * - `stock_ledger`: on hand + committed = everything received (the `stock_movements` ledger: the
 *   initial quantity plus restocks and adjustments). Sales move units between the two, nothing else may.
 * - `held_matches_holds`: the units a variant holds are exactly those its active holds reserve: every
 *   active hold has live stock behind it, and no unit is stuck held with no hold to release it.
 * - `one_active_hold_per_intent`: at most one active hold per checkout intent.
 * - `paid_order_hold`: every paid (or since refunded) order has a committed hold, and every
 *   committed hold has a paid order.
 * - `paid_order_event`: every paid order's session has exactly one processed `checkout.session.completed`.
 * - `one_order_per_session`: no two orders for one checkout session (or one hold).
 * - `hold_overdue`: no hold active past its expiry plus the reaper's grace (holds kept on purpose for
 *   a person to review, with a `needs_review` order, are not overdue).
 * - `paid_cart_not_empty`: a server cart with a paid order holds no line from before that payment.
 */
import type { Sql, Tx } from "../db/database.ts";

export type InvariantRule =
  | "stock_negative"
  | "stock_ledger"
  | "held_matches_holds"
  | "one_active_hold_per_intent"
  | "paid_order_hold"
  | "paid_order_event"
  | "one_order_per_session"
  | "hold_overdue"
  | "paid_cart_not_empty";

export interface Violation {
  rule: InvariantRule;
  shopId: string;
  message: string;
  rows: Record<string, unknown>[];
}

export interface CheckOptions {
  /** The time holds are judged against (the server's clock; tests pass their own). Default: now. */
  now?: Date;
  /**
   * How long past its expiry an active hold may stay before it counts as stuck: the reaper's interval
   * (15 s) plus the Stripe calls a sweep makes, with room. Default 120 s.
   */
  holdGraceMs?: number;
  /**
   * A paid order recorded by the status endpoint or the reaper may wait for its webhook (Stripe retries
   * for days). Orders younger than this are not yet required to have their event. Default 0: run the
   * checker once deliveries have settled, as the tests and the soak do.
   */
  webhookGraceMs?: number;
}

type Queryable = Sql | Tx;
type Row = Record<string, unknown> & { shop_id: string };

const DEFAULT_HOLD_GRACE_MS = 120_000;

/** Every violation in the database, grouped by rule and shop; empty when all invariants hold. */
export async function checkInvariants(sql: Queryable, options: CheckOptions = {}): Promise<Violation[]> {
  const now = options.now ?? new Date();
  const overdueBefore = new Date(now.getTime() - (options.holdGraceMs ?? DEFAULT_HOLD_GRACE_MS));
  const webhookGraceSeconds = (options.webhookGraceMs ?? 0) / 1000;
  const q = sql as Sql;
  const violations: Violation[] = [];
  const report = (rule: InvariantRule, message: string, rows: Row[]) => {
    const byShop = new Map<string, Row[]>();
    for (const row of rows) byShop.set(row.shop_id, [...(byShop.get(row.shop_id) ?? []), row]);
    for (const [shopId, shopRows] of byShop) violations.push({ rule, shopId, message, rows: shopRows });
  };

  report(
    "stock_negative",
    "a stock counter is negative, or more is held than is on hand",
    await q<Row[]>`
      select shop_id, sku, variant_key, on_hand, held, committed from stock
      where on_hand < 0 or held < 0 or committed < 0 or held > on_hand
      order by shop_id, sku, variant_key`,
  );

  report(
    "stock_ledger",
    "on hand + committed differs from the units received (initial stock, restocks, adjustments)",
    await q<Row[]>`
      select s.shop_id, s.sku, s.variant_key, s.on_hand, s.committed, coalesce(m.received, 0)::int as received
      from stock s
      left join (
        select shop_id, sku, variant_key, sum(quantity) as received from stock_movements
        group by shop_id, sku, variant_key
      ) m using (shop_id, sku, variant_key)
      where s.on_hand + s.committed <> coalesce(m.received, 0)
      order by s.shop_id, s.sku, s.variant_key`,
  );

  report(
    "held_matches_holds",
    "the units held differ from what the active holds reserve (a hold without stock, or a stuck unit)",
    await q<Row[]>`
      with reserved as (
        select h.shop_id, l ->> 'sku' as sku, l ->> 'variantKey' as variant_key,
               sum((l ->> 'quantity')::int)::int as reserved, array_agg(h.id order by h.created_at) as hold_ids
        from holds h cross join lateral jsonb_array_elements(h.lines) l
        where h.status = 'active'
        group by 1, 2, 3
      )
      select coalesce(s.shop_id, r.shop_id) as shop_id, coalesce(s.sku, r.sku) as sku,
             coalesce(s.variant_key, r.variant_key) as variant_key, s.held, coalesce(r.reserved, 0) as reserved,
             s.on_hand, r.hold_ids
      from stock s full join reserved r using (shop_id, sku, variant_key)
      where s.held is distinct from coalesce(r.reserved, 0)
      order by 1, 2, 3`,
  );

  report(
    "one_active_hold_per_intent",
    "a checkout intent has more than one active hold",
    await q<Row[]>`
      select shop_id, intent_key, array_agg(id order by created_at) as hold_ids
      from holds where status = 'active'
      group by shop_id, intent_key having count(*) > 1
      order by shop_id, intent_key`,
  );

  report(
    "paid_order_hold",
    "a paid order without a committed hold, or a committed hold without a paid order",
    await q<Row[]>`
      select o.shop_id, o.id as order_id, o.status as order_status, h.id as hold_id, h.status as hold_status
      from orders o left join holds h on h.id = o.hold_id
      where o.status in ('paid', 'refunded') and h.status is distinct from 'committed'
      union all
      select h.shop_id, o.id, o.status, h.id, h.status
      from holds h left join orders o on o.hold_id = h.id
      where h.status = 'committed' and o.status is distinct from 'paid' and o.status is distinct from 'refunded'
      order by 1, 2`,
  );

  report(
    "paid_order_event",
    "a paid order's session does not have exactly one processed checkout.session.completed event",
    await q<Row[]>`
      select o.shop_id, o.id as order_id, o.stripe_session_id, count(e.event_id)::int as completion_events,
             array_remove(array_agg(e.event_id), null) as event_ids
      from orders o
      left join webhook_events e on e.object_id = o.stripe_session_id and e.type = 'checkout.session.completed'
      where o.status in ('paid', 'refunded') and o.created_at <= now() - make_interval(secs => ${webhookGraceSeconds})
      group by o.shop_id, o.id, o.stripe_session_id
      having count(e.event_id) <> 1
      order by 1, 2`,
  );

  report(
    "one_order_per_session",
    "more than one order for one checkout session or one hold",
    await q<Row[]>`
      select shop_id, 'stripe_session_id' as key, stripe_session_id as value, array_agg(id) as order_ids
      from orders group by shop_id, stripe_session_id having count(*) > 1
      union all
      select shop_id, 'hold_id', hold_id::text, array_agg(id)
      from orders group by shop_id, hold_id having count(*) > 1
      order by 1, 3`,
  );

  report(
    "hold_overdue",
    "a hold is still active past its expiry plus the reaper's grace",
    await q<Row[]>`
      select h.shop_id, h.id as hold_id, h.intent_key, h.expires_at, h.stripe_session_id
      from holds h
      where h.status = 'active' and h.expires_at < ${overdueBefore}
        and not exists (select 1 from orders o where o.hold_id = h.id and o.status = 'needs_review')
      order by h.shop_id, h.expires_at`,
  );

  report(
    "paid_cart_not_empty",
    "a server cart still holds lines from before its order was paid",
    await q<Row[]>`
      select o.shop_id, o.cart_id, o.id as order_id, l.sku, l.variant_key, l.quantity, l.added_at,
             o.created_at as order_created_at
      from orders o join cart_lines l on l.cart_id = o.cart_id
      where o.status in ('paid', 'refunded') and l.added_at < o.created_at
      order by o.shop_id, o.cart_id, l.sku`,
  );

  return violations.sort((a, b) => a.shopId.localeCompare(b.shopId));
}

/** The violations as text for a terminal: one block per violation, its rows one per line. */
export function formatViolations(violations: readonly Violation[]): string {
  if (violations.length === 0) return "invariants: all hold";
  const blocks = violations.map((v) => {
    const rows = v.rows.map((row) => `    ${JSON.stringify(row)}`).join("\n");
    return `[${v.shopId}] ${v.rule}: ${v.message} (${v.rows.length} row${v.rows.length === 1 ? "" : "s"})\n${rows}`;
  });
  return `invariants: ${violations.length} violation${violations.length === 1 ? "" : "s"}\n${blocks.join("\n")}`;
}
