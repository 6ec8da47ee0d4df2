-- What an API key's owner can limit (expiry, disabling, allowed addresses, a rate limit), the
-- grace period of a regenerated key's old value, the organization's default rate limit, the
-- request log per key, and the key behind an activity entry. Expand only: older binaries
-- ignore the new columns and table.

-- After this time the key is refused like a deleted one; null: never expires.
alter table api_keys add column expires_at timestamptz;
-- A disabled key is refused like a deleted one until it is enabled again.
alter table api_keys add column disabled boolean not null default false;
-- JSON array of addresses and CIDR ranges the key may be used from; empty: anywhere.
alter table api_keys add column allowed_ips text not null default '[]';
-- Requests per minute; null: the organization's default.
alter table api_keys add column rate_limit_per_minute bigint
    check (rate_limit_per_minute is null or rate_limit_per_minute > 0);
-- The digest of the value a regeneration replaced, accepted until `previous_valid_until`.
alter table api_keys add column previous_digest bytea;
alter table api_keys add column previous_valid_until timestamptz;

-- The verification lookup also finds a value in its grace period.
create unique index api_keys_previous_digest_key on api_keys (previous_digest)
    where previous_digest is not null;

-- The API key behind a change made through `/v2`: its id, masked value and description at the
-- time (all three or none). No foreign key: the log outlives what it mentions.
alter table activity add column actor_api_key_id text;
alter table activity add column actor_api_key_masked text;
alter table activity add column actor_api_key_description text;

-- The default requests per minute of every key without its own limit; null: no limit.
alter table organizations add column api_key_rate_limit_per_minute bigint
    check (api_key_rate_limit_per_minute is null or api_key_rate_limit_per_minute > 0);

-- Every authenticated `/v2` request, written behind and pruned after the retention
-- (`[keys] request_log_retention_days`). One row holds one key's requests of one write (about a
-- second of them): a row per request cost more CPU than serving the request
-- (docs/performance.md). No foreign keys: rows arrive after the fact, and a deleted key's rows
-- age out like any other.
create table api_key_requests (
    -- UUIDv7 of the write, so id order is time order: listed and paged by id.
    id text collate "C" primary key,
    organization_id text collate "C" not null,
    api_key_id text collate "C" not null,
    -- The oldest and the newest request's time.
    first_at timestamptz not null,
    last_at timestamptz not null,
    -- How many requests `entries` holds.
    requests bigint not null,
    -- One bit per status class held (1 << (status / 100)), so a status filter skips rows.
    statuses bigint not null,
    -- The requests, oldest first: JSON written by plumb_core::request_log::codec.
    entries text not null
);

-- A key's log, newest first.
create index api_key_requests_api_key_id_id_idx on api_key_requests (api_key_id, id);
-- A key's count over the last 24 hours, from the index alone.
create index api_key_requests_api_key_id_last_at_idx
    on api_key_requests (api_key_id, last_at, requests);
-- Pruning by age.
create index api_key_requests_last_at_idx on api_key_requests (last_at);
