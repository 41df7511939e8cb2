//! Tandem's schema history.
//!
//! Each file is one frozen step: never edit a migration that has landed, add a
//! new one. Migrations use sea-query only and never import `entity`, so that the
//! history keeps compiling while the entities move on.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_tables;
mod m20261123_000002_create_login_failure;
mod m20261201_000001_create_change_log;
mod m20261201_000002_audit_entry_subjects;
mod m20261204_000001_audit_subjects_without_pending_list;
mod m20261206_000001_login_failure_client;
mod m20261206_000002_app_user_disabled;
mod m20261206_000010_app_user_locale;
mod m20261206_000022_family_waiting_since;
mod m20261206_002201_family_status_change;
mod m20261206_002202_one_account_per_volunteer;

/// Every migration, oldest first.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_tables::Migration),
            Box::new(m20261123_000002_create_login_failure::Migration),
            Box::new(m20261201_000001_create_change_log::Migration),
            Box::new(m20261201_000002_audit_entry_subjects::Migration),
            Box::new(m20261204_000001_audit_subjects_without_pending_list::Migration),
            Box::new(m20261206_000001_login_failure_client::Migration),
            Box::new(m20261206_000002_app_user_disabled::Migration),
            Box::new(m20261206_000022_family_waiting_since::Migration),
            Box::new(m20261206_000010_app_user_locale::Migration),
            Box::new(m20261206_002201_family_status_change::Migration),
            Box::new(m20261206_002202_one_account_per_volunteer::Migration),
        ]
    }
}
