-- What an API key's owner can limit (expiry, disabling, allowed addresses, a rate limit), the
-- grace period of a regenerated key's old value, the organization's default rate limit, and
-- the request log per key. Expand only: older binaries ignore the new columns and table.

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

-- The default requests per minute of every key without its own limit; null: no limit.
alter table organizations add column api_key_rate_limit_per_minute bigint
    check (api_key_rate_limit_per_minute is null or api_key_rate_limit_per_minute > 0);

-- Every authenticated `/v2` request, written behind in batches and pruned after the retention
-- (`[keys] request_log_retention_days`). No foreign keys: rows arrive in batches after the
-- fact, and a deleted key's rows age out like any other.
create table api_key_requests (
    -- UUIDv7, so id order is time order: listed and paged by id.
    id text collate "C" primary key,
    organization_id text collate "C" not null,
    api_key_id text collate "C" not null,
    at timestamptz not null,
    method text not null,
    -- The route pattern (`/v2/groups/{id}`) and the path asked for, without the query.
    route text not null,
    path text not null,
    status bigint not null,
    duration_us bigint not null,
    client_ip text,
    user_agent text
);

-- A key's log, newest first, and its count over the last 24 hours.
create index api_key_requests_api_key_id_id_idx on api_key_requests (api_key_id, id);
create index api_key_requests_api_key_id_at_idx on api_key_requests (api_key_id, at);
-- Pruning by age.
create index api_key_requests_at_idx on api_key_requests (at);
