//! Family services: referring a family (`refer`: the row, its reference,
//! its plan and the first entry of its status history, one at a time or in
//! bulk) and updating one (`update`: parsed first, then written). Each
//! takes parsed values or checks its input before it writes, writes in one
//! transaction, and finishes through `sync::commit`.

mod refer;
mod update;

pub use refer::{NewFamily, create_family, insert_families, validate_family};
pub use update::{parse_family_update, update_family};

// `refer` writes each new family's first status-history row with these.
use super::{FamilyStatusCause, change_row};
use crate::{
    core::error::{ApiError, ApiResult},
    core::values::parse_language,
};

/// Children ages: 0 to 25, at most 20 children.
fn check_children(ages: &[i32], field: &str) -> ApiResult<()> {
    if ages.len() > 20 {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!("error-children-too-many", max = 20),
        ));
    }
    for (i, age) in ages.iter().enumerate() {
        if !(0..=25).contains(age) {
            return Err(ApiError::bad_input(
                format!("{field}[{i}]"),
                crate::core::locale::tr!("error-child-age", max = 25, age = *age),
            ));
        }
    }
    Ok(())
}

/// Resolves the preferred language, which must be one of the family's languages.
fn preferred_language(
    input: Option<&str>,
    languages: &[(matching::LanguageCode, matching::LanguageLevel)],
) -> ApiResult<Option<String>> {
    let field = "input.preferredLanguage";
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => {
            let code = parse_language(raw, field)?;
            if !languages.iter().any(|(c, _)| *c == code) {
                return Err(ApiError::bad_input(
                    field,
                    crate::core::locale::tr!(
                        "error-preferred-language",
                        language = code.language().code,
                    ),
                ));
            }
            Ok(Some(code.as_str().to_owned()))
        }
    }
}
