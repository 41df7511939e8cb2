//! An audit entry records one access, to one family or to several: a request
//! that reads a page of families is one row listing them all, not a row per
//! family. `subjects` holds the global IDs (a JSON array; `subject_id` stays
//! the first). On PostgreSQL a GIN index finds the entries of one subject.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEntry {
    Table,
    Subjects,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEntry::Table)
                    .add_column(json_binary(AuditEntry::Subjects).default("[]"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                // One statement over the whole log: a large log takes longer
                // than the server's statement timeout, which is lifted for
                // this migration's transaction only.
                db.execute_unprepared("SET LOCAL statement_timeout = 0")
                    .await?;
                db.execute_unprepared(
                    "UPDATE audit_entry SET subjects = jsonb_build_array(subject_id)",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_audit_entry_subjects ON audit_entry \
                     USING GIN (subjects jsonb_path_ops)",
                )
                .await?;
                db.execute_unprepared("DROP INDEX idx_audit_entry_subject")
                    .await?;
            }
            _ => {
                db.execute_unprepared("UPDATE audit_entry SET subjects = json_array(subject_id)")
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("DROP INDEX idx_audit_entry_subjects")
                .await?;
            db.execute_unprepared(
                "CREATE INDEX idx_audit_entry_subject ON audit_entry (subject_id)",
            )
            .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEntry::Table)
                    .drop_column(AuditEntry::Subjects)
                    .to_owned(),
            )
            .await
    }
}
