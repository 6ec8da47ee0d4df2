//! `/v2` devices (being written).
