//! Install keys, automations, webhook triggers and runs, each module implementing its role
//! trait of `plumb_core::store` (`InstallKeyStore`, `AutomationStore`, `WebhookStore`,
//! `RunStore`). Tenancy is enforced as in `inventory`: every statement filters on `organization_id`, and
//! composite foreign keys refuse a group or automation from another organization (`NotFound`).

mod definitions;
mod install_keys;
mod runs;
mod spelling;
mod webhooks;

pub(crate) use runs::claim_in;
