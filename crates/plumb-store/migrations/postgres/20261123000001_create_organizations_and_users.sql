-- Organizations (tenants) and the people who sign in to them.
--
-- Conventions for every table in this tree, and how they differ from the SQLite tree (same file
-- names, same tables and columns): ids are UUIDv7 in hyphenated lower-case text with the "C"
-- collation, so text order is creation order whatever the database's locale (keyset paging
-- compares ids); times are `timestamptz` (microseconds, like SQLite's fixed-width UTC text);
-- flags are `boolean` (SQLite: integer 0/1); JSON is `text` as in SQLite (nothing queries
-- inside it, HOUSE-STYLE §3). Every migration is expand/contract: several nodes of two adjacent
-- versions share one database (CONTRIBUTING.md).

create table organizations (
    id text collate "C" primary key,
    name text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table users (
    id text collate "C" primary key,
    organization_id text collate "C" not null references organizations (id),
    -- Normalised (lower-case) by plumb-core; unique across the installation, since sign-in
    -- starts from the email alone.
    email text not null,
    -- Display name.
    name text not null,
    role text not null check (role in ('admin', 'technician')),
    -- JSON array of snake_case permission names, e.g. '["settings"]'.
    permissions text not null default '[]',
    -- True refuses sign-in; disabling also deletes the user's sessions.
    disabled boolean not null default false,
    -- Argon2id PHC string; null until the user sets a password through a one-time link.
    password_hash text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- The store maps this name to the `users.email` conflict.
create unique index users_email_key on users (email);
-- Tenancy: per-organization lookups, and the target of the composite foreign keys that keep a
-- reference to a user inside the same organization.
alter table users add constraint users_organization_id_id_key unique (organization_id, id);
