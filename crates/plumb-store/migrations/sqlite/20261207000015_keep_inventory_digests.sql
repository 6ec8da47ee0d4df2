-- Each device keeps the digests of its stored inventory (SHA-256 of the document and of its update
-- list, docs/agent-protocol.md "Digests"), written with the inventory in the same statement. A
-- digest check-in whose digests are these writes only the device's heartbeat columns; one whose
-- digests differ, or a device without digests (every device until its next full check-in, and
-- any device a restored or copied database did not have digests for), is asked for the full
-- inventory. Added after the inventory: a heartbeat rewrites the row in place (same size), and
-- reads them from the page cache.
alter table devices add column inventory_digest blob;
alter table devices add column updates_digest blob;
