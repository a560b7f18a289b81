-- Stripe webhook events already processed: the event's id and every effect it had commit in one
-- transaction, so a duplicate delivery (on any instance, at any time) finds its id and does nothing.
create table webhook_events (
  event_id text primary key,
  shop_id text not null references shops (id),
  type text not null,
  received_at timestamptz not null default now()
);

-- Late payments and amount mismatches are recorded, never lost: the order says why it needs a look.
alter table orders add column review_reason text;
