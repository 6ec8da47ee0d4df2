-- Device groups (a tree per organization) and devices. Devices get more columns in a later
-- migration; this one holds only what grouping needs.
--
-- The composite foreign keys (organization_id, parent_id) and (organization_id, group_id) keep
-- every reference inside one organization: a device can never sit in another tenant's group.
-- They have no `on delete` action, because deleting a group moves its contents up explicitly.

create table groups (
    id text primary key not null,
    organization_id text not null references organizations (id),
    -- The parent group; null for a root group.
    parent_id text,
    -- Unique among siblings (see groups_sibling_name_key).
    name text not null,
    created_at text not null,
    updated_at text not null,
    foreign key (organization_id, parent_id) references groups (organization_id, id)
) strict;

-- The target of the composite foreign keys, and keyset pagination by id within an organization.
create unique index groups_organization_id_id_key on groups (organization_id, id);
-- Children of a group (or the roots, with parent_id null) in id order.
create index groups_organization_id_parent_id_idx on groups (organization_id, parent_id, id);
-- Sibling names are unique; coalesce makes two roots with one name collide too, as nulls never
-- compare equal in a unique index.
create unique index groups_sibling_name_key on groups (organization_id, coalesce(parent_id, ''), name);

create table devices (
    id text primary key not null,
    organization_id text not null references organizations (id),
    -- The group the device sits in; null for none.
    group_id text,
    -- As reported by the device; not unique.
    hostname text not null,
    created_at text not null,
    updated_at text not null,
    foreign key (organization_id, group_id) references groups (organization_id, id)
) strict;

-- Keyset pagination by id within an organization.
create unique index devices_organization_id_id_key on devices (organization_id, id);
-- Devices of a group, for counts and for moving them when the group is deleted.
create index devices_organization_id_group_id_idx on devices (organization_id, group_id);
