//! `/v2` tags (being written).
