//! Family-care services (gezinszorg, kraamzorg, poetshulp, ...) that plans can
//! involve next to volunteers: `familyCareServices`, `createFamilyCareService`.

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, Object, dataloader::Loader};
use chrono::Utc;
use entity::{family_care_service, involvement};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::core::relay::NodeKind;
use crate::{
    core::error::{ApiError, ApiResult},
    core::loaders::{DbLoader, LoadError, load},
    core::locale::tr,
    core::relay::{PageRequest, global_id},
    core::state::{AppState, ContextExt},
    core::values::{
        Language, LifeDomain, enums_from_json, enums_to_json, parse_language, required_text,
        strings_from_json,
    },
    engine::LOAD_STATES,
};

/// What kind of service.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::ServiceKind")]
pub enum ServiceKind {
    /// gezinszorg
    FamilyCare,
    /// kraamzorg
    MaternityCare,
    /// poetshulp
    HouseholdHelp,
    /// rechtstreeks toegankelijke jeugdhulp (RTJ)
    DirectYouthCare,
    /// Eerstelijnspsychologische zorg (first-line psychological care).
    PsychologicalFirstLine,
    /// NAFT, onderwijsambassadeur
    SchoolSupport,
    /// Any other service.
    Other,
}

/// A family-care service that can be involved in plans.
#[derive(Clone, Debug)]
pub struct FamilyCareService(pub family_care_service::Model);

crate::connection!(
    FamilyCareServiceConnection,
    FamilyCareServiceEdge,
    FamilyCareService
);

/// A family-care service (gezinszorg, kraamzorg, ...) that can be involved in plans.
#[Object]
impl FamilyCareService {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::FamilyCareService, self.0.id)
    }
    /// Name of the service.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The organisation that runs it.
    async fn organization(&self) -> &str {
        &self.0.organization
    }
    /// What kind of service.
    async fn kind(&self) -> ServiceKind {
        self.0.kind.into()
    }
    /// Languages the service works in.
    async fn languages(&self) -> ApiResult<Vec<Language>> {
        Ok(strings_from_json(&self.0.languages)?
            .iter()
            .filter_map(|c| matching::LanguageCode::parse_code(c))
            .map(Language::from)
            .collect())
    }
    /// Postal codes served.
    async fn service_area(&self) -> ApiResult<Vec<String>> {
        strings_from_json(&self.0.service_area)
    }
    /// Domains of family life it helps with.
    async fn life_domains(&self) -> ApiResult<Vec<LifeDomain>> {
        enums_from_json(&self.0.life_domains)
    }
    /// Can start within days in a crisis.
    async fn crisis_available(&self) -> bool {
        self.0.crisis_available
    }
    /// Whether the family contribution can be waived (financial threshold).
    async fn contribution_waivable(&self) -> bool {
        self.0.contribution_waivable
    }
    /// How many families at once, if limited.
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }
    /// Involvements in PROPOSED, ACTIVE or PHASING_OUT state.
    async fn current_load(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(load(ctx, ServiceLoad(self.0.id)).await?.unwrap_or(0))
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Loads one service by key through the request's DataLoader, if the
/// viewer's role sees services.
pub async fn load_one(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<FamilyCareService>> {
    if !crate::auth::sees_all(ctx, "FamilyCareService")? {
        return Ok(None);
    }
    Ok(load(ctx, ServiceById(id)).await?.map(FamilyCareService))
}

/// A new family-care service.
#[derive(Clone, Debug, InputObject)]
pub struct CreateFamilyCareServiceInput {
    /// Name of the service.
    pub name: String,
    /// The organisation that runs it.
    pub organization: String,
    /// What kind.
    pub kind: ServiceKind,
    /// Languages (codes or names).
    pub languages: Vec<String>,
    /// Postal codes served.
    pub service_area: Vec<String>,
    /// Domains of family life it helps with.
    pub life_domains: Vec<LifeDomain>,
    /// Can start within days in a crisis.
    #[graphql(default_with = "Some(false)")]
    pub crisis_available: Option<bool>,
    /// Whether the family contribution can be waived.
    #[graphql(default_with = "Some(false)")]
    pub contribution_waivable: Option<bool>,
    /// How many families at once, if limited (1 to 10000).
    pub capacity: Option<i32>,
}

/// Service queries.
#[derive(Default, Debug)]
pub struct ServicesQuery;

#[Object]
impl ServicesQuery {
    /// Services, optionally of a kind, serving a postal code, working in a
    /// language, in the order they were registered.
    #[allow(clippy::too_many_arguments)]
    async fn family_care_services(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only services of this kind.")] kind: Option<ServiceKind>,
        #[graphql(desc = "Only services whose area covers this Belgian postal code.")]
        postal_code: Option<String>,
        #[graphql(
            desc = "Only services working in this language: a code or a name in Dutch, French or English."
        )]
        language: Option<String>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only services after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Only services before this cursor.")] before: Option<String>,
    ) -> ApiResult<FamilyCareServiceConnection> {
        let page = PageRequest::parse::<FamilyCareServiceConnection>(first, after, last, before)?;
        let db = &ctx.state()?.db;
        let language = language
            .as_deref()
            .map(|l| parse_language(l, "language"))
            .transpose()?;
        let postal_code = match postal_code {
            Some(code) => Some(
                matching::lookup_postal_code(&code)
                    .ok_or_else(|| {
                        ApiError::bad_input(
                            "postalCode",
                            tr!(
                                "error-not-a-postal-code",
                                code = format!("{:?}", code.trim())
                            ),
                        )
                    })?
                    .postal_code,
            ),
            None => None,
        };
        let mut select =
            family_care_service::Entity::find().order_by_asc(family_care_service::Column::Id);
        if let Some(kind) = kind {
            select = select.filter(
                family_care_service::Column::Kind.eq(entity::vocabulary::ServiceKind::from(kind)),
            );
        }
        let mut out = Vec::new();
        for model in select.all(db).await? {
            let area = strings_from_json(&model.service_area)?;
            let languages = strings_from_json(&model.languages)?;
            if postal_code.is_some_and(|code| !area.iter().any(|a| a == code)) {
                continue;
            }
            if language.is_some_and(|code| !languages.iter().any(|l| l == code.as_str())) {
                continue;
            }
            out.push(FamilyCareService(model));
        }
        Ok(page
            .page_in_order(out, |s| s.0.id)?
            .into_connection(|s| s.0.id, |s| s))
    }
}

/// Service mutations.
#[derive(Default, Debug)]
pub struct ServicesMutation;

#[Object]
impl ServicesMutation {
    /// Registers a family-care service.
    async fn create_family_care_service(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The service.")] input: CreateFamilyCareServiceInput,
    ) -> ApiResult<FamilyCareService> {
        Ok(FamilyCareService(
            create_service(ctx.state()?, input).await?,
        ))
    }
}

/// A service by key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceById(pub Uuid);
/// A service's current load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceLoad(pub Uuid);

impl Loader<ServiceById> for DbLoader {
    type Value = family_care_service::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ServiceById],
    ) -> Result<HashMap<ServiceById, Self::Value>, Self::Error> {
        let rows = family_care_service::Entity::find()
            .filter(family_care_service::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (ServiceById(r.id), r)).collect())
    }
}

impl Loader<ServiceLoad> for DbLoader {
    type Value = i32;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ServiceLoad],
    ) -> Result<HashMap<ServiceLoad, Self::Value>, Self::Error> {
        let rows: Vec<(Option<Uuid>, i64)> = involvement::Entity::find()
            .select_only()
            .column(involvement::Column::ServiceId)
            .column_as(involvement::Column::Id.count(), "n")
            .filter(involvement::Column::ServiceId.is_in(keys.iter().map(|k| k.0)))
            .filter(involvement::Column::Status.is_in(LOAD_STATES))
            .group_by(involvement::Column::ServiceId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut map: HashMap<ServiceLoad, i32> = keys.iter().map(|k| (*k, 0)).collect();
        for (id, n) in rows.into_iter().filter_map(|(id, n)| id.map(|id| (id, n))) {
            map.insert(ServiceLoad(id), i32::try_from(n).unwrap_or(i32::MAX));
        }
        Ok(map)
    }
}

/// Validates and registers a family-care service.
pub async fn create_service(
    state: &AppState,
    input: CreateFamilyCareServiceInput,
) -> ApiResult<family_care_service::Model> {
    let db = &state.db;
    let name = required_text(&input.name, "input.name", 200)?;
    let organization = required_text(&input.organization, "input.organization", 200)?;
    if input.languages.is_empty() {
        return Err(ApiError::bad_input(
            "input.languages",
            tr!("error-languages-empty"),
        ));
    }
    let mut languages: Vec<String> = Vec::new();
    for (i, raw) in input.languages.iter().enumerate() {
        let code = parse_language(raw, &format!("input.languages[{i}]"))?;
        if !languages.iter().any(|l| l == code.as_str()) {
            languages.push(code.as_str().to_owned());
        }
    }
    if input.service_area.is_empty() || input.service_area.len() > 300 {
        return Err(ApiError::bad_input(
            "input.serviceArea",
            tr!("error-service-area", max = 300),
        ));
    }
    let mut area: Vec<String> = Vec::new();
    for (i, raw) in input.service_area.iter().enumerate() {
        let place = matching::lookup_postal_code(raw).ok_or_else(|| {
            ApiError::bad_input(
                format!("input.serviceArea[{i}]"),
                tr!(
                    "error-not-a-postal-code",
                    code = format!("{:?}", raw.trim())
                ),
            )
        })?;
        if !area.iter().any(|a| a == place.postal_code) {
            area.push(place.postal_code.to_owned());
        }
    }
    if let Some(capacity) = input.capacity
        && !(1..=10_000).contains(&capacity)
    {
        return Err(ApiError::bad_input(
            "input.capacity",
            tr!("error-capacity", max = 10000),
        ));
    }
    let now = Utc::now();
    let model = family_care_service::Model {
        id: Uuid::now_v7(),
        name,
        organization,
        kind: input.kind.into(),
        languages: serde_json::json!(languages),
        service_area: serde_json::json!(area),
        life_domains: enums_to_json(&input.life_domains)?,
        crisis_available: input.crisis_available.unwrap_or(false),
        contribution_waivable: input.contribution_waivable.unwrap_or(false),
        capacity: input.capacity,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    family_care_service::Entity::insert(model.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(model)
}
