//! Tandem's tables as sea-orm entities, one module per table.
//!
//! Entities are tables, not API types: the `api` crate converts them into its
//! GraphQL objects and into the matching engine's profiles. Lists owned by a row
//! are child tables when they are queried on (languages, children, trainings)
//! and JSON columns otherwise (weekly availability, crisis types, service areas).
//! Statuses, kinds and levels are the enums of [`vocabulary`], stored as the
//! strings they always were.

pub mod app_user;
pub mod audit_entry;
pub mod check_in;
pub mod family;
pub mod family_care_service;
pub mod family_child;
pub mod family_language;
pub mod family_status_change;
pub mod goal;
pub mod involvement;
pub mod involvement_event;
pub mod login_failure;
pub mod plan;
pub mod reference_counter;
pub mod session;
pub mod training_completion;
pub mod vocabulary;
pub mod volunteer;
pub mod volunteer_language;
