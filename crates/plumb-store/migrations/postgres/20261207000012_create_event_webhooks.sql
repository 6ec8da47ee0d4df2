-- Outgoing event webhooks (docs/api.md, "Event webhooks"): the endpoints people configure, the
-- outbox of events (written in the transaction of the change that raised them, one row
-- whatever the number of endpoints), one delivery per event and endpoint (made by the delivery
-- worker), and the log of every attempt. Not the automations' incoming webhook
-- triggers (`webhooks`).

create table event_endpoints (
    id text collate "C" primary key,
    organization_id text collate "C" not null references organizations (id),
    url text not null,
    description text not null,
    -- The signing secret sealed under the master key, bound to the id; empty: no secret.
    sealed_secret bytea not null,
    -- The chosen event names as ',a,b,'; null: every event, including future ones.
    event_types text,
    -- Alert severities sent as ',critical,emergency,'; null: every severity.
    severities text,
    enabled boolean not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create index event_endpoints_organization_id_idx on event_endpoints (organization_id, id);

create table events (
    id text collate "C" primary key,
    organization_id text collate "C" not null references organizations (id),
    event_type text not null,
    -- An alert event's severity (for endpoint filters); null for other events.
    severity text,
    -- The exact body every attempt sends.
    body text not null,
    occurred_at timestamptz not null,
    -- Whether the worker has made its deliveries (one per subscribed endpoint) yet.
    fanned_out boolean not null
);

-- Events are pruned by id: ids are UUIDv7, ordered by the time they were recorded.
create index events_fan_out_idx on events (id) where not fanned_out;

create table event_deliveries (
    -- '<event id>/<endpoint id>'.
    id text collate "C" primary key,
    event_id text collate "C" not null references events (id) on delete cascade,
    endpoint_id text collate "C" not null references event_endpoints (id) on delete cascade,
    organization_id text collate "C" not null,
    -- pending, delivered or failed.
    state text not null,
    -- Attempts left; null: the configured schedule, not started.
    attempts_left bigint,
    -- When the next attempt is due; while a worker holds it, when its claim ends.
    due_at timestamptz not null,
    -- The claim of the worker attempting it; null when none.
    claim text,
    updated_at timestamptz not null
);

create index event_deliveries_due_idx on event_deliveries (due_at) where state = 'pending';
-- Deleting an endpoint (rare) scans its deliveries: one index fewer to write with every event.
-- (SQLite's deliveries are a `without rowid` table; PostgreSQL has no such choice.)
create index event_deliveries_event_id_idx on event_deliveries (event_id);

create table event_attempts (
    id text collate "C" primary key,
    delivery_id text collate "C" not null references event_deliveries (id) on delete cascade,
    endpoint_id text collate "C" not null,
    organization_id text collate "C" not null,
    attempted_at timestamptz not null,
    -- The response's status; null when there was none.
    status bigint,
    ok boolean not null,
    duration_ms bigint not null,
    -- The start of the response body, or the failure.
    response text not null
);

create index event_attempts_endpoint_id_idx on event_attempts (endpoint_id, id);
create index event_attempts_delivery_id_idx on event_attempts (delivery_id);

-- SHA-256 of what decides `device_updated` (plumb_core::events::device_digest); null until the
-- device is first written after this migration.
alter table devices add column event_digest bytea;
