//! The device inventory: devices and their check-ins (`device`, `list`, `checkin`), tags,
//! custom fields and their values, alerts and updates, each module implementing its role trait
//! of `plumb_core::store`. Every statement filters on `organization_id` (except the agent's
//! token lookup and the offline sweep).

mod alerts;
mod batch;
mod checkin;
mod device;
mod fields;
mod heartbeat;
mod list;
mod tags;
mod values;

pub(crate) use alerts::alert as fetch_alert;
pub(crate) use batch::Heartbeats;
pub(crate) use list::fetch_device;
