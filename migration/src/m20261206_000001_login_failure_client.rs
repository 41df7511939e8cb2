//! Failed logins remember the client address they came from: throttling is
//! per address (and per address and email), so that a stranger's failures
//! slow the stranger down and never lock the real user out. Old failures are
//! pruned by time, through an index on `at`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginFailure {
    Table,
    Client,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LoginFailure::Table)
                    .add_column(string_len(LoginFailure::Client, 64).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failure_client_at")
                    .table(LoginFailure::Table)
                    .col(LoginFailure::Client)
                    .col(LoginFailure::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failure_at")
                    .table(LoginFailure::Table)
                    .col(LoginFailure::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in ["idx_login_failure_at", "idx_login_failure_client_at"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(index)
                        .table(LoginFailure::Table)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(LoginFailure::Table)
                    .drop_column(LoginFailure::Client)
                    .to_owned(),
            )
            .await
    }
}
