//! The families' DataLoaders: a family, its languages and its children by key.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{family, family_child, family_language};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::Child;
use crate::{
    core::loaders::{DbLoader, LoadError, group_by},
    core::values::LanguageSkill,
};

/// A (not erased) family by key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FamilyById(pub Uuid);
/// A family's languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FamilyLanguages(pub Uuid);
/// A family's children.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FamilyChildren(pub Uuid);

impl Loader<FamilyById> for DbLoader {
    type Value = family::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FamilyById],
    ) -> Result<HashMap<FamilyById, Self::Value>, Self::Error> {
        let rows = family::Entity::find()
            .filter(family::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .filter(family::Column::ErasedAt.is_null())
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (FamilyById(r.id), r)).collect())
    }
}

impl Loader<FamilyLanguages> for DbLoader {
    type Value = Vec<LanguageSkill>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FamilyLanguages],
    ) -> Result<HashMap<FamilyLanguages, Self::Value>, Self::Error> {
        let rows = family_language::Entity::find()
            .filter(family_language::Column::FamilyId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(family_language::Column::Position)
            .all(&self.db)
            .await?;
        Ok(group_by(keys, rows, |r| FamilyLanguages(r.family_id))
            .into_iter()
            .map(|(k, rows)| {
                let skills = rows
                    .iter()
                    .filter_map(|r| LanguageSkill::from_row(&r.language_code, r.level).ok())
                    .collect();
                (k, skills)
            })
            .collect())
    }
}

impl Loader<FamilyChildren> for DbLoader {
    type Value = Vec<Child>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FamilyChildren],
    ) -> Result<HashMap<FamilyChildren, Self::Value>, Self::Error> {
        let rows = family_child::Entity::find()
            .filter(family_child::Column::FamilyId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(family_child::Column::Position)
            .all(&self.db)
            .await?;
        Ok(group_by(keys, rows, |r| FamilyChildren(r.family_id))
            .into_iter()
            .map(|(k, rows)| {
                (
                    k,
                    rows.into_iter()
                        .map(|r| Child {
                            age_years: r.age_years,
                        })
                        .collect(),
                )
            })
            .collect())
    }
}
