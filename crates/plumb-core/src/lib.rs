//! plumb's domain: what an API key, a password, a session token and a group are, the rules that
//! govern them, and the [`Store`] trait through which they are kept.
//!
//! Nothing here knows about HTTP or SQL: `plumb-server` maps these types to responses, and the
//! `plumb-store-*` crates implement [`Store`]. Time is always a parameter (see [`clock`]).

pub mod accounts;
pub mod activity;
pub mod agents;
pub mod alerts;
pub mod api_key;
pub mod automations;
pub mod clock;
pub mod coherence;
pub mod credential;
pub mod crypto;
pub mod custom_fields;
pub mod devices;
pub mod error;
pub mod events;
pub mod group_cache;
pub mod groups;
pub mod id;
pub mod install_keys;
pub mod key_limits;
pub mod key_rules;
pub mod keys;
pub mod master_key;
pub mod page;
pub mod password;
pub mod request_log;
pub mod store;
pub mod tags;
pub mod throttle;
pub mod token;
pub mod transfer;
pub mod updates;
pub mod validate;
pub mod verifier;
pub mod views;

pub use error::{DomainError, StoreError};
pub use store::Store;

pub use plumb_proto::v1::{Access, Permission, Role};
