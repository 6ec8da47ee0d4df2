-- Each device keeps a summary of its inventory: the facts a device list shows (Level's device
-- object without its include_* parts), as a small JSON object beside the whole document, so a
-- page of devices reads and decodes a few hundred bytes per device instead of the inventory
-- (about 2 KB for demo data, 34 KB for a real machine). The database computes it whenever the
-- inventory is written, whoever writes it; `plumb db copy` leaves the column out and lets the
-- target compute it. It carries the reported hostname too, so a stored document that is not an
-- inventory makes a summary that does not decode (a damaged database, never silent nulls).
-- plumb-core's `InventorySummary::from` computes the same from a decoded inventory, and the
-- conformance suite checks that both agree.
--
-- SQLite keeps a row's columns in order and the tail of a long row on overflow pages, so a column
-- stored after a 34 KB inventory can only be read by walking its overflow chain. The summary is
-- therefore placed before the inventory: the inventory moves to a new last column.
alter table devices add column summary text;
alter table devices rename column inventory to inventory_before;
alter table devices add column inventory text;
update devices set inventory = inventory_before;
alter table devices drop column inventory_before;

create trigger devices_summarized_in after insert on devices
when new.inventory is not null
begin
    update devices set summary = json_object(
            'hostname', new.inventory -> '$.hostname',
            'platform', new.inventory -> '$.platform',
            'full_operating_system', new.inventory -> '$.operating_system.full_operating_system',
            'architecture', new.inventory -> '$.architecture',
            'manufacturer', new.inventory -> '$.manufacturer',
            'model', new.inventory -> '$.model',
            'serial_number', new.inventory -> '$.serial_number',
            'total_memory', new.inventory -> '$.total_memory',
            'memory_slots', new.inventory -> '$.memory_slots',
            'cpu_cores', new.inventory -> '$.cpu_cores',
            'last_logged_in_user', new.inventory -> '$.last_logged_in_user',
            'last_reboot_time', new.inventory -> '$.last_reboot_time',
            'private_ip_addresses', new.inventory -> '$.private_ip_addresses'
        )
    where id = new.id;
end;

create trigger devices_summarized_again after update of inventory on devices
begin
    update devices set summary = case when new.inventory is null then null else json_object(
            'hostname', new.inventory -> '$.hostname',
            'platform', new.inventory -> '$.platform',
            'full_operating_system', new.inventory -> '$.operating_system.full_operating_system',
            'architecture', new.inventory -> '$.architecture',
            'manufacturer', new.inventory -> '$.manufacturer',
            'model', new.inventory -> '$.model',
            'serial_number', new.inventory -> '$.serial_number',
            'total_memory', new.inventory -> '$.total_memory',
            'memory_slots', new.inventory -> '$.memory_slots',
            'cpu_cores', new.inventory -> '$.cpu_cores',
            'last_logged_in_user', new.inventory -> '$.last_logged_in_user',
            'last_reboot_time', new.inventory -> '$.last_reboot_time',
            'private_ip_addresses', new.inventory -> '$.private_ip_addresses'
        ) end
    where id = new.id;
end;

update devices set summary = json_object(
        'hostname', inventory -> '$.hostname',
        'platform', inventory -> '$.platform',
        'full_operating_system', inventory -> '$.operating_system.full_operating_system',
        'architecture', inventory -> '$.architecture',
        'manufacturer', inventory -> '$.manufacturer',
        'model', inventory -> '$.model',
        'serial_number', inventory -> '$.serial_number',
        'total_memory', inventory -> '$.total_memory',
        'memory_slots', inventory -> '$.memory_slots',
        'cpu_cores', inventory -> '$.cpu_cores',
        'last_logged_in_user', inventory -> '$.last_logged_in_user',
        'last_reboot_time', inventory -> '$.last_reboot_time',
        'private_ip_addresses', inventory -> '$.private_ip_addresses'
    )
where inventory is not null;
