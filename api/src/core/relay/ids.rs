//! Global IDs: base64url("Type:uuid"), the [`NodeKind`] a global ID can
//! name, and reading one back as the key of the kind a field expects.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::core::error::{ApiError, ApiResult};

/// Encodes the global ID of a `kind` row.
pub fn global_id(kind: impl AsRef<str>, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.as_ref())))
}

/// The types a global ID can name (the schema's `Node`s), as the ID spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A volunteer.
    Volunteer,
    /// A family.
    Family,
    /// A family's plan.
    Plan,
    /// A goal in a plan.
    Goal,
    /// A helper's involvement in a plan.
    Involvement,
    /// A family-care service.
    FamilyCareService,
    /// An account.
    User,
    /// A follow-up check-in.
    CheckIn,
    /// One phase-in/phase-out step of an involvement.
    InvolvementEvent,
    /// A network member (keyed by their involvement).
    NetworkMember,
    /// A professional (keyed by their involvement).
    Professional,
    /// One change of a family's status.
    FamilyStatusChange,
}

impl NodeKind {
    /// Every kind.
    pub const ALL: [NodeKind; 12] = [
        NodeKind::Volunteer,
        NodeKind::Family,
        NodeKind::Plan,
        NodeKind::Goal,
        NodeKind::Involvement,
        NodeKind::FamilyCareService,
        NodeKind::User,
        NodeKind::CheckIn,
        NodeKind::InvolvementEvent,
        NodeKind::NetworkMember,
        NodeKind::Professional,
        NodeKind::FamilyStatusChange,
    ];

    /// The type's name in the schema (and in its global IDs).
    pub const fn name(self) -> &'static str {
        match self {
            NodeKind::Volunteer => "Volunteer",
            NodeKind::Family => "Family",
            NodeKind::Plan => "Plan",
            NodeKind::Goal => "Goal",
            NodeKind::Involvement => "Involvement",
            NodeKind::FamilyCareService => "FamilyCareService",
            NodeKind::User => "User",
            NodeKind::CheckIn => "CheckIn",
            NodeKind::InvolvementEvent => "InvolvementEvent",
            NodeKind::NetworkMember => "NetworkMember",
            NodeKind::Professional => "Professional",
            NodeKind::FamilyStatusChange => "FamilyStatusChange",
        }
    }

    /// The kind a global ID spells `name`, if any.
    pub fn parse(name: &str) -> Option<NodeKind> {
        NodeKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl AsRef<str> for NodeKind {
    fn as_ref(&self) -> &str {
        self.name()
    }
}

impl std::fmt::Display for NodeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Decodes any global ID into its type name and key; `None` if malformed.
pub fn parse_global_id(id: &str) -> Option<(String, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((kind.to_owned(), Uuid::parse_str(key).ok()?))
}

/// Decodes a global ID that must be of `kind`. A malformed ID or one of another
/// type is NOT_FOUND: to the client it simply names nothing.
pub fn expect_id(id: &ID, kind: NodeKind, field: &str) -> ApiResult<Uuid> {
    match parse_global_id(id) {
        Some((k, key)) if k == kind.name() => Ok(key),
        Some(_) | None => Err(ApiError::not_found_at(field, kind.name(), id.as_str())),
    }
}
