-- Carts, coupons, holds and orders: the checkout correctness envelope.

-- A cart stores identifiers and quantities only; prices are hydrated from the catalog on every read.
create table carts (
  id text primary key,
  shop_id text not null references shops (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table cart_lines (
  cart_id text not null references carts (id) on delete cascade,
  sku text not null,
  variant_key text not null,
  quantity integer not null check (quantity between 1 and 99),
  added_at timestamptz not null default now(),
  primary key (cart_id, sku, variant_key)
);

-- Coupons are looked up and validated by the server; codes are stored upper-case.
create table coupons (
  shop_id text not null references shops (id),
  code text not null check (code = upper(code)),
  kind text not null check (kind in ('percent', 'amount')),
  -- percent: 1..100; amount: minor units of the shop's currency.
  value integer not null check (value > 0),
  active_from timestamptz,
  active_until timestamptz,
  primary key (shop_id, code),
  check (kind <> 'percent' or value <= 100)
);

-- A hold reserves stock for one checkout intent and carries everything needed to (re)create its one
-- Stripe session with exactly the same parameters.
create table holds (
  id uuid primary key,
  shop_id text not null references shops (id),
  -- The Idempotency-Key, or one derived from the normalized request.
  intent_key text not null,
  -- Fingerprint of the normalized request: the same key with another payload is refused.
  payload_hash text not null,
  status text not null check (status in ('active', 'committed', 'released', 'expired')),
  cart_id text,
  mode text not null check (mode in ('sale', 'rental')),
  rental_days integer not null default 0 check (rental_days >= 0),
  currency text not null,
  -- Priced lines: [{ sku, variantKey, quantity, unitAmount, depositAmount, lineTotal, title }].
  lines jsonb not null,
  coupon_code text,
  discount integer not null default 0 check (discount >= 0),
  amount_total integer not null check (amount_total >= 0),
  -- The Stripe create parameters, frozen (expires_at included) so every retry sends the same.
  stripe_params jsonb not null,
  stripe_idempotency_key text not null,
  stripe_session_id text,
  stripe_session_url text,
  -- When the Stripe session expires; the hold lives at least that long.
  session_expires_at timestamptz not null,
  expires_at timestamptz not null,
  end_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Invariant 2: at most one active hold per checkout intent. Races are resolved by this index.
create unique index holds_one_active_per_intent on holds (shop_id, intent_key) where status = 'active';
-- The reaper's scan touches active holds only, however long the history grows.
create index holds_active_by_expiry on holds (expires_at) where status = 'active';
create index holds_by_intent on holds (shop_id, intent_key, created_at desc);
create unique index holds_by_session on holds (stripe_session_id) where stripe_session_id is not null;

-- One order per paid checkout session.
create table orders (
  id uuid primary key,
  shop_id text not null references shops (id),
  hold_id uuid not null unique references holds (id),
  stripe_session_id text not null unique,
  status text not null check (status in ('paid', 'awaiting_payment', 'refunded', 'needs_review', 'cancelled')),
  currency text not null,
  amount_total integer not null check (amount_total >= 0),
  lines jsonb not null,
  cart_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
