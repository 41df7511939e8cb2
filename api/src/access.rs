//! Who sees what is decided in [`crate::auth`]; this is where the transports
//! find the per-request [`Visibility`] they insert.

pub use crate::auth::Visibility;
