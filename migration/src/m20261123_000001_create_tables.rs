//! The whole data model: accounts, volunteers, families and their one plan,
//! family-care services, involvements with their append-only events,
//! check-ins and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Email,
    Name,
    Role,
    PasswordHash,
    VolunteerId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Volunteer {
    Table,
    Id,
    Name,
    Email,
    Phone,
    Status,
    PostalCode,
    Municipality,
    Latitude,
    Longitude,
    MaxTravelKm,
    Availability,
    CrisisExperience,
    Capacity,
    BackgroundCheckIssuedOn,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VolunteerLanguage {
    Table,
    VolunteerId,
    LanguageCode,
    Level,
    Position,
}

#[derive(DeriveIden)]
enum TrainingCompletion {
    Table,
    Id,
    VolunteerId,
    Module,
    CompletedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
    Reference,
    DisplayName,
    PreferredLanguage,
    PostalCode,
    Municipality,
    Latitude,
    Longitude,
    CrisisTypes,
    Urgency,
    Status,
    ReferralSource,
    ReferredAt,
    FirstPhaseInAt,
    NeededAvailability,
    ConsentGiven,
    ErasedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FamilyLanguage {
    Table,
    FamilyId,
    LanguageCode,
    Level,
    Position,
}

#[derive(DeriveIden)]
enum FamilyChild {
    Table,
    Id,
    FamilyId,
    AgeYears,
    Position,
}

#[derive(DeriveIden)]
enum ReferenceCounter {
    Table,
    Year,
    LastNumber,
}

#[derive(DeriveIden)]
enum Plan {
    Table,
    Id,
    FamilyId,
    Status,
    PointOfContact,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Goal {
    Table,
    Id,
    PlanId,
    Description,
    LifeDomain,
    Status,
    TargetDate,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FamilyCareService {
    Table,
    Id,
    Name,
    Organization,
    Kind,
    Languages,
    ServiceArea,
    LifeDomains,
    CrisisAvailable,
    ContributionWaivable,
    Capacity,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Involvement {
    Table,
    Id,
    PlanId,
    HelperKind,
    VolunteerId,
    ServiceId,
    HelperName,
    HelperDetail,
    Role,
    Status,
    PhasedInAt,
    PhasedOutAt,
    MatchScore,
    Note,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InvolvementEvent {
    Table,
    Id,
    InvolvementId,
    PlanId,
    FromStatus,
    ToStatus,
    At,
    Reason,
    RecordedBy,
    RecordedByUserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CheckIn {
    Table,
    Id,
    VolunteerId,
    FamilyId,
    Kind,
    OccurredAt,
    Wellbeing,
    HoursSinceLast,
    Concern,
    Notes,
    NextDueOn,
    RecordedBy,
    RecordedByUserId,
    ResolvedAt,
    Resolution,
    ResolvedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditEntry {
    Table,
    Id,
    At,
    UserId,
    UserEmail,
    Role,
    Action,
    SubjectId,
    Operation,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for column in columns {
        stmt.col(Alias::new(*column));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Volunteer::Table)
                    .col(pk_uuid(Volunteer::Id))
                    .col(string_len(Volunteer::Name, 200))
                    .col(string_len_null(Volunteer::Email, 254))
                    .col(string_len_null(Volunteer::Phone, 40))
                    .col(string_len(Volunteer::Status, 20))
                    .col(string_len_null(Volunteer::PostalCode, 4))
                    .col(string_len_null(Volunteer::Municipality, 100))
                    .col(double(Volunteer::Latitude))
                    .col(double(Volunteer::Longitude))
                    .col(double(Volunteer::MaxTravelKm))
                    .col(json(Volunteer::Availability))
                    .col(json(Volunteer::CrisisExperience))
                    .col(integer(Volunteer::Capacity))
                    .col(date_null(Volunteer::BackgroundCheckIssuedOn))
                    .col(integer(Volunteer::Version))
                    .col(timestamp_with_time_zone(Volunteer::CreatedAt))
                    .col(timestamp_with_time_zone(Volunteer::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_volunteer_status", Volunteer::Table, &["status"]))
            .await?;
        manager
            .create_index(index(
                "idx_volunteer_lat_lon",
                Volunteer::Table,
                &["latitude", "longitude"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VolunteerLanguage::Table)
                    .col(uuid(VolunteerLanguage::VolunteerId))
                    .col(string_len(VolunteerLanguage::LanguageCode, 8))
                    .col(string_len(VolunteerLanguage::Level, 20))
                    .col(integer(VolunteerLanguage::Position))
                    .primary_key(
                        Index::create()
                            .col(VolunteerLanguage::VolunteerId)
                            .col(VolunteerLanguage::LanguageCode),
                    )
                    .foreign_key(&mut fk(
                        "fk_volunteer_language_volunteer",
                        (VolunteerLanguage::Table, VolunteerLanguage::VolunteerId),
                        (Volunteer::Table, Volunteer::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_volunteer_language_code",
                VolunteerLanguage::Table,
                &["language_code"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TrainingCompletion::Table)
                    .col(pk_uuid(TrainingCompletion::Id))
                    .col(uuid(TrainingCompletion::VolunteerId))
                    .col(string_len(TrainingCompletion::Module, 100))
                    .col(date(TrainingCompletion::CompletedOn))
                    .col(timestamp_with_time_zone(TrainingCompletion::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_training_volunteer",
                        (TrainingCompletion::Table, TrainingCompletion::VolunteerId),
                        (Volunteer::Table, Volunteer::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_training_volunteer",
                TrainingCompletion::Table,
                &["volunteer_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_uuid(AppUser::Id))
                    .col(string_len_uniq(AppUser::Email, 254))
                    .col(string_len(AppUser::Name, 200))
                    .col(string_len(AppUser::Role, 20))
                    .col(string(AppUser::PasswordHash))
                    .col(uuid_null(AppUser::VolunteerId))
                    .col(integer(AppUser::Version))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_app_user_volunteer",
                        (AppUser::Table, AppUser::VolunteerId),
                        (Volunteer::Table, Volunteer::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(pk_uuid(Session::Id))
                    .col(uuid(Session::UserId))
                    .col(string_len_uniq(Session::TokenHash, 64))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Session::RevokedAt))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_session_user",
                        (Session::Table, Session::UserId),
                        (AppUser::Table, AppUser::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Family::Table)
                    .col(pk_uuid(Family::Id))
                    .col(string_len_uniq(Family::Reference, 20))
                    .col(string_len(Family::DisplayName, 100))
                    .col(string_len_null(Family::PreferredLanguage, 8))
                    .col(string_len_null(Family::PostalCode, 4))
                    .col(string_len_null(Family::Municipality, 100))
                    .col(double_null(Family::Latitude))
                    .col(double_null(Family::Longitude))
                    .col(json(Family::CrisisTypes))
                    .col(string_len(Family::Urgency, 20))
                    .col(string_len(Family::Status, 20))
                    .col(string_len(Family::ReferralSource, 30))
                    .col(timestamp_with_time_zone(Family::ReferredAt))
                    .col(timestamp_with_time_zone_null(Family::FirstPhaseInAt))
                    .col(json(Family::NeededAvailability))
                    .col(boolean(Family::ConsentGiven))
                    .col(timestamp_with_time_zone_null(Family::ErasedAt))
                    .col(integer(Family::Version))
                    .col(timestamp_with_time_zone(Family::CreatedAt))
                    .col(timestamp_with_time_zone(Family::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_family_status_urgency",
                Family::Table,
                &["status", "urgency", "referred_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FamilyLanguage::Table)
                    .col(uuid(FamilyLanguage::FamilyId))
                    .col(string_len(FamilyLanguage::LanguageCode, 8))
                    .col(string_len(FamilyLanguage::Level, 20))
                    .col(integer(FamilyLanguage::Position))
                    .primary_key(
                        Index::create()
                            .col(FamilyLanguage::FamilyId)
                            .col(FamilyLanguage::LanguageCode),
                    )
                    .foreign_key(&mut fk(
                        "fk_family_language_family",
                        (FamilyLanguage::Table, FamilyLanguage::FamilyId),
                        (Family::Table, Family::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FamilyChild::Table)
                    .col(pk_uuid(FamilyChild::Id))
                    .col(uuid(FamilyChild::FamilyId))
                    .col(integer(FamilyChild::AgeYears))
                    .col(integer(FamilyChild::Position))
                    .foreign_key(&mut fk(
                        "fk_family_child_family",
                        (FamilyChild::Table, FamilyChild::FamilyId),
                        (Family::Table, Family::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_family_child_family",
                FamilyChild::Table,
                &["family_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReferenceCounter::Table)
                    .col(integer(ReferenceCounter::Year).primary_key())
                    .col(integer(ReferenceCounter::LastNumber))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Plan::Table)
                    .col(pk_uuid(Plan::Id))
                    .col(uuid_uniq(Plan::FamilyId))
                    .col(string_len(Plan::Status, 20))
                    .col(string_len_null(Plan::PointOfContact, 200))
                    .col(integer(Plan::Version))
                    .col(timestamp_with_time_zone(Plan::CreatedAt))
                    .col(timestamp_with_time_zone(Plan::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_plan_family",
                        (Plan::Table, Plan::FamilyId),
                        (Family::Table, Family::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Goal::Table)
                    .col(pk_uuid(Goal::Id))
                    .col(uuid(Goal::PlanId))
                    .col(text(Goal::Description))
                    .col(string_len(Goal::LifeDomain, 20))
                    .col(string_len(Goal::Status, 20))
                    .col(date_null(Goal::TargetDate))
                    .col(integer(Goal::Version))
                    .col(timestamp_with_time_zone(Goal::CreatedAt))
                    .col(timestamp_with_time_zone(Goal::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_goal_plan",
                        (Goal::Table, Goal::PlanId),
                        (Plan::Table, Plan::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_goal_plan", Goal::Table, &["plan_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FamilyCareService::Table)
                    .col(pk_uuid(FamilyCareService::Id))
                    .col(string_len(FamilyCareService::Name, 200))
                    .col(string_len(FamilyCareService::Organization, 200))
                    .col(string_len(FamilyCareService::Kind, 30))
                    .col(json(FamilyCareService::Languages))
                    .col(json(FamilyCareService::ServiceArea))
                    .col(json(FamilyCareService::LifeDomains))
                    .col(boolean(FamilyCareService::CrisisAvailable))
                    .col(boolean(FamilyCareService::ContributionWaivable))
                    .col(integer_null(FamilyCareService::Capacity))
                    .col(integer(FamilyCareService::Version))
                    .col(timestamp_with_time_zone(FamilyCareService::CreatedAt))
                    .col(timestamp_with_time_zone(FamilyCareService::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Involvement::Table)
                    .col(pk_uuid(Involvement::Id))
                    .col(uuid(Involvement::PlanId))
                    .col(string_len(Involvement::HelperKind, 20))
                    .col(uuid_null(Involvement::VolunteerId))
                    .col(uuid_null(Involvement::ServiceId))
                    .col(string_len_null(Involvement::HelperName, 200))
                    .col(string_len_null(Involvement::HelperDetail, 200))
                    .col(string_len(Involvement::Role, 100))
                    .col(string_len(Involvement::Status, 20))
                    .col(timestamp_with_time_zone_null(Involvement::PhasedInAt))
                    .col(timestamp_with_time_zone_null(Involvement::PhasedOutAt))
                    .col(double_null(Involvement::MatchScore))
                    .col(text_null(Involvement::Note))
                    .col(integer(Involvement::Version))
                    .col(timestamp_with_time_zone(Involvement::CreatedAt))
                    .col(timestamp_with_time_zone(Involvement::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_involvement_plan",
                        (Involvement::Table, Involvement::PlanId),
                        (Plan::Table, Plan::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_involvement_volunteer",
                        (Involvement::Table, Involvement::VolunteerId),
                        (Volunteer::Table, Volunteer::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_involvement_service",
                        (Involvement::Table, Involvement::ServiceId),
                        (FamilyCareService::Table, FamilyCareService::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_involvement_plan",
                Involvement::Table,
                &["plan_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_involvement_volunteer",
                Involvement::Table,
                &["volunteer_id", "status"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_involvement_service",
                Involvement::Table,
                &["service_id", "status"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvolvementEvent::Table)
                    .col(pk_uuid(InvolvementEvent::Id))
                    .col(uuid(InvolvementEvent::InvolvementId))
                    .col(uuid(InvolvementEvent::PlanId))
                    .col(string_len_null(InvolvementEvent::FromStatus, 20))
                    .col(string_len(InvolvementEvent::ToStatus, 20))
                    .col(timestamp_with_time_zone(InvolvementEvent::At))
                    .col(text_null(InvolvementEvent::Reason))
                    .col(string_len(InvolvementEvent::RecordedBy, 200))
                    .col(uuid_null(InvolvementEvent::RecordedByUserId))
                    .col(timestamp_with_time_zone(InvolvementEvent::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_involvement_event_involvement",
                        (InvolvementEvent::Table, InvolvementEvent::InvolvementId),
                        (Involvement::Table, Involvement::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_involvement_event_involvement",
                InvolvementEvent::Table,
                &["involvement_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_involvement_event_plan",
                InvolvementEvent::Table,
                &["plan_id", "at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CheckIn::Table)
                    .col(pk_uuid(CheckIn::Id))
                    .col(uuid(CheckIn::VolunteerId))
                    .col(uuid_null(CheckIn::FamilyId))
                    .col(string_len(CheckIn::Kind, 30))
                    .col(timestamp_with_time_zone(CheckIn::OccurredAt))
                    .col(integer_null(CheckIn::Wellbeing))
                    .col(double_null(CheckIn::HoursSinceLast))
                    .col(string_len(CheckIn::Concern, 10))
                    .col(text_null(CheckIn::Notes))
                    .col(date_null(CheckIn::NextDueOn))
                    .col(string_len(CheckIn::RecordedBy, 200))
                    .col(uuid_null(CheckIn::RecordedByUserId))
                    .col(timestamp_with_time_zone_null(CheckIn::ResolvedAt))
                    .col(text_null(CheckIn::Resolution))
                    .col(string_len_null(CheckIn::ResolvedBy, 200))
                    .col(integer(CheckIn::Version))
                    .col(timestamp_with_time_zone(CheckIn::CreatedAt))
                    .col(timestamp_with_time_zone(CheckIn::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_check_in_volunteer",
                        (CheckIn::Table, CheckIn::VolunteerId),
                        (Volunteer::Table, Volunteer::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_check_in_family",
                        (CheckIn::Table, CheckIn::FamilyId),
                        (Family::Table, Family::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_check_in_volunteer",
                CheckIn::Table,
                &["volunteer_id", "occurred_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEntry::Table)
                    .col(pk_uuid(AuditEntry::Id))
                    .col(timestamp_with_time_zone(AuditEntry::At))
                    .col(uuid_null(AuditEntry::UserId))
                    .col(string_len(AuditEntry::UserEmail, 254))
                    .col(string_len(AuditEntry::Role, 20))
                    .col(string_len(AuditEntry::Action, 10))
                    .col(string_len(AuditEntry::SubjectId, 100))
                    .col(string_len(AuditEntry::Operation, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_audit_entry_subject",
                AuditEntry::Table,
                &["subject_id"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEntry::Table.into_iden(),
            CheckIn::Table.into_iden(),
            InvolvementEvent::Table.into_iden(),
            Involvement::Table.into_iden(),
            FamilyCareService::Table.into_iden(),
            Goal::Table.into_iden(),
            Plan::Table.into_iden(),
            ReferenceCounter::Table.into_iden(),
            FamilyChild::Table.into_iden(),
            FamilyLanguage::Table.into_iden(),
            Family::Table.into_iden(),
            Session::Table.into_iden(),
            AppUser::Table.into_iden(),
            TrainingCompletion::Table.into_iden(),
            VolunteerLanguage::Table.into_iden(),
            Volunteer::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
