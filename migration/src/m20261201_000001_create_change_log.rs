//! The change feed of processes sharing one SQLite file: every write that
//! matters to what servers hold in memory appends its changes here, in its own
//! transaction, and every server on the file reads what others appended
//! (PostgreSQL replicas use LISTEN/NOTIFY instead).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Seq,
    Payload,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeLog::Table)
                    .col(pk_auto(ChangeLog::Seq))
                    .col(text(ChangeLog::Payload))
                    .col(timestamp_with_time_zone(ChangeLog::At))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChangeLog::Table).to_owned())
            .await
    }
}
