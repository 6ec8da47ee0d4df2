//! The public API, `/v2`, in Level's shapes. Every handler receives the verified key's
//! organization and scopes every lookup to it: another organization's id is simply not found.
//!
//! Handlers parse the request, call a domain service of `plumb-core` (which owns the rules,
//! the limits and the store) and turn its records into Level's objects. A 404 comes from one
//! place: the service's `DomainError::NotFound`, or `ApiError::not_found` for an id in the path
//! that is not one (`crate::extract::path_id`), both spelled `{what} not found`.

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
