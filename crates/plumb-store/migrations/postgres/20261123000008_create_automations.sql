-- Enrollment and automation: install keys, automations, their webhook triggers, and runs.
--
-- Install keys and automations point at a group without an `on delete` action: deleting a
-- group moves them up to its parent, like its devices. Runs outlive their automation and their
-- device (both set to null), so a run id handed to an integration always resolves.
-- The group keys are deferrable, like those of devices, so a group can be deleted before its
-- contents move up.

create table install_keys (
    id text collate "C" primary key,
    organization_id text collate "C" not null references organizations (id),
    -- The group new devices join; null for none.
    group_id text collate "C",
    -- Keyed digest of the key; the key itself is shown once and never stored.
    key_digest bytea not null,
    key_hint text not null,
    created_at timestamptz not null,
    revoked_at timestamptz,
    constraint install_keys_group_fkey foreign key (organization_id, group_id)
        references groups (organization_id, id) deferrable initially immediate
);

create unique index install_keys_key_digest_key on install_keys (key_digest);
create index install_keys_organization_id_idx on install_keys (organization_id, id);

create table automations (
    id text collate "C" primary key,
    organization_id text collate "C" not null references organizations (id),
    name text not null,
    description text,
    -- Target group (its whole subtree); null targets every device.
    group_id text collate "C",
    -- JSON array of steps: name, shell, script, timeout_seconds.
    steps text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    constraint automations_group_fkey foreign key (organization_id, group_id)
        references groups (organization_id, id) deferrable initially immediate
);

create unique index automations_organization_id_id_key on automations (organization_id, id);
create unique index automations_organization_id_name_key on automations (organization_id, name);

create table automation_webhooks (
    id text collate "C" primary key,
    organization_id text collate "C" not null,
    automation_id text collate "C" not null,
    -- Keyed digest of the URL token (the lookup) and a copy sealed under the master key (to
    -- show the URL again).
    token_digest bytea not null,
    token_sealed bytea not null,
    -- Keyed digest of the required Authorization value, if one is required.
    authorization_digest bytea,
    created_at timestamptz not null,
    foreign key (organization_id, automation_id) references automations (organization_id, id) on delete cascade
);

create unique index automation_webhooks_token_digest_key on automation_webhooks (token_digest);
create index automation_webhooks_organization_id_idx on automation_webhooks (organization_id, id);

create table automation_runs (
    id text collate "C" primary key,
    organization_id text collate "C" not null references organizations (id),
    automation_id text collate "C" references automations (id) on delete set null,
    automation_name text not null,
    device_id text collate "C" references devices (id) on delete set null,
    device_hostname text,
    -- pending, running, success, warning, error or canceled.
    status text not null,
    -- JSON: the steps copied from the automation, and each executed step's outcome.
    steps text not null,
    results text not null default '[]',
    created_at timestamptz not null,
    started_at timestamptz,
    ended_at timestamptz
);

create index automation_runs_organization_id_idx on automation_runs (organization_id, id);
-- A check-in claims its device's pending runs.
create index automation_runs_device_id_status_idx on automation_runs (device_id, status, id);
