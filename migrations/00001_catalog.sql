-- Shops, their catalog and their stock. Forward-only: never edit an applied migration, add a new one.
-- Holds, carts, orders and webhook events come in later migrations; the keys here are shaped for them:
-- every row is scoped by shop_id, and a variant is (shop_id, sku, variant_key) everywhere.

create table shops (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text not null,
  currency text not null check (currency ~ '^[a-z]{3}$'),
  mode text not null check (mode in ('sale', 'rental')),
  default_locale text not null default 'en',
  -- Browser origins allowed by CORS and as checkout redirect targets.
  allowed_origins text[] not null default '{}',
  -- Where the storefront lives: default success and cancel URLs are built from it.
  site_url text not null,
  -- D03: fail closed (503) in production when the central inventory is unreachable.
  requires_central_inventory boolean not null default false,
  -- D05: a shop may carry its own Stripe account; null means the platform's.
  stripe_secret_key text,
  stripe_webhook_secret text,
  created_at timestamptz not null default now()
);

create table products (
  shop_id text not null references shops (id),
  sku text not null,
  slug text not null,
  position integer not null default 0,
  -- Localized copy: { "en": "...", "de": "..." }.
  title jsonb not null,
  description jsonb not null,
  primary key (shop_id, sku),
  unique (shop_id, slug)
);

create table variants (
  shop_id text not null,
  sku text not null,
  -- variantKey(attributes) from contracts: names sorted, name:value joined with '|'.
  variant_key text not null,
  attributes jsonb not null,
  unit_amount integer not null check (unit_amount >= 0),
  deposit_amount integer not null default 0 check (deposit_amount >= 0),
  position integer not null default 0,
  primary key (shop_id, sku, variant_key),
  foreign key (shop_id, sku) references products (shop_id, sku)
);

-- Stock lives apart from the catalog row so the hot, frequently updated counters stay small.
-- available = on_hand - held. A hold moves units into held; a paid order moves them out of both
-- (on_hand - q, held - q, committed + q); a release moves them back out of held. The checks make
-- negative or over-held stock impossible whatever the code does.
create table stock (
  shop_id text not null,
  sku text not null,
  variant_key text not null,
  on_hand integer not null check (on_hand >= 0),
  held integer not null default 0 check (held >= 0),
  committed integer not null default 0 check (committed >= 0),
  updated_at timestamptz not null default now(),
  primary key (shop_id, sku, variant_key),
  foreign key (shop_id, sku, variant_key) references variants (shop_id, sku, variant_key),
  check (held <= on_hand)
);
