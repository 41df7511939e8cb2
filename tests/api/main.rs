//! Black-box tests of the API: one binary, one module per domain.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

mod access;
mod accounts;
mod client;
mod conformance;
mod contract_v2;
mod errors;
mod families;
mod follow_up;
mod fuzz;
mod hostile;
mod http;
mod lint;
mod locale;
mod npm;
mod persisted;
mod plans;
mod policy;
mod privacy;
mod protocol;
mod reliability;
mod replicas;
mod results;
mod schema;
mod services;
mod socket;
mod truths;
mod volunteers;
