//! The families a request read, noted where the read happens (the
//! enforcement point, and resolvers that hand out a family's data) and
//! written to the audit trail by the request pipeline before the request
//! answers (`audit::AuditTrail::flush`, `audit::AuditWriter`). Here, below
//! every layer that reads, so that the enforcement point (`auth`) notes
//! reads without depending on the audit writer.

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex},
};

use async_graphql::Context;
use uuid::Uuid;

/// The families whose personal data one request read.
#[derive(Debug, Default)]
pub struct AuditTrail {
    read: Mutex<BTreeSet<Uuid>>,
}

impl AuditTrail {
    /// The families noted so far, taken out (so each is written once); `None`
    /// if a panic left the set poisoned.
    pub fn families_read(&self) -> Option<Vec<Uuid>> {
        let mut set = self.read.lock().ok()?;
        Some(std::mem::take(&mut *set).into_iter().collect())
    }
}

/// Notes that this request read a family's personal data.
pub fn note_read(ctx: &Context<'_>, family_id: Uuid) {
    if let Some(trail) = ctx.data_opt::<Arc<AuditTrail>>()
        && let Ok(mut set) = trail.read.lock()
    {
        set.insert(family_id);
    }
}
