//! `/v2` updates (being written).
