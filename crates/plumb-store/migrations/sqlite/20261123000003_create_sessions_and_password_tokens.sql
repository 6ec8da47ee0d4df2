-- Signed-in sessions and one-time password links.
--
-- Both are keyed by the SHA-256 of their token, the only way they are ever looked up, instead of
-- an `id`; the token itself is never stored. Neither has `updated_at`: the store is not told the
-- time when a session is touched, and a password link changes only once (`used_at`).

create table sessions (
    -- SHA-256 of the session token (32 bytes).
    digest blob primary key not null,
    user_id text not null references users (id),
    -- Sign-in time.
    created_at text not null,
    -- Idle expiry, moved forward on use; the session is dead from this instant on.
    expires_at text not null
) strict;

-- Disabling a user deletes all of the user's sessions.
create index sessions_user_id_idx on sessions (user_id);

create table password_tokens (
    -- SHA-256 of the one-time link token (32 bytes).
    digest blob primary key not null,
    user_id text not null references users (id),
    -- The link is refused from this instant on.
    expires_at text not null,
    -- When the link was used; a used link never works again.
    used_at text
) strict;

create index password_tokens_user_id_idx on password_tokens (user_id);
