-- Organizations (tenants) and the people who sign in to them.
--
-- Conventions for every table in this tree: ids are UUIDv7 in hyphenated lower-case text, so text
-- order is creation order; times are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (fixed width, so text
-- order is time order and `<`, `>` and max() compare times correctly); tables are `strict`.

create table organizations (
    id text primary key not null,
    name text not null,
    created_at text not null,
    updated_at text not null
) strict;

create table users (
    id text primary key not null,
    organization_id text not null references organizations (id),
    -- Normalised (lower-case) by plumb-core; unique across the installation, since sign-in
    -- starts from the email alone.
    email text not null,
    -- Display name.
    name text not null,
    role text not null check (role in ('admin', 'technician')),
    -- JSON array of snake_case permission names, e.g. '["settings"]'.
    permissions text not null default '[]',
    -- 1 refuses sign-in; disabling also deletes the user's sessions.
    disabled integer not null default 0 check (disabled in (0, 1)),
    -- Argon2id PHC string; null until the user sets a password through a one-time link.
    password_hash text,
    created_at text not null,
    updated_at text not null
) strict;

create unique index users_email_key on users (email);
-- Tenancy: per-organization lookups, and the target of the composite foreign keys that keep a
-- reference to a user inside the same organization.
create unique index users_organization_id_id_key on users (organization_id, id);
