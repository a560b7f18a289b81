-- Rate-limit counters (API.md, checkout rule 1; ARCHITECTURE D04): one row per (bucket, shop, client IP,
-- fixed one-minute window), bumped by a single upsert so every server instance shares the count.
-- Unlogged: a counter lost in a crash only forgives a minute of traffic, and skipping the WAL keeps the
-- hot upsert cheap. No foreign key to shops: the limiter only counts shops it has just looked up.
create unlogged table rate_limits (
  bucket text not null,
  shop_id text not null,
  client_ip text not null,
  window_start timestamptz not null,
  count integer not null check (count > 0),
  primary key (bucket, shop_id, client_ip, window_start)
);

-- Old windows are deleted now and then (see server/src/rate-limit/limiter.ts); this finds them.
create index rate_limits_by_window on rate_limits (window_start);
