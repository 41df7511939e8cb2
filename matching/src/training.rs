//! The training catalogue: the modules of the network's volunteer training,
//! with Dutch, French and English names, the crisis types that require each,
//! the modules every match requires, and how long a completion counts.
//!
//! [`Policy::with_today`](crate::Policy::with_today) takes its training rules
//! from here; [`resolve_module`] turns what people type (`"basis"`,
//! `"Kindveiligheid"`, `"child safty"`) into a module, like
//! [`resolve`](crate::resolve) does for languages.

use std::fmt;

use crate::language::fold;
use crate::profile::CrisisType;

/// One module of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrainingModule {
    /// Stable code, upper case: `"BASIC"`.
    pub code: &'static str,
    /// Dutch name.
    pub name_nl: &'static str,
    /// French name.
    pub name_fr: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Crisis types for which a volunteer needs this module to be matched.
    pub required_for: &'static [CrisisType],
    /// Needed for every match.
    pub required_for_every_match: bool,
    /// How many months a completion counts; `None`: for good.
    pub valid_for_months: Option<u32>,
    /// Other names people use for it.
    pub aliases: &'static [&'static str],
}

/// The catalogue, in the order the network teaches the modules.
pub static TRAINING_MODULES: [TrainingModule; 6] = [
    TrainingModule {
        code: "BASIC",
        name_nl: "Basisvorming",
        name_fr: "Formation de base",
        name_en: "Basic training",
        required_for: &[],
        required_for_every_match: true,
        valid_for_months: None,
        aliases: &["basis", "base", "basic"],
    },
    TrainingModule {
        code: "CHILD_SAFETY",
        name_nl: "Kindveiligheid",
        name_fr: "Sécurité de l'enfant",
        name_en: "Child safety",
        required_for: &[CrisisType::ChildSafetyConcern],
        required_for_every_match: false,
        valid_for_months: None,
        aliases: &["kinderrechten", "child protection"],
    },
    TrainingModule {
        code: "DOMESTIC_VIOLENCE",
        name_nl: "Intrafamiliaal geweld",
        name_fr: "Violence intrafamiliale",
        name_en: "Domestic violence",
        required_for: &[CrisisType::DomesticViolence],
        required_for_every_match: false,
        valid_for_months: None,
        aliases: &["ifg", "huiselijk geweld", "violence conjugale"],
    },
    TrainingModule {
        code: "FIRST_AID",
        name_nl: "EHBO",
        name_fr: "Premiers secours",
        name_en: "First aid",
        required_for: &[],
        required_for_every_match: false,
        valid_for_months: Some(36),
        aliases: &["eerste hulp", "secourisme"],
    },
    TrainingModule {
        code: "TRAUMA_INFORMED",
        name_nl: "Traumasensitief werken",
        name_fr: "Approche sensible au trauma",
        name_en: "Trauma-informed care",
        required_for: &[],
        required_for_every_match: false,
        valid_for_months: None,
        aliases: &["trauma"],
    },
    TrainingModule {
        code: "NEWCOMERS",
        name_nl: "Werken met nieuwkomers",
        name_fr: "Accompagner les primo-arrivants",
        name_en: "Supporting newcomers",
        required_for: &[],
        required_for_every_match: false,
        valid_for_months: None,
        aliases: &["nieuwkomers", "primo arrivants", "newcomers"],
    },
];

/// The module with this code (trimmed, any case), if the catalogue has one.
pub fn training_module(code: &str) -> Option<&'static TrainingModule> {
    let code = code.trim();
    TRAINING_MODULES
        .iter()
        .find(|m| m.code.eq_ignore_ascii_case(code))
}

/// Free text that names no module of the catalogue, with the closest ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownModule {
    /// What was typed.
    pub input: String,
    /// Up to three modules that look like it, best first.
    pub suggestions: Vec<&'static TrainingModule>,
}

impl fmt::Display for UnknownModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown training module {:?}", self.input.trim())
    }
}

impl std::error::Error for UnknownModule {}

/// How much folded `q` looks like folded `name`, in [0, 1] (a prefix of the
/// name counts high, as for languages).
fn similarity(q: &str, name: &str) -> f64 {
    if q == name {
        return 1.0;
    }
    let edit = strsim::normalized_damerau_levenshtein(q, name);
    let q_len = q.chars().count();
    if q_len >= 3 && name.starts_with(q) {
        edit.max(0.8 + 0.2 * q_len as f64 / name.chars().count() as f64)
    } else {
        edit
    }
}

/// Free text to a module: its code (`"CHILD_SAFETY"`, `"child safety"`), a
/// name in Dutch, French or English, or a usual other name (`"basis"`), case
/// and accents ignored, small typos forgiven when one module is clearly the
/// closest. Otherwise the error carries up to three suggestions.
pub fn resolve_module(input: &str) -> Result<&'static TrainingModule, UnknownModule> {
    let q = fold(input);
    let mut ranked: Vec<(f64, &'static TrainingModule)> = TRAINING_MODULES
        .iter()
        .map(|m| {
            let names = [m.code, m.name_nl, m.name_fr, m.name_en]
                .into_iter()
                .chain(m.aliases.iter().copied());
            let best = names
                .map(|name| similarity(&q, &fold(name)))
                .fold(0.0, f64::max);
            (best, m)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    if let [(best, module), rest @ ..] = ranked.as_slice()
        && (*best == 1.0
            || (q.chars().count() > 3
                && *best >= 0.8
                && rest.first().is_none_or(|(second, _)| best - second >= 0.05)))
    {
        return Ok(module);
    }
    Err(UnknownModule {
        input: input.to_owned(),
        suggestions: ranked
            .into_iter()
            .filter(|(s, _)| !q.is_empty() && *s >= 0.3)
            .take(3)
            .map(|(_, m)| m)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        resolve_module(input)
            .unwrap_or_else(|e| panic!("{input}: {e}"))
            .code
    }

    #[test]
    fn codes_names_aliases_and_typos_resolve() {
        assert_eq!(code("BASIC"), "BASIC");
        assert_eq!(code("basis"), "BASIC");
        assert_eq!(code("Basisvorming"), "BASIC");
        assert_eq!(code("child_safety"), "CHILD_SAFETY");
        assert_eq!(code("Sécurité de l'enfant"), "CHILD_SAFETY");
        assert_eq!(code("child safty"), "CHILD_SAFETY");
        assert_eq!(code("Intrafamiliaal geweld"), "DOMESTIC_VIOLENCE");
        assert_eq!(code("ehbo"), "FIRST_AID");
    }

    #[test]
    fn unknown_modules_come_with_suggestions() {
        let e = resolve_module("juggling").unwrap_err();
        assert!(e.suggestions.len() <= 3);
        let e = resolve_module("").unwrap_err();
        assert!(e.suggestions.is_empty());
        let e = resolve_module("first help").unwrap_err();
        assert_eq!(e.suggestions[0].code, "FIRST_AID");
        assert_eq!(code("violence"), "DOMESTIC_VIOLENCE");
    }

    #[test]
    fn codes_are_unique_and_upper_case() {
        for (i, m) in TRAINING_MODULES.iter().enumerate() {
            assert_eq!(m.code, m.code.to_uppercase());
            assert!(TRAINING_MODULES[..i].iter().all(|o| o.code != m.code));
            assert_eq!(training_module(&m.code.to_lowercase()), Some(m));
        }
    }
}
