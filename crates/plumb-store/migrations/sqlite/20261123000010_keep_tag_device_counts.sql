-- Each tag keeps how many devices carry it, so a page of tags costs the same however many
-- devices are tagged. Triggers on device_tags keep the count, including the rows that cascade
-- away with a deleted device or tag (device_tags rows are never updated). `plumb db copy`
-- leaves the column out and lets these triggers count the device_tags it copies.
alter table tags add column device_count integer not null default 0;

update tags set device_count = (select count(*) from device_tags where device_tags.tag_id = tags.id);

create trigger device_tags_counted_in after insert on device_tags
begin
    update tags set device_count = device_count + 1 where id = new.tag_id;
end;

create trigger device_tags_counted_out after delete on device_tags
begin
    update tags set device_count = device_count - 1 where id = old.tag_id;
end;
