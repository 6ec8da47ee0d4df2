//! `/api/v1` devices (being written).
