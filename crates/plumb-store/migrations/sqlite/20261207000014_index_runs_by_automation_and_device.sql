-- The Runs views: one automation's runs, and one device's, newest first.
create index automation_runs_automation_id_idx on automation_runs (automation_id, id);
create index automation_runs_device_id_idx on automation_runs (device_id, id);
