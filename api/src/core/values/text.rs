//! Input hygiene, in one place: [`check_text`] is what every text input of
//! every request meets before anything runs (the request pipeline applies
//! it to each string argument, by its [`TextKind`]), and [`required_text`],
//! [`new_password`] and [`email`] apply the same rules to what they parse;
//! fuzzy name search ([`fold`], [`fuzzy_matches`]).

use crate::core::{
    error::{ApiError, ApiResult},
    locale::tr,
};

/// Trims a required text and checks its length (1..=max characters) and
/// its characters (no control characters but newline and tab).
pub fn required_text(value: &str, field: &str, max: usize) -> ApiResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ApiError::bad_input(
            field,
            tr!("error-empty", field = field),
        ));
    }
    check_length(field, trimmed, max)?;
    check_characters(field, TextKind::FreeText, trimmed)?;
    Ok(trimmed.to_owned())
}

/// Like [`required_text`] for an optional text; blank becomes `None`.
pub fn optional_text(value: Option<&str>, field: &str, max: usize) -> ApiResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required_text(v, field, max).map(Some),
    }
}

/// Folds case and accents for fuzzy search ("Élodie" -> "elodie").
pub fn fold(text: &str) -> String {
    matching::fold(text)
}

/// Whether `name` matches a fuzzy `search`: every word of the search is a
/// prefix of, or within a small edit distance of, some word of the name.
/// Only the first [`TextKind::Search`] characters of `search` count, so the
/// work stays bounded whoever calls it.
pub fn fuzzy_matches(name: &str, search: &str) -> bool {
    let name = fold(name);
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let bounded: String = search.chars().take(TextKind::Search.max_chars()).collect();
    let search = fold(&bounded);
    search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|term| {
            words.iter().any(|word| {
                word.starts_with(term)
                    || word.contains(term) && term.len() >= 3
                    || strsim::jaro_winkler(word, term) >= 0.88
            })
        })
}

/// What a text input is, told by its name (the argument or input field it
/// is given as): each kind has a longest length and the characters it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextKind {
    /// A language code or name (`language`, `languages`, `preferredLanguage`): 64 characters.
    Language,
    /// A search string (`search`): 200 characters.
    Search,
    /// A person's, family's or organisation's name and other one-line labels
    /// (`name`, `...Name`, `organization`, `relation`, `pointOfContact`,
    /// `role`, `module`, `phone`): 200 characters.
    Name,
    /// An email address (`email`, `...Email`): 254 characters.
    Email,
    /// A password (`password`, `...Password`): 1,024 characters.
    Password,
    /// Short codes (`postalCode`, `nearPostalCode`, `start`, `end`): 32 characters.
    Code,
    /// Global IDs and cursors (`id`, `...Id`, `...Ids`, `after`, `before`): 256 characters.
    Key,
    /// Anything else: notes, descriptions, reasons. 5,000 characters; newlines and tabs allowed.
    FreeText,
}

impl TextKind {
    /// The kind of the input named `name`.
    pub fn of(name: &str) -> TextKind {
        match name {
            "language" | "languages" | "preferredLanguage" => TextKind::Language,
            "search" => TextKind::Search,
            "name" | "displayName" | "organization" | "relation" | "pointOfContact" | "role"
            | "module" | "phone" => TextKind::Name,
            "email" => TextKind::Email,
            "password" => TextKind::Password,
            "postalCode" | "nearPostalCode" | "start" | "end" => TextKind::Code,
            "id" | "after" | "before" => TextKind::Key,
            _ if name.ends_with("Id") || name.ends_with("Ids") => TextKind::Key,
            _ if name.ends_with("Password") => TextKind::Password,
            _ if name.ends_with("Email") => TextKind::Email,
            _ if name.ends_with("Name") => TextKind::Name,
            _ => TextKind::FreeText,
        }
    }

    /// The most characters an input of this kind may have.
    pub fn max_chars(self) -> usize {
        match self {
            TextKind::Language => 64,
            TextKind::Search | TextKind::Name => 200,
            TextKind::Email => 254,
            TextKind::Password => 1_024,
            TextKind::Code => 32,
            TextKind::Key => 256,
            TextKind::FreeText => 5_000,
        }
    }

    /// Whether the text is one line (no newline or tab either).
    fn one_line(self) -> bool {
        !matches!(self, TextKind::FreeText | TextKind::Password)
    }

    /// Whether bidirectional overrides and zero-width characters are refused:
    /// in names and every other one-line text, where they disguise what is
    /// shown (`Ali\u{202e}ecnirp` reads as "Aliprince").
    fn plain(self) -> bool {
        self.one_line()
    }
}

/// Bidirectional embeddings, overrides and isolates, and zero-width
/// characters: invisible, and able to make a text read as another.
fn is_disguise(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{FEFF}'
    )
}

/// Checks one text input of kind `kind` given as `field`: its length (the
/// byte length decides first where it can, so an oversized input costs
/// nothing) and its [characters](check_characters).
pub fn check_text(field: &str, kind: TextKind, text: &str) -> ApiResult<()> {
    check_length(field, text, kind.max_chars())?;
    check_characters(field, kind, text)
}

/// At most `max` characters; the byte length decides without counting
/// when it can (a character is 1 to 4 bytes).
fn check_length(field: &str, text: &str, max: usize) -> ApiResult<()> {
    if text.len() > max && (text.len() > 4 * max || text.chars().count() > max) {
        return Err(ApiError::bad_input(
            field,
            tr!("error-too-long", field = field, max = max),
        ));
    }
    Ok(())
}

/// No control characters (none at all in one-line texts; newline and tab
/// allowed in free text), and no bidirectional-override or zero-width
/// characters in one-line texts.
pub fn check_characters(field: &str, kind: TextKind, text: &str) -> ApiResult<()> {
    for c in text.chars() {
        if c.is_control() && (kind.one_line() || !matches!(c, '\n' | '\t')) {
            let message = if kind.one_line() {
                tr!("error-control-characters-one-line", field = field)
            } else {
                tr!("error-control-characters", field = field)
            };
            return Err(ApiError::bad_input(field, message));
        }
        if kind.plain() && is_disguise(c) {
            return Err(ApiError::bad_input(
                field,
                tr!("error-disguise", field = field),
            ));
        }
    }
    Ok(())
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Passwords long enough for the length rule that every guessing list starts with.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456123456",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "qwertyuiop12",
    "qwerty123456",
    "qwertyuiopas",
    "azertyuiop12",
    "azerty123456",
    "iloveyou1234",
    "abcdefghijkl",
    "abc123abc123",
    "1q2w3e4r5t6y",
    "welkom123456",
    "wachtwoord12",
    "wachtwoord123",
    "motdepasse12",
    "motdepasse123",
    "bienvenue123",
    "changeme1234",
    "letmein12345",
    "administrator",
];

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters, not
/// one character repeated, not one of the most common passwords, no
/// control characters. BAD_USER_INPUT on `field` otherwise.
pub fn new_password(field: &str, password: &str) -> ApiResult<()> {
    check_text(field, TextKind::Password, password)?;
    let mut chars = password.chars();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::bad_input(
            field,
            tr!("error-password-short", min = MIN_PASSWORD_CHARS),
        ));
    }
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err(ApiError::bad_input(field, tr!("error-password-repeated")));
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(ApiError::bad_input(field, tr!("error-password-common")));
    }
    Ok(())
}

/// Parses an email address into its stored form (trimmed, lower-case):
/// one `@` between a local part of 1 to 64 characters and a domain of at
/// least two dot-separated labels (letters, digits, hyphens), the last one
/// of two letters or more. BAD_USER_INPUT on `field` otherwise.
pub fn email(field: &str, raw: &str) -> ApiResult<String> {
    let email = raw.trim().to_lowercase();
    check_text(field, TextKind::Email, &email)?;
    let bad = || {
        ApiError::bad_input(
            field,
            tr!("error-not-an-email", input = format!("{:?}", raw.trim())),
        )
    };
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let local_ok = (1..=64).contains(&local.chars().count())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.chars().count())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    if local_ok && domain_ok {
        Ok(email)
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_checked_by_kind() {
        assert!(check_text("name", TextKind::Name, "Élodie Janssens-El Amrani").is_ok());
        assert!(check_text("notes", TextKind::FreeText, "line\n\tindented").is_ok());
        for (kind, bad) in [
            (TextKind::Name, "a\u{0}b"),
            (TextKind::Name, "two\nlines"),
            (TextKind::Name, "Ali\u{202e}ecnirp"),
            (TextKind::Name, "zero\u{200b}width"),
            (TextKind::FreeText, "bell\u{7}"),
            (TextKind::FreeText, "\u{1b}[31m"),
            (TextKind::Key, "Family:\u{0}"),
        ] {
            assert!(check_text("f", kind, bad).is_err(), "{bad:?}");
        }
        assert!(check_text("l", TextKind::Language, &"é".repeat(64)).is_ok());
        assert!(check_text("l", TextKind::Language, &"é".repeat(65)).is_err());
        assert_eq!(TextKind::of("volunteerId"), TextKind::Key);
        assert_eq!(TextKind::of("familyIds"), TextKind::Key);
        assert_eq!(TextKind::of("notes"), TextKind::FreeText);
        assert_eq!(TextKind::of("newPassword"), TextKind::Password);
        assert_eq!(TextKind::of("helperName"), TextKind::Name);
    }

    #[test]
    fn weak_passwords_and_implausible_emails_are_refused() {
        assert!(new_password("p", "correct horse battery staple").is_ok());
        for weak in ["short", "            ", "aaaaaaaaaaaa", "Password1234"] {
            assert!(new_password("p", weak).is_err(), "{weak:?}");
        }
        assert_eq!(
            email("e", " Anna.Peeters@Example.ORG ").ok().as_deref(),
            Some("anna.peeters@example.org")
        );
        for bad in [
            "@",
            "a@b",
            "a@b.c",
            "no-at.example.org",
            "a@@b.org",
            "a b@c.org",
            ".a@b.org",
            "a@-b.org",
        ] {
            assert!(email("e", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fuzzy_search_tolerates_typos_and_accents() {
        assert!(fuzzy_matches("Élodie Janssens", "elodie"));
        assert!(fuzzy_matches("Élodie Janssens", "Jansens"));
        assert!(fuzzy_matches("Youssef El Amrani", "amrani youssef"));
        assert!(!fuzzy_matches("Youssef El Amrani", "Peeters"));
    }
}
