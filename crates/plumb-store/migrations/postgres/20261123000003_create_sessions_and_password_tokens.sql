-- Signed-in sessions and one-time password links.
--
-- Both are keyed by the SHA-256 of their token, the only way they are ever looked up, instead of
-- an `id`; the token itself is never stored. Neither has `updated_at`: the store is not told the
-- time when a session is touched, and a password link changes only once (`used_at`). Sessions
-- live here, not in a node's memory, so any node of a deployment serves any session.

create table sessions (
    -- SHA-256 of the session token (32 bytes).
    digest bytea primary key,
    user_id text collate "C" not null references users (id),
    -- Sign-in time.
    created_at timestamptz not null,
    -- Idle expiry, moved forward on use; the session is dead from this instant on.
    expires_at timestamptz not null
);

-- Disabling a user deletes all of the user's sessions.
create index sessions_user_id_idx on sessions (user_id);

create table password_tokens (
    -- SHA-256 of the one-time link token (32 bytes).
    digest bytea primary key,
    user_id text collate "C" not null references users (id),
    -- The link is refused from this instant on.
    expires_at timestamptz not null,
    -- When the link was used; a used link never works again.
    used_at timestamptz
);

create index password_tokens_user_id_idx on password_tokens (user_id);
