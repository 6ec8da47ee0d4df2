//! The public API, `/v2`, in Level's shapes. Every handler receives the verified key's
//! organization and scopes every lookup to it: another organization's id is simply not found.

pub mod activities;
pub mod alerts;
pub mod automations;
pub mod custom_fields;
pub mod devices;
pub mod groups;
pub mod paging;
pub mod params;
pub mod tags;
pub mod updates;
