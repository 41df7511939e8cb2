//! The GIN index on `audit_entry.subjects` (PostgreSQL) takes each entry into
//! the index as it is written, instead of into a pending list.
//!
//! With the pending list (`fastupdate`, PostgreSQL's default), the insert that
//! finds the list over `gin_pending_list_limit` (4 MB) merges the whole list
//! into the index before it returns. Every request that reads a family waits
//! for its audit entry to commit, so that merge stopped every such request
//! at once: measured under `bench/run`'s top-10 load, one stall of 50-65 ms
//! about every 200,000 entries (every 10-15 s at 50 connections). Without the
//! list each insert does its own share, a little more work and no stall
//! (PostgreSQL's documentation on GIN fast update advises exactly this when
//! steady response times matter more than insert speed).
//!
//! What a list left behind goes into the index here too, so that no later
//! insert or lookup has it to deal with.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("ALTER INDEX idx_audit_entry_subjects SET (fastupdate = off)")
                .await?;
            db.execute_unprepared(
                "SELECT gin_clean_pending_list('idx_audit_entry_subjects'::regclass)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("ALTER INDEX idx_audit_entry_subjects RESET (fastupdate)")
                .await?;
        }
        Ok(())
    }
}
