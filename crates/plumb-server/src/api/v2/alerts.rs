//! `/v2` alerts (being written).
