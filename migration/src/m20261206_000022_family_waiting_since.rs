//! Domain truths (issue 22): a family waits again when its last helper ends,
//! so `family.waiting_since` holds the start of the current wait (null while
//! the family is supported or closed) and `family.last_waited_days` how long
//! its last wait lasted; `involvement.planned_start_on` is the day a helper
//! is planned to start. Waiting families get `waiting_since` from their
//! referral, or from the last time one of their helpers ended.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Family {
    Table,
    WaitingSince,
    LastWaitedDays,
}

#[derive(DeriveIden)]
enum Involvement {
    Table,
    PlannedStartOn,
}

/// Each column in its own statement (SQLite alters one column at a time).
async fn add(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

async fn drop(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(
            manager,
            Family::Table,
            timestamp_with_time_zone_null(Family::WaitingSince),
        )
        .await?;
        add(manager, Family::Table, integer_null(Family::LastWaitedDays)).await?;
        add(
            manager,
            Involvement::Table,
            date_null(Involvement::PlannedStartOn),
        )
        .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE family SET waiting_since = referred_at \
             WHERE status = 'WAITING' AND first_phase_in_at IS NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE family SET waiting_since = COALESCE((SELECT MAX(e.at) FROM involvement_event e \
             JOIN plan p ON p.id = e.plan_id WHERE p.family_id = family.id \
             AND e.to_status = 'ENDED'), referred_at) \
             WHERE status = 'WAITING' AND first_phase_in_at IS NOT NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, Involvement::Table, Involvement::PlannedStartOn).await?;
        drop(manager, Family::Table, Family::LastWaitedDays).await?;
        drop(manager, Family::Table, Family::WaitingSince).await
    }
}
