-- Installation-wide settings that plumb generates once and keeps (the key pepper, for example).

create table settings (
    -- e.g. 'api_key_pepper'; the natural key, as settings are only ever looked up by name.
    name text primary key not null,
    -- Opaque bytes; may be a secret, so never logged.
    value blob not null,
    created_at text not null,
    updated_at text not null
) strict;
