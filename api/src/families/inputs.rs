//! What `createFamily`, `updateFamily` and `families` take: the GraphQL
//! input objects, and the filter's checks (what the viewer may filter on,
//! the search term, whether a family passes).

use async_graphql::{Context, InputObject};
use chrono::{DateTime, Utc};
use entity::family;

use super::{FamilyStatus, ReferralSource, Urgency};
use crate::{
    core::error::{ApiError, ApiResult},
    core::values::{CrisisType, LanguageSkillInput, LocationInput, TimeSlotInput, enums_from_json},
};

/// A newly referred family.
#[derive(Clone, Debug, InputObject)]
pub struct CreateFamilyInput {
    /// A first name or alias, never a surname.
    pub display_name: String,
    /// At least one language.
    pub languages: Vec<LanguageSkillInput>,
    /// One of `languages`.
    pub preferred_language: Option<String>,
    /// Where the family lives.
    pub home: LocationInput,
    /// Why the family needs support.
    pub crisis_types: Vec<CrisisType>,
    /// How urgent.
    #[graphql(default_with = "Some(Urgency::Normal)")]
    pub urgency: Option<Urgency>,
    /// Who referred the family.
    pub referral_source: ReferralSource,
    /// Defaults to now.
    pub referred_at: Option<DateTime<Utc>>,
    /// When the family would like support each week.
    pub needed_availability: Vec<TimeSlotInput>,
    /// Ages of the children, 0 to 25.
    #[graphql(default_with = "Some(Vec::new())")]
    pub children_ages: Option<Vec<i32>>,
    /// The family agreed to share its data within the network.
    pub consent_given: bool,
}

/// Every field optional: what is given replaces what was there.
#[derive(Clone, Debug, Default, InputObject)]
pub struct UpdateFamilyInput {
    /// A first name or alias.
    pub display_name: Option<String>,
    /// Replaces all languages.
    pub languages: Option<Vec<LanguageSkillInput>>,
    /// One of the family's languages.
    pub preferred_language: Option<String>,
    /// Where the family lives.
    pub home: Option<LocationInput>,
    /// Replaces the crisis types.
    pub crisis_types: Option<Vec<CrisisType>>,
    /// How urgent.
    pub urgency: Option<Urgency>,
    /// Replaces the weekly needs.
    pub needed_availability: Option<Vec<TimeSlotInput>>,
    /// Replaces the children's ages.
    pub children_ages: Option<Vec<i32>>,
    /// Consent to share data within the network.
    pub consent_given: Option<bool>,
}

/// Filters of `families`. A viewer may only filter on what they may read; a
/// filter on a field they may not read is FORBIDDEN.
#[derive(Clone, Debug, Default, InputObject)]
pub struct FamilyFilter {
    /// Any of these statuses.
    pub status: Option<Vec<FamilyStatus>>,
    /// Any of these urgencies.
    pub urgency: Option<Vec<Urgency>>,
    /// Has this crisis type.
    pub crisis_type: Option<CrisisType>,
    /// Fuzzy match on display name, or the exact reference (for viewers who
    /// may read references).
    pub search: Option<String>,
}

impl FamilyFilter {
    /// FORBIDDEN for a filter on what the viewer may not read; whether a
    /// search may match references.
    pub(super) fn allowed(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let given = [
            ("status", self.status.is_some()),
            ("urgency", self.urgency.is_some()),
            ("crisisType", self.crisis_type.is_some()),
            ("search", self.search.is_some()),
        ];
        for (field, given) in given {
            if given {
                crate::auth::may_use(ctx, "FamilyFilter", field, &format!("filter.{field}"))?;
            }
        }
        Ok(crate::auth::may_use(
            ctx,
            "FamilyFilter",
            "search (matches references)",
            "filter.search",
        )
        .is_ok())
    }

    /// The search term, trimmed (`None` when blank); over 100 characters is
    /// BAD_USER_INPUT.
    pub(super) fn search_term(&self) -> ApiResult<Option<&str>> {
        let search = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if search.is_some_and(|s| s.chars().count() > 100) {
            return Err(ApiError::bad_input(
                "filter.search",
                crate::core::locale::tr!("error-too-long", field = "search", max = 100),
            ));
        }
        Ok(search)
    }

    /// Whether a family passes every part of the filter (`references`:
    /// whether the search may match its reference).
    pub(super) fn admits_family(
        &self,
        search: Option<&str>,
        references: bool,
        family: &family::Model,
    ) -> ApiResult<bool> {
        let status = self
            .status
            .as_ref()
            .is_none_or(|s| s.contains(&FamilyStatus::from(family.status)));
        let urgency = self
            .urgency
            .as_ref()
            .is_none_or(|u| u.contains(&Urgency::from(family.urgency)));
        Ok(status
            && urgency
            && self.admits(
                search,
                &family.display_name,
                references.then_some(family.reference.as_str()),
                &family.crisis_types,
            )?)
    }

    /// Whether a family passes the crisis-type filter and `search` (its
    /// reference exactly, when given, or its display name fuzzily).
    pub(super) fn admits(
        &self,
        search: Option<&str>,
        display_name: &str,
        reference: Option<&str>,
        crisis_types: &serde_json::Value,
    ) -> ApiResult<bool> {
        if let Some(wanted) = self.crisis_type {
            let crises: Vec<CrisisType> = enums_from_json(crisis_types)?;
            if !crises.contains(&wanted) {
                return Ok(false);
            }
        }
        Ok(search.is_none_or(|s| {
            reference.is_some_and(|r| r.eq_ignore_ascii_case(s))
                || crate::core::values::fuzzy_matches(display_name, s)
        }))
    }
}
