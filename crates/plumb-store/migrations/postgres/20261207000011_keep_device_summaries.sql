-- Each device keeps a summary of its inventory: the facts a device list shows (Level's device
-- object without its include_* parts), as a small JSON object beside the whole document, so a
-- page of devices reads and decodes a few hundred bytes per device instead of the inventory
-- (about 2 KB for demo data, 34 KB for a real machine). The database computes it whenever the
-- inventory is written, whoever writes it; `plumb db copy` leaves the column out and lets the
-- target compute it. It carries the reported hostname too, so a stored document that is not an
-- inventory makes a summary that does not decode (a damaged database, never silent nulls).
-- plumb-core's `InventorySummary::from` computes the same from a decoded inventory, and the
-- conformance suite checks that both agree.
alter table devices add column summary text;

create function devices_summary(inventory text) returns text language sql immutable strict as $$
    select jsonb_build_object(
            'hostname', i -> 'hostname',
            'platform', i -> 'platform',
            'full_operating_system', i -> 'operating_system' -> 'full_operating_system',
            'architecture', i -> 'architecture',
            'manufacturer', i -> 'manufacturer',
            'model', i -> 'model',
            'serial_number', i -> 'serial_number',
            'total_memory', i -> 'total_memory',
            'memory_slots', i -> 'memory_slots',
            'cpu_cores', i -> 'cpu_cores',
            'last_logged_in_user', i -> 'last_logged_in_user',
            'last_reboot_time', i -> 'last_reboot_time',
            'private_ip_addresses', i -> 'private_ip_addresses'
        )::text
    from (select inventory::jsonb as i) as parsed
$$;

create function devices_summarize() returns trigger language plpgsql as $$
begin
    new.summary := devices_summary(new.inventory);
    return new;
end;
$$;

create trigger devices_summarized before insert or update of inventory on devices
    for each row execute function devices_summarize();

update devices set summary = devices_summary(inventory) where inventory is not null;
