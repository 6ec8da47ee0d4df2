-- The activity log: who changed what, written in the same transaction as the change.

create table activity (
    -- UUIDv7, so id order is time order: the log is listed and paged by id.
    id text primary key not null,
    organization_id text not null references organizations (id),
    -- The acting user, if any. No foreign key: the log must outlive what it mentions.
    actor_id text,
    -- The actor's email at the time.
    actor_email text,
    -- What happened, e.g. 'api_key.created'.
    action text not null,
    -- Kind of object acted on, e.g. 'api_key'.
    target_type text not null,
    target_id text,
    -- JSON object with before/after values; never a secret.
    details text not null,
    -- Client address of the request.
    ip text,
    -- Append-only, so there is no updated_at.
    created_at text not null
) strict;

create index activity_organization_id_id_idx on activity (organization_id, id);
