-- API keys for `/v2`. The plain key is never stored: only its keyed digest, its last four
-- characters and (unless in hash-only mode) a copy sealed under the master key.

create table api_keys (
    -- Stays the same when the key value is regenerated.
    id text primary key not null,
    organization_id text not null references organizations (id),
    -- What the key is for; searched case-insensitively.
    description text not null,
    access text not null check (access in ('read_write', 'read_only')),
    -- HMAC-SHA256(pepper, key) (32 bytes): the lookup on every authenticated request.
    key_digest blob not null,
    -- The last four characters of the key, to show the masked form.
    key_hint text not null,
    -- AES-256-GCM copy under the master key; null in hash-only mode and once the key is deleted.
    key_sealed blob,
    -- The user who created the key (same organization, see the foreign key below).
    created_by text not null,
    created_at text not null,
    -- Last change of description, access or value (not of usage).
    updated_at text not null,
    -- Usage is written behind from memory, so these lag requests by a few seconds.
    last_used_at text,
    last_used_ip text,
    last_used_user_agent text,
    -- Requests answered below 400.
    success_count integer not null default 0,
    -- Requests answered 400 or above.
    failure_count integer not null default 0,
    -- Revocation time. The row stays, so its digest can never be issued again and the activity
    -- log keeps something to point at; every read filters on `deleted_at is null`.
    deleted_at text,
    foreign key (organization_id, created_by) references users (organization_id, id)
) strict;

-- Unique across the installation and across deleted keys.
create unique index api_keys_key_digest_key on api_keys (key_digest);
-- Listing: newest first within an organization.
create index api_keys_organization_id_created_at_idx on api_keys (organization_id, created_at, id);
