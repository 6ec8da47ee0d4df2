-- Each tag keeps how many devices carry it, so a page of tags costs the same however many
-- devices are tagged. A trigger on device_tags keeps the count, including the rows that cascade
-- away with a deleted device or tag (device_tags rows are never updated). `plumb db copy`
-- leaves the column out and lets the trigger count the device_tags it copies. Concurrent
-- taggings of one tag queue on its row for the rest of their transactions.
alter table tags add column device_count bigint not null default 0;

update tags set device_count = (select count(*) from device_tags where device_tags.tag_id = tags.id);

create function device_tags_count() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        update tags set device_count = device_count + 1 where id = new.tag_id;
    else
        update tags set device_count = device_count - 1 where id = old.tag_id;
    end if;
    return null;
end;
$$;

create trigger device_tags_counted after insert or delete on device_tags
    for each row execute function device_tags_count();
