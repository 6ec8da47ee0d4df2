-- Installation-wide settings that plumb generates once and keeps (the key pepper, for example).
-- Every node of a deployment reads them from here, so they agree on the pepper.

create table settings (
    -- e.g. 'api_key_pepper'; the natural key, as settings are only ever looked up by name.
    name text primary key,
    -- Opaque bytes; may be a secret, so never logged.
    value bytea not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
