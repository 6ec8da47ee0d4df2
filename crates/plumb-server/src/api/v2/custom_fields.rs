//! `/v2` custom_fields (being written).
