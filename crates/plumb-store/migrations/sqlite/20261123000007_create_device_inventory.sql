-- What devices report and what people attach to them: the device's own columns, tags, custom
-- fields and their values, alerts and package updates.
--
-- Every child table carries organization_id and a composite foreign key to its parent's
-- (organization_id, id), so no row can point into another tenant. Rows that belong to a device
-- go with it (`on delete cascade`): deleting a device deletes its token, tags, values, alerts
-- and updates in one statement.

-- The device's token (a keyed digest, like API keys), what a person sets, and what the last
-- check-in reported. `inventory` is the whole report as JSON; the columns beside it are the
-- ones lists filter on.
alter table devices add column token_digest blob;
alter table devices add column nickname text;
alter table devices add column notes text;
alter table devices add column serial_number text;
alter table devices add column maintenance_mode integer not null default 0;
alter table devices add column online integer not null default 0;
alter table devices add column last_seen_at text;
-- When the device goes offline unless it checks in again: three intervals after the last one.
alter table devices add column offline_after text;
alter table devices add column public_ip_address text;
alter table devices add column inventory text;

create unique index devices_token_digest_key on devices (token_digest);
-- The exact-match filters of GET /v2/devices, each still in id order for keyset pages.
create index devices_organization_id_hostname_idx on devices (organization_id, hostname, id);
create index devices_organization_id_serial_number_idx on devices (organization_id, serial_number, id);
-- Devices of a group in id order (group_id filter and subtree pages).
create index devices_organization_id_group_id_id_idx on devices (organization_id, group_id, id);
-- The offline sweep looks only at online devices.
create index devices_offline_after_idx on devices (offline_after) where online = 1;

create table tags (
    id text primary key not null,
    organization_id text not null references organizations (id),
    -- Unique in the organization; any UTF-8, emoji included.
    name text not null,
    created_at text not null,
    updated_at text not null
) strict;

create unique index tags_organization_id_id_key on tags (organization_id, id);
create unique index tags_organization_id_name_key on tags (organization_id, name);

create table device_tags (
    id text primary key not null,
    organization_id text not null,
    device_id text not null,
    tag_id text not null,
    created_at text not null,
    foreign key (organization_id, device_id) references devices (organization_id, id) on delete cascade,
    foreign key (organization_id, tag_id) references tags (organization_id, id) on delete cascade
) strict;

create unique index device_tags_tag_id_device_id_key on device_tags (tag_id, device_id);
create index device_tags_device_id_idx on device_tags (device_id);

create table custom_fields (
    id text primary key not null,
    organization_id text not null references organizations (id),
    name text not null,
    admin_only integer not null default 0,
    created_at text not null,
    updated_at text not null
) strict;

create unique index custom_fields_organization_id_id_key on custom_fields (organization_id, id);
create unique index custom_fields_organization_id_name_key on custom_fields (organization_id, name);

-- One value per field and level: the organization (group_id and device_id null), a group, or a
-- device. A group's values go with the group; a device's with the device.
create table custom_field_values (
    id text primary key not null,
    organization_id text not null,
    custom_field_id text not null,
    group_id text,
    device_id text,
    value text,
    updated_at text not null,
    check (group_id is null or device_id is null),
    foreign key (organization_id, custom_field_id) references custom_fields (organization_id, id) on delete cascade,
    foreign key (organization_id, group_id) references groups (organization_id, id) on delete cascade,
    foreign key (organization_id, device_id) references devices (organization_id, id) on delete cascade
) strict;

create unique index custom_field_values_level_key
    on custom_field_values (custom_field_id, coalesce(group_id, ''), coalesce(device_id, ''));
create index custom_field_values_organization_id_group_id_idx on custom_field_values (organization_id, group_id);
create index custom_field_values_organization_id_device_id_idx on custom_field_values (organization_id, device_id);

create table alerts (
    id text primary key not null,
    organization_id text not null,
    device_id text not null,
    name text not null,
    description text not null,
    payload text,
    -- information, warning, critical or emergency.
    severity text not null,
    started_at text not null,
    resolved_at text,
    foreign key (organization_id, device_id) references devices (organization_id, id) on delete cascade
) strict;

create index alerts_organization_id_id_idx on alerts (organization_id, id);
create index alerts_organization_id_device_id_idx on alerts (organization_id, device_id, id);
-- At most one open offline alert per device, however many nodes sweep at once.
create unique index alerts_open_offline_key on alerts (device_id)
    where resolved_at is null and name = 'Device offline';

create table updates (
    id text primary key not null,
    organization_id text not null,
    device_id text not null,
    -- Package or patch name, unique per device; the id stays while the device reports it.
    name text not null,
    category text,
    version text,
    size integer,
    -- JSON array of strings.
    kb_ids text not null default '[]',
    is_available integer not null,
    error text,
    published_on text,
    installed_on text,
    created_at text not null,
    updated_at text not null,
    foreign key (organization_id, device_id) references devices (organization_id, id) on delete cascade
) strict;

create unique index updates_device_id_name_key on updates (device_id, name);
create index updates_organization_id_id_idx on updates (organization_id, id);
create index updates_organization_id_device_id_idx on updates (organization_id, device_id, id);
