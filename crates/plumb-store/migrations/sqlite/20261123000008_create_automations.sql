-- Enrollment and automation: install keys, automations, their webhook triggers, and runs.
--
-- Install keys and automations point at a group without an `on delete` action: deleting a
-- group moves them up to its parent, like its devices. Runs outlive their automation and their
-- device (both set to null), so a run id handed to an integration always resolves.

create table install_keys (
    id text primary key not null,
    organization_id text not null references organizations (id),
    -- The group new devices join; null for none.
    group_id text,
    -- Keyed digest of the key; the key itself is shown once and never stored.
    key_digest blob not null,
    key_hint text not null,
    created_at text not null,
    revoked_at text,
    foreign key (organization_id, group_id) references groups (organization_id, id)
) strict;

create unique index install_keys_key_digest_key on install_keys (key_digest);
create index install_keys_organization_id_idx on install_keys (organization_id, id);

create table automations (
    id text primary key not null,
    organization_id text not null references organizations (id),
    name text not null,
    description text,
    -- Target group (its whole subtree); null targets every device.
    group_id text,
    -- JSON array of steps: name, shell, script, timeout_seconds.
    steps text not null,
    created_at text not null,
    updated_at text not null,
    foreign key (organization_id, group_id) references groups (organization_id, id)
) strict;

create unique index automations_organization_id_id_key on automations (organization_id, id);
create unique index automations_organization_id_name_key on automations (organization_id, name);

create table automation_webhooks (
    id text primary key not null,
    organization_id text not null,
    automation_id text not null,
    -- Keyed digest of the URL token (the lookup) and a copy sealed under the master key (to
    -- show the URL again).
    token_digest blob not null,
    token_sealed blob not null,
    -- Keyed digest of the required Authorization value, if one is required.
    authorization_digest blob,
    created_at text not null,
    foreign key (organization_id, automation_id) references automations (organization_id, id) on delete cascade
) strict;

create unique index automation_webhooks_token_digest_key on automation_webhooks (token_digest);
create index automation_webhooks_organization_id_idx on automation_webhooks (organization_id, id);

create table automation_runs (
    id text primary key not null,
    organization_id text not null references organizations (id),
    automation_id text references automations (id) on delete set null,
    automation_name text not null,
    device_id text references devices (id) on delete set null,
    device_hostname text,
    -- pending, running, success, warning, error or canceled.
    status text not null,
    -- JSON: the steps copied from the automation, and each executed step's outcome.
    steps text not null,
    results text not null default '[]',
    created_at text not null,
    started_at text,
    ended_at text
) strict;

create index automation_runs_organization_id_idx on automation_runs (organization_id, id);
-- A check-in claims its device's pending runs.
create index automation_runs_device_id_status_idx on automation_runs (device_id, status, id);
