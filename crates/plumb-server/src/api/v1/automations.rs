//! `/api/v1` automations (being written).
