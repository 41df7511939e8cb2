//! A family's status changes on a timeline of their own (issue 22):
//! `family_status_change` holds one row per change (from, to, when, and
//! what caused it: the referral, a helper's step, closing or reopening the
//! plan), appended in the transaction of the change. History starts with
//! this migration: families referred before it show only the changes made
//! since (their status itself is unchanged).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FamilyStatusChange {
    Table,
    Id,
    FamilyId,
    FromStatus,
    ToStatus,
    Cause,
    InvolvementEventId,
    At,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FamilyStatusChange::Table)
                    .col(pk_uuid(FamilyStatusChange::Id))
                    .col(uuid(FamilyStatusChange::FamilyId))
                    .col(string_len_null(FamilyStatusChange::FromStatus, 20))
                    .col(string_len(FamilyStatusChange::ToStatus, 20))
                    .col(string_len(FamilyStatusChange::Cause, 30))
                    .col(uuid_null(FamilyStatusChange::InvolvementEventId))
                    .col(timestamp_with_time_zone(FamilyStatusChange::At))
                    .col(timestamp_with_time_zone(FamilyStatusChange::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_family_status_change_family")
                            .from(FamilyStatusChange::Table, FamilyStatusChange::FamilyId)
                            .to(Family::Table, Family::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_family_status_change_family")
                    .table(FamilyStatusChange::Table)
                    .col(FamilyStatusChange::FamilyId)
                    .col(FamilyStatusChange::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FamilyStatusChange::Table).to_owned())
            .await
    }
}
