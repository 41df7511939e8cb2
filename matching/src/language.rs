//! The language catalogue: ISO 639 codes with English, Dutch and French names, and
//! forgiving lookup of what people type ("Nederlnds", "néerlandais", "Arabisch").
//!
//! A [`LanguageCode`] is always a catalogue entry, so the rest of the crate never sees
//! an unknown language. [`resolve`] turns free text into one; [`search`] ranks the
//! catalogue for a type-ahead.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One language of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language {
    /// ISO 639-1 code where one exists (`"ar"`), otherwise ISO 639-2/3 (`"ber"`, `"prs"`).
    pub code: &'static str,
    /// English name, e.g. `"Arabic"`.
    pub name_en: &'static str,
    /// Dutch name, e.g. `"Arabisch"`.
    pub name_nl: &'static str,
    /// French name, lower case as French writes it, e.g. `"arabe"`.
    pub name_fr: &'static str,
}

const fn lang(
    code: &'static str,
    name_en: &'static str,
    name_nl: &'static str,
    name_fr: &'static str,
) -> Language {
    Language {
        code,
        name_en,
        name_nl,
        name_fr,
    }
}

/// Sorted by code (a unit test checks it), so `LanguageCode`'s order is the code order.
static CATALOGUE: [Language; 98] = [
    lang("af", "Afrikaans", "Afrikaans", "afrikaans"),
    lang("ak", "Akan", "Akan", "akan"),
    lang("am", "Amharic", "Amhaars", "amharique"),
    lang("ar", "Arabic", "Arabisch", "arabe"),
    lang("az", "Azerbaijani", "Azerbeidzjaans", "azerbaïdjanais"),
    lang("be", "Belarusian", "Wit-Russisch", "biélorusse"),
    lang("ber", "Tamazight", "Berbers", "berbère"),
    lang("bg", "Bulgarian", "Bulgaars", "bulgare"),
    lang("bm", "Bambara", "Bambara", "bambara"),
    lang("bn", "Bengali", "Bengaals", "bengali"),
    lang("bs", "Bosnian", "Bosnisch", "bosnien"),
    lang("ca", "Catalan", "Catalaans", "catalan"),
    lang("ce", "Chechen", "Tsjetsjeens", "tchétchène"),
    lang("cs", "Czech", "Tsjechisch", "tchèque"),
    lang("da", "Danish", "Deens", "danois"),
    lang("de", "German", "Duits", "allemand"),
    lang("el", "Greek", "Grieks", "grec"),
    lang("en", "English", "Engels", "anglais"),
    lang("es", "Spanish", "Spaans", "espagnol"),
    lang("et", "Estonian", "Estisch", "estonien"),
    lang("eu", "Basque", "Baskisch", "basque"),
    lang("fa", "Persian", "Perzisch", "persan"),
    lang("ff", "Fula", "Fulfulde", "peul"),
    lang("fi", "Finnish", "Fins", "finnois"),
    lang("fr", "French", "Frans", "français"),
    lang("gu", "Gujarati", "Gujarati", "goudjarati"),
    lang("ha", "Hausa", "Hausa", "haoussa"),
    lang("he", "Hebrew", "Hebreeuws", "hébreu"),
    lang("hi", "Hindi", "Hindi", "hindi"),
    lang("hr", "Croatian", "Kroatisch", "croate"),
    lang(
        "ht",
        "Haitian Creole",
        "Haïtiaans Creools",
        "créole haïtien",
    ),
    lang("hu", "Hungarian", "Hongaars", "hongrois"),
    lang("hy", "Armenian", "Armeens", "arménien"),
    lang("id", "Indonesian", "Indonesisch", "indonésien"),
    lang("ig", "Igbo", "Igbo", "igbo"),
    lang("it", "Italian", "Italiaans", "italien"),
    lang("ja", "Japanese", "Japans", "japonais"),
    lang("ka", "Georgian", "Georgisch", "géorgien"),
    lang("kab", "Kabyle", "Kabylisch", "kabyle"),
    lang("kg", "Kikongo", "Kikongo", "kikongo"),
    lang("kk", "Kazakh", "Kazachs", "kazakh"),
    lang("ko", "Korean", "Koreaans", "coréen"),
    lang("ku", "Kurdish", "Koerdisch", "kurde"),
    lang("ky", "Kyrgyz", "Kirgizisch", "kirghiz"),
    lang("lb", "Luxembourgish", "Luxemburgs", "luxembourgeois"),
    lang("lg", "Luganda", "Luganda", "luganda"),
    lang("ln", "Lingala", "Lingala", "lingala"),
    lang("lt", "Lithuanian", "Litouws", "lituanien"),
    lang("lua", "Tshiluba", "Tshiluba", "tshiluba"),
    lang("lv", "Latvian", "Lets", "letton"),
    lang("mg", "Malagasy", "Malagassisch", "malgache"),
    lang("mk", "Macedonian", "Macedonisch", "macédonien"),
    lang("mn", "Mongolian", "Mongools", "mongol"),
    lang("ms", "Malay", "Maleis", "malais"),
    lang("mt", "Maltese", "Maltees", "maltais"),
    lang("ne", "Nepali", "Nepalees", "népalais"),
    lang("nl", "Dutch", "Nederlands", "néerlandais"),
    lang("no", "Norwegian", "Noors", "norvégien"),
    lang("om", "Oromo", "Oromo", "oromo"),
    lang("pa", "Punjabi", "Punjabi", "pendjabi"),
    lang("pl", "Polish", "Pools", "polonais"),
    lang("prs", "Dari", "Dari", "dari"),
    lang("ps", "Pashto", "Pasjtoe", "pachto"),
    lang("pt", "Portuguese", "Portugees", "portugais"),
    lang("rmy", "Romani", "Romani", "romani"),
    lang("rn", "Kirundi", "Kirundi", "kirundi"),
    lang("ro", "Romanian", "Roemeens", "roumain"),
    lang("ru", "Russian", "Russisch", "russe"),
    lang("rw", "Kinyarwanda", "Kinyarwanda", "kinyarwanda"),
    lang(
        "sfb",
        "French Belgian Sign Language",
        "Frans-Belgische Gebarentaal",
        "langue des signes de Belgique francophone",
    ),
    lang("sg", "Sango", "Sango", "sango"),
    lang("si", "Sinhala", "Singalees", "cingalais"),
    lang("sk", "Slovak", "Slowaaks", "slovaque"),
    lang("sl", "Slovenian", "Sloveens", "slovène"),
    lang("sn", "Shona", "Shona", "shona"),
    lang("so", "Somali", "Somalisch", "somali"),
    lang("sq", "Albanian", "Albanees", "albanais"),
    lang("sr", "Serbian", "Servisch", "serbe"),
    lang("sus", "Susu", "Susu", "soussou"),
    lang("sv", "Swedish", "Zweeds", "suédois"),
    lang("sw", "Swahili", "Swahili", "swahili"),
    lang("ta", "Tamil", "Tamil", "tamoul"),
    lang("tg", "Tajik", "Tadzjieks", "tadjik"),
    lang("th", "Thai", "Thai", "thaï"),
    lang("ti", "Tigrinya", "Tigrinya", "tigrigna"),
    lang("tk", "Turkmen", "Turkmeens", "turkmène"),
    lang("tl", "Tagalog", "Tagalog", "tagalog"),
    lang("tr", "Turkish", "Turks", "turc"),
    lang("ug", "Uyghur", "Oeigoers", "ouïghour"),
    lang("uk", "Ukrainian", "Oekraïens", "ukrainien"),
    lang("ur", "Urdu", "Urdu", "ourdou"),
    lang("uz", "Uzbek", "Oezbeeks", "ouzbek"),
    lang(
        "vgt",
        "Flemish Sign Language",
        "Vlaamse Gebarentaal",
        "langue des signes flamande",
    ),
    lang("vi", "Vietnamese", "Vietnamees", "vietnamien"),
    lang("wo", "Wolof", "Wolof", "wolof"),
    lang("yo", "Yoruba", "Yoruba", "yoruba"),
    lang("zh", "Chinese", "Chinees", "chinois"),
    lang("zu", "Zulu", "Zoeloe", "zoulou"),
];

/// Other names people use, folded on lookup like the catalogue names.
static ALIASES: &[(&str, &str)] = &[
    ("ak", "Twi"),
    ("ak", "Ashanti"),
    ("ar", "Darija"),
    ("ar", "Marokkaans"),
    ("ar", "Marokkaans-Arabisch"),
    ("ar", "Moroccan Arabic"),
    ("ar", "Moroccan"),
    ("ar", "arabe marocain"),
    ("ar", "marocain"),
    ("ar", "Algerijns"),
    ("ar", "Tunesisch"),
    ("ber", "Berber"),
    ("ber", "Amazigh"),
    ("ber", "Tamazigh"),
    ("ber", "Tarifit"),
    ("ber", "Riffian"),
    ("ber", "Rifijns"),
    ("ber", "Riffijns"),
    ("ber", "Riffi"),
    ("ber", "Tarifiyt"),
    ("ber", "Kabyle"),
    ("ber", "Kabylisch"),
    ("ber", "amazighe"),
    ("ber", "Rifain"),
    ("ber", "Tachelhit"),
    ("ber", "Chleuh"),
    ("de", "Deutsch"),
    ("es", "Castellano"),
    ("es", "Español"),
    ("fa", "Farsi"),
    ("ff", "Fulani"),
    ("ff", "Pular"),
    ("ff", "Fulah"),
    ("ff", "Peulh"),
    ("ff", "Pulaar"),
    ("he", "Ivrit"),
    ("ht", "Kreyòl"),
    ("id", "Bahasa Indonesia"),
    ("kg", "Kongo"),
    ("ku", "Kurmanji"),
    ("ku", "Sorani"),
    ("lua", "Ciluba"),
    ("lua", "Luba-Kasai"),
    ("lua", "Luba"),
    ("ms", "Bahasa Melayu"),
    ("ne", "Nepalese"),
    ("nl", "Vlaams"),
    ("nl", "Flemish"),
    ("nl", "flamand"),
    ("no", "Norsk"),
    ("om", "Afaan Oromoo"),
    ("pa", "Panjabi"),
    ("prs", "Dari Persian"),
    ("ps", "Pashtu"),
    ("ps", "Pushto"),
    ("rmy", "Romanes"),
    ("rn", "Rundi"),
    ("rw", "Ikinyarwanda"),
    ("sfb", "LSFB"),
    ("si", "Sinhalese"),
    ("sus", "Soussou"),
    ("sus", "Soso"),
    ("sus", "Sosso"),
    ("sw", "Kiswahili"),
    ("tl", "Filipino"),
    ("tr", "Türkçe"),
    ("vgt", "VGT"),
    ("zh", "Mandarin"),
];

// `LanguageCode` stores an index; the language sets of the index are 128-bit masks.
const _: () = assert!(CATALOGUE.len() <= 128);

/// Every language of the catalogue, sorted by code.
pub fn catalogue() -> &'static [Language] {
    &CATALOGUE
}

/// A language of the catalogue. Only [`LanguageCode::parse_code`] and [`resolve`] make
/// one, so holding one proves the language is known.
///
/// Ordered like the codes (`"am" < "ar" < "ber"`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LanguageCode(u8);

impl LanguageCode {
    /// The ISO 639 code, e.g. `"ar"`.
    pub fn as_str(&self) -> &'static str {
        self.language().code
    }

    /// The catalogue entry, with its names.
    pub fn language(&self) -> &'static Language {
        &CATALOGUE[usize::from(self.0)]
    }

    /// The exact catalogue code (`"ar"`, `"ber"`), nothing else: no trimming, no case
    /// folding, no names. `None` when the catalogue has no such code.
    pub fn parse_code(code: &str) -> Option<LanguageCode> {
        CATALOGUE
            .binary_search_by(|l| l.code.cmp(code))
            .ok()
            .and_then(|i| u8::try_from(i).ok())
            .map(LanguageCode)
    }

    /// Position in the catalogue (0..128): the bit of this language in a language mask.
    pub(crate) fn index(&self) -> usize {
        usize::from(self.0)
    }

    /// The code at catalogue position `index`, if there is one.
    pub(crate) fn from_index(index: usize) -> Option<LanguageCode> {
        if index < CATALOGUE.len() {
            u8::try_from(index).ok().map(LanguageCode)
        } else {
            None
        }
    }
}

impl fmt::Debug for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LanguageCode({:?})", self.as_str())
    }
}

impl fmt::Display for LanguageCode {
    /// The code, e.g. `ar`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Free text that matched no language well enough; carries the closest ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage {
    /// What was typed, as given.
    pub input: String,
    /// Up to 3 catalogue languages that look most like it, best first (may be empty).
    pub suggestions: Vec<&'static Language>,
}

impl fmt::Display for UnknownLanguage {
    /// `unknown language "Klingon"; did you mean Lingala, Kikongo or Tagalog?`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown language \"{}\"", self.input)?;
        let names: Vec<&str> = self.suggestions.iter().map(|l| l.name_en).collect();
        match names.as_slice() {
            [] => Ok(()),
            [one] => write!(f, "; did you mean {one}?"),
            [init @ .., last] => write!(f, "; did you mean {} or {last}?", init.join(", ")),
        }
    }
}

impl std::error::Error for UnknownLanguage {}

/// Lower case, accents removed, anything but letters and digits turned into single
/// spaces: `"  Néerlandais "` -> `"neerlandais"`, `"Wit-Russisch"` -> `"wit russisch"`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

struct Lookup {
    /// Folded code, name or alias -> catalogue index.
    exact: HashMap<String, u8>,
    /// Every folded name and alias (codes excluded) with its catalogue index.
    names: Vec<(String, u8)>,
}

fn lookup_table() -> &'static Lookup {
    static TABLE: OnceLock<Lookup> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut exact = HashMap::new();
        let mut names = Vec::new();
        for (i, l) in CATALOGUE.iter().enumerate() {
            let Ok(i) = u8::try_from(i) else { continue };
            exact.insert(fold(l.code), i);
            for name in [l.name_en, l.name_nl, l.name_fr] {
                names.push((fold(name), i));
            }
        }
        for (code, alias) in ALIASES {
            if let Some(code) = LanguageCode::parse_code(code) {
                names.push((fold(alias), code.0));
            }
        }
        for (name, i) in &names {
            exact.entry(name.clone()).or_insert(*i);
        }
        Lookup { exact, names }
    })
}

/// How much folded input `q` looks like folded name `name`, in [0, 1]: 1 when equal,
/// otherwise the better of the normalised Damerau-Levenshtein similarity and, when `q`
/// starts the name, 0.8 plus a share for how much of the name it covers.
fn similarity(q: &str, name: &str) -> f64 {
    if q == name {
        return 1.0;
    }
    let edit = strsim::normalized_damerau_levenshtein(q, name);
    let q_len = q.chars().count();
    if q_len >= 2 && name.starts_with(q) {
        let covered = q_len as f64 / name.chars().count() as f64;
        edit.max(0.8 + 0.2 * covered)
    } else {
        edit
    }
}

/// Each catalogue language with its best similarity to folded `q`, best first; ties in
/// catalogue order.
fn ranked(q: &str) -> Vec<(f64, u8)> {
    let table = lookup_table();
    let mut best = vec![0.0_f64; CATALOGUE.len()];
    for (name, i) in &table.names {
        let s = similarity(q, name);
        let slot = &mut best[usize::from(*i)];
        if s > *slot {
            *slot = s;
        }
    }
    let mut ranked: Vec<(f64, u8)> = best
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| u8::try_from(i).ok().map(|i| (s, i)))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
}

/// Below this similarity a language is not offered as a suggestion.
const SUGGESTION_FLOOR: f64 = 0.3;
/// From this similarity (and a clear winner) free text resolves to a language.
const RESOLVE_THRESHOLD: f64 = 0.75;
/// A runner-up this close to the best makes the input ambiguous.
const AMBIGUITY_MARGIN: f64 = 0.02;

/// The catalogue languages that look most like `input`, best first, at most `n`.
///
/// Compares the folded input with every English, Dutch and French name and the usual
/// other names ("Farsi", "Amazigh"); a name the input starts with ranks high, which
/// suits a type-ahead. Languages that look nothing like the input are left out, so the
/// list may be shorter than `n`; empty input gives an empty list.
pub fn search(input: &str, n: usize) -> Vec<&'static Language> {
    let q = fold(input);
    if q.is_empty() {
        return Vec::new();
    }
    ranked(&q)
        .into_iter()
        .take_while(|(s, _)| *s >= SUGGESTION_FLOOR)
        .take(n)
        .map(|(_, i)| &CATALOGUE[usize::from(i)])
        .collect()
}

/// Free text to a language: a code (`"ar"`, `"AR"`) or a name in English, Dutch or French
/// (`"Arabic"`, `"Arabisch"`, `"arabe"`), with case and accents ignored
/// (`"neerlandais"`), and small typos forgiven (`"Nederlnds"`) when one language is
/// clearly the closest. Inputs of three letters or fewer must match exactly.
///
/// Otherwise the error carries up to 3 suggestions, best first.
pub fn resolve(input: &str) -> Result<LanguageCode, UnknownLanguage> {
    let q = fold(input);
    let table = lookup_table();
    if let Some(i) = table.exact.get(&q) {
        return Ok(LanguageCode(*i));
    }
    let ranked = if q.is_empty() { Vec::new() } else { ranked(&q) };
    if q.chars().count() > 3
        && let [(best, i), rest @ ..] = ranked.as_slice()
        && *best >= RESOLVE_THRESHOLD
        && rest
            .first()
            .is_none_or(|(second, _)| best - second >= AMBIGUITY_MARGIN)
    {
        return Ok(LanguageCode(*i));
    }
    Err(UnknownLanguage {
        input: input.to_owned(),
        suggestions: ranked
            .into_iter()
            .take_while(|(s, _)| *s >= SUGGESTION_FLOOR)
            .take(3)
            .map(|(_, i)| &CATALOGUE[usize::from(i)])
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        resolve(input)
            .unwrap_or_else(|e| panic!("{input}: {e}"))
            .as_str()
    }

    #[test]
    fn catalogue_is_sorted_unique_and_covers_brussels() {
        assert!(catalogue().len() >= 60);
        assert!(catalogue().windows(2).all(|w| w[0].code < w[1].code));
        for c in [
            "nl", "fr", "en", "de", "ar", "ber", "tr", "es", "pt", "it", "pl", "ro", "bg", "ru",
            "uk", "fa", "prs", "ps", "so", "ti", "am", "ln", "sw", "ur", "hi", "bn", "pa", "zh",
            "vi", "sq", "sr", "bs", "hr", "ku", "hy", "ka", "el", "wo", "ff", "rn", "rw", "mg",
            "tl",
        ] {
            assert!(LanguageCode::parse_code(c).is_some(), "{c} missing");
        }
    }

    #[test]
    fn the_names_people_use_in_brussels_resolve() {
        for (name, want) in [
            ("Marokkaans", "ar"),
            ("marocain", "ar"),
            ("Darija", "ar"),
            ("Berbers", "ber"),
            ("Tamazight", "ber"),
            ("Riffijns", "ber"),
            ("Rifijns", "ber"),
            ("Soussou", "sus"),
            ("Peul", "ff"),
            ("Fulfulde", "ff"),
            ("Lingala", "ln"),
            ("Tshiluba", "lua"),
        ] {
            assert_eq!(code(name), want, "{name}");
        }
    }

    #[test]
    fn every_name_of_every_language_resolves_to_itself() {
        for l in catalogue() {
            for name in [l.code, l.name_en, l.name_nl, l.name_fr] {
                assert_eq!(code(name), l.code, "{name}");
            }
        }
    }

    #[test]
    fn resolve_forgives_case_accents_and_typos() {
        assert_eq!(code("Nederlnds"), "nl");
        assert_eq!(code("néerlandais"), "nl");
        assert_eq!(code("NEERLANDAIS"), "nl");
        assert_eq!(code("Arabisch"), "ar");
        assert_eq!(code("arabe"), "ar");
        assert_eq!(code(" AR "), "ar");
        assert_eq!(code("Turks"), "tr");
        assert_eq!(code("Tamazight"), "ber");
        assert_eq!(code("Berbers"), "ber");
        assert_eq!(code("berbère"), "ber");
        assert_eq!(code("Amazigh"), "ber");
        assert_eq!(code("Dari"), "prs");
        assert_eq!(code("Farsi"), "fa");
        assert_eq!(code("Persian"), "fa");
        assert_eq!(code("Portugese"), "pt");
        assert_eq!(code("Oekraiens"), "uk");
        assert_eq!(code("Somalish"), "so");
        assert_eq!(code("wit russisch"), "be");
    }

    #[test]
    fn unknown_names_fail_with_suggestions() {
        let err = resolve("Klingon").unwrap_err();
        assert_eq!(err.input, "Klingon");
        assert!(!err.suggestions.is_empty() && err.suggestions.len() <= 3);
        assert!(
            err.to_string()
                .starts_with("unknown language \"Klingon\"; did you mean ")
        );
        let err = resolve("Arabishh Turkss").unwrap_err();
        assert!(err.suggestions.len() <= 3);
        assert!(resolve("").is_err());
        assert!(resolve("xx").is_err());
        assert_eq!(code("Nederlnd"), "nl");
    }

    #[test]
    fn parse_code_is_exact() {
        assert_eq!(
            LanguageCode::parse_code("ber").unwrap().language().name_nl,
            "Berbers"
        );
        assert!(LanguageCode::parse_code("AR").is_none());
        assert!(LanguageCode::parse_code(" ar").is_none());
        assert!(LanguageCode::parse_code("Arabic").is_none());
    }

    #[test]
    fn codes_order_like_their_text() {
        let ar = LanguageCode::parse_code("ar").unwrap();
        let ber = LanguageCode::parse_code("ber").unwrap();
        assert!(ar < ber);
        assert_eq!(format!("{ar:?}"), "LanguageCode(\"ar\")");
        assert_eq!(LanguageCode::from_index(ar.index()), Some(ar));
    }

    #[test]
    fn search_ranks_prefixes_and_near_names_first() {
        let first = |q: &str| search(q, 5).first().map(|l| l.code);
        assert_eq!(first("ara"), Some("ar"));
        assert_eq!(first("Portu"), Some("pt"));
        assert_eq!(first("nederl"), Some("nl"));
        assert_eq!(search("ara", 2).len(), 2);
        assert!(search("", 5).is_empty());
        assert!(search("ar", 0).is_empty());
    }
}
