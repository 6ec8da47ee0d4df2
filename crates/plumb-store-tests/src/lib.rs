//! The store conformance suite. This crate has no production code: the tests live in
//! `tests/conformance/`, where each test is written once against `&dyn Store` and expanded for
//! every backend.
