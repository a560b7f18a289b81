-- A ledger of every unit that enters or leaves stock other than by a sale, so "on hand + committed =
-- everything ever received" can be checked (server/src/invariants/). Checkout never writes here: a hold
-- moves units within a row (on_hand - held), a sale moves them from on_hand to committed, and neither
-- changes on_hand + committed. Only receipts and corrections do, and they go through this table.
--
-- - A new stock row records its opening quantity as an 'initial' movement (trigger below), so seeding
--   and any operator insert are counted without the code having to remember.
-- - A restock or correction is one insert here ('restock' > 0, or an 'adjustment' of either sign); the
--   trigger applies it to the stock row in the same statement. The stock checks still refuse a
--   correction that would take on-hand below zero or below what is held.
-- - An update of stock.on_hand by any other path is what the invariant checker reports as a leak.

create table stock_movements (
  id bigserial primary key,
  shop_id text not null,
  sku text not null,
  variant_key text not null,
  quantity integer not null check (quantity <> 0 or kind = 'initial'),
  kind text not null check (kind in ('initial', 'restock', 'adjustment')),
  note text,
  created_at timestamptz not null default now(),
  foreign key (shop_id, sku, variant_key) references variants (shop_id, sku, variant_key),
  check (kind <> 'restock' or quantity > 0)
);
create index stock_movements_by_variant on stock_movements (shop_id, sku, variant_key);

-- Rows that exist already: what they hold now is the best record of what they received.
insert into stock_movements (shop_id, sku, variant_key, quantity, kind, note)
select shop_id, sku, variant_key, on_hand + committed, 'initial', 'recorded by migration 00005'
from stock;

create function stock_record_initial() returns trigger language plpgsql as $$
begin
  insert into stock_movements (shop_id, sku, variant_key, quantity, kind)
  values (new.shop_id, new.sku, new.variant_key, new.on_hand + new.committed, 'initial');
  return null;
end $$;

create trigger stock_initial_movement after insert on stock
  for each row execute function stock_record_initial();

create function stock_apply_movement() returns trigger language plpgsql as $$
begin
  update stock set on_hand = on_hand + new.quantity, updated_at = now()
  where shop_id = new.shop_id and sku = new.sku and variant_key = new.variant_key;
  if not found then
    raise exception 'no stock row for % % %', new.shop_id, new.sku, new.variant_key;
  end if;
  return null;
end $$;

create trigger stock_movement_applies after insert on stock_movements
  for each row when (new.kind <> 'initial') execute function stock_apply_movement();

-- Which object (checkout session, charge) an event was about: lets the invariant checker match a paid
-- order to the completion event that was processed for it. Written by the same insert as the event id.
alter table webhook_events add column object_id text;
create index webhook_events_by_object on webhook_events (object_id) where object_id is not null;
