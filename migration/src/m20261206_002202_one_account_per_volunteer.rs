//! One account per volunteer, kept by the database (issue 22): a unique
//! index on `app_user.volunteer_id`, so that two `createUser` or `tandem
//! users add` for one volunteer at the same moment cannot both pass the
//! application's check. Accounts without a volunteer (staff) hold NULL there,
//! which neither backend counts as a duplicate.
//!
//! Data from before the check existed may hold two accounts for one
//! volunteer. The oldest keeps the link; every later one is switched off and
//! unlinked (`disabled`, `volunteer_id` NULL) before the index is built, so
//! the upgrade cannot fail on it and no account is deleted: an administrator
//! sees them in `users` as disabled VOLUNTEER accounts without a volunteer.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    VolunteerId,
}

/// The index's name (a violation names it; the API recognises it by it).
const INDEX: &str = "app_user_one_per_volunteer";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE app_user SET volunteer_id = NULL, disabled = TRUE \
                 WHERE volunteer_id IS NOT NULL AND EXISTS (SELECT 1 FROM app_user older \
                 WHERE older.volunteer_id = app_user.volunteer_id AND older.id < app_user.id)",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(AppUser::Table)
                    .col(AppUser::VolunteerId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(AppUser::Table).to_owned())
            .await
    }
}
