-- The activity log without sign-ins, as `/v2/activities` pages it: a partial index, so a page
-- of changes stays cheap however many sign-ins an organization has. The predicate is exactly
-- the query's (plumb-store-rows, `NOT_SIGN_IN`), which is what lets the planner use it.
create index activity_changes_idx on activity (organization_id, id)
    where action not like 'session.%';
