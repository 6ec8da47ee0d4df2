//! `/v2` automations (being written).
