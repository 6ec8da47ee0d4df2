-- Device groups (a tree per organization) and devices. Devices get more columns in a later
-- migration; this one holds only what grouping needs.
--
-- The composite foreign keys (organization_id, parent_id) and (organization_id, group_id) keep
-- every reference inside one organization: a device can never sit in another tenant's group.
-- They have no `on delete` action, because deleting a group moves its contents up explicitly.
-- Unlike SQLite (whose `defer_foreign_keys` pragma defers any key), PostgreSQL defers only keys
-- declared `deferrable`: these two are, so a group can be deleted before its contents move up.

create table groups (
    id text collate "C" primary key,
    organization_id text collate "C" not null references organizations (id),
    -- The parent group; null for a root group.
    parent_id text collate "C",
    -- Unique among siblings (see groups_sibling_name_key).
    name text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- The target of the composite foreign keys, and keyset pagination by id within an organization.
alter table groups add constraint groups_organization_id_id_key unique (organization_id, id);
alter table groups add constraint groups_parent_fkey foreign key (organization_id, parent_id)
    references groups (organization_id, id) deferrable initially immediate;
-- Children of a group (or the roots, with parent_id null) in id order.
create index groups_organization_id_parent_id_idx on groups (organization_id, parent_id, id);
-- Sibling names are unique; coalesce makes two roots with one name collide too, as nulls never
-- compare equal in a unique index (the same expression as in SQLite).
create unique index groups_sibling_name_key on groups (organization_id, coalesce(parent_id, ''), name);

create table devices (
    id text collate "C" primary key,
    organization_id text collate "C" not null references organizations (id),
    -- The group the device sits in; null for none.
    group_id text collate "C",
    -- As reported by the device; not unique.
    hostname text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    constraint devices_group_fkey foreign key (organization_id, group_id)
        references groups (organization_id, id) deferrable initially immediate
);

-- Keyset pagination by id within an organization.
alter table devices add constraint devices_organization_id_id_key unique (organization_id, id);
-- Devices of a group, for counts and for moving them when the group is deleted.
create index devices_organization_id_group_id_idx on devices (organization_id, group_id);
