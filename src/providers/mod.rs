//! Provider adapters. Each is a feature and needs no HTTP client: parsing and
//! signature checks work on the bytes you already have.
