//! `/api/v1` install_keys (being written).
