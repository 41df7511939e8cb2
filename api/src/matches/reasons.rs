//! The matching engine's reasons, said in a locale: one sentence per
//! criterion of a candidate ([`sentence`]), and why a family is left out of
//! a proposal ([`unassigned_detail`]). The engine gives the facts and a code;
//! the words come from the message catalogue ([`crate::core::locale`]).

use matching::{CrisisSet, LanguageCode, LanguageLevel, Reason, TimeSlot, UnassignedCause};

use crate::core::locale::{Locale, decimal, list_and, n, s, text_in};

fn language_name(locale: Locale, code: LanguageCode) -> String {
    let language = code.language();
    match locale {
        Locale::Nl => language.name_nl,
        Locale::Fr => language.name_fr,
        Locale::En => language.name_en,
    }
    .to_owned()
}

fn languages(locale: Locale, codes: &[LanguageCode]) -> String {
    let names: Vec<String> = codes.iter().map(|c| language_name(locale, *c)).collect();
    list_and(locale, &names)
}

fn km(locale: Locale, value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e6 {
        matching::format_km(value)
    } else {
        decimal(locale, value)
    }
}

/// `2 u 30 min`, `2 h`, `45 min`.
pub fn duration(locale: Locale, minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => text_in(locale, "duration-minutes", &[("minutes", n(m))]),
        (h, 0) => text_in(locale, "duration-hours", &[("hours", n(h))]),
        (h, m) => text_in(
            locale,
            "duration-hours-minutes",
            &[("hours", n(h)), ("minutes", n(m))],
        ),
    }
}

fn window(locale: Locale, slot: &TimeSlot) -> String {
    format!(
        "{} {}-{}",
        text_in(locale, &format!("weekday-{}", slot.day.as_str()), &[]),
        slot.start_hhmm(),
        slot.end_hhmm()
    )
}

fn needs(locale: Locale, set: CrisisSet) -> String {
    set.iter()
        .map(|t| text_in(locale, &format!("crisis-{}", t.as_str()), &[]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sentence of one match reason in `locale`.
pub fn sentence(locale: Locale, reason: &Reason) -> String {
    let id = format!("reason-{}", reason.code());
    let t = |args: &[(&str, crate::core::locale::Arg)]| text_in(locale, &id, args);
    match reason {
        Reason::FamilyHasNoLanguage | Reason::NoTimeInCommon | Reason::NoNeedsNamed => t(&[]),
        Reason::NoSharedLanguage { family } => t(&[("languages", s(languages(locale, family)))]),
        Reason::SpeaksLanguage {
            language,
            level,
            preferred,
            also,
        } => speaks(locale, &id, *language, *level, *preferred, also),
        Reason::SpeaksSomeLanguage => text_in(locale, "reason-speaks-some-language", &[]),
        Reason::WithinTravelDistance {
            distance_km,
            max_travel_km,
        }
        | Reason::BeyondTravelDistance {
            distance_km,
            max_travel_km,
        } => t(&[
            ("distance", s(decimal(locale, *distance_km))),
            ("reach", s(km(locale, *max_travel_km))),
        ]),
        Reason::TravelDistanceUnknown { distance_km } => {
            t(&[("distance", s(decimal(locale, *distance_km)))])
        }
        Reason::AvailabilityUnknown {
            family_gave,
            volunteer_gave,
        } => {
            let id = match (family_gave, volunteer_gave) {
                (false, false) => "reason-availability-unknown-both",
                (false, true) => "reason-availability-unknown-family",
                _ => "reason-availability-unknown-volunteer",
            };
            text_in(locale, id, &[])
        }
        Reason::TimeInCommon {
            minutes,
            windows,
            needed,
        } => time_in_common(locale, &id, *minutes, windows, *needed),
        Reason::Needs { family, known } => t(&[
            ("count", n(u32::try_from(family.len()).unwrap_or(0))),
            ("known", n(u32::try_from(known.len()).unwrap_or(0))),
            (
                "needs",
                s(needs(
                    locale,
                    if known.is_empty() { *family } else { *known },
                )),
            ),
        ]),
    }
}

/// "Speaks {language} ({level})", with the family's preferred language and
/// the other languages they share.
fn speaks(
    locale: Locale,
    id: &str,
    language: LanguageCode,
    level: LanguageLevel,
    preferred: Option<LanguageCode>,
    also: &[LanguageCode],
) -> String {
    let level = text_in(locale, &format!("level-{}", level.as_str()), &[]);
    let mut args = vec![
        ("language", s(language_name(locale, language))),
        ("level", s(level)),
    ];
    if let Some(p) = preferred {
        args.push(("preferred", s(language_name(locale, p))));
    }
    let sentence = text_in(locale, id, &args);
    if also.is_empty() {
        sentence
    } else {
        text_in(
            locale,
            "reason-also",
            &[
                ("sentence", s(sentence)),
                ("languages", s(languages(locale, also))),
            ],
        )
    }
}

/// The time they have in common, with at most three of its windows.
fn time_in_common(
    locale: Locale,
    id: &str,
    minutes: u32,
    windows: &[TimeSlot],
    needed: Option<u32>,
) -> String {
    let shown: Vec<String> = windows.iter().take(3).map(|w| window(locale, w)).collect();
    let mut when = shown.join(", ");
    if windows.len() > shown.len() {
        when = text_in(
            locale,
            "reason-more-windows",
            &[
                ("windows", s(when)),
                (
                    "count",
                    n(u32::try_from(windows.len() - shown.len()).unwrap_or(0)),
                ),
            ],
        );
    }
    let mut args = vec![("common", s(duration(locale, minutes))), ("when", s(when))];
    if let Some(needed) = needed {
        args.push(("needed", s(duration(locale, needed))));
    }
    text_in(locale, id, &args)
}

fn rule(locale: Locale, rule: matching::ExclusionReason) -> crate::core::locale::Arg {
    s(text_in(
        locale,
        &format!("exclusion-{}", rule.as_str()),
        &[],
    ))
}

/// Why a family is left out of a proposal, in `locale`.
pub fn unassigned_detail(locale: Locale, cause: UnassignedCause) -> String {
    let plain = |id: &str| text_in(locale, id, &[]);
    match cause {
        UnassignedCause::NoVolunteers => plain("unassigned-no-volunteers"),
        UnassignedCause::NoEligibleVolunteer { nearest: None } => plain("unassigned-no-eligible"),
        UnassignedCause::NoEligibleVolunteer {
            nearest: Some(nearest),
        } => text_in(
            locale,
            "unassigned-no-eligible-nearest",
            &[("rule", rule(locale, nearest))],
        ),
        UnassignedCause::CapacityTakenByHigherPriority => plain("unassigned-capacity-taken"),
        UnassignedCause::ZeroPriority => plain("unassigned-zero-priority"),
        UnassignedCause::TakenByPinnedFamilies => plain("unassigned-taken-by-pinned"),
        UnassignedCause::ForbiddenPairsOnly => plain("unassigned-forbidden-only"),
        UnassignedCause::TakenByPinnedOrForbidden => {
            plain("unassigned-taken-by-pinned-or-forbidden")
        }
        UnassignedCause::PinnedPairForbidden => plain("unassigned-pinned-pair-forbidden"),
        UnassignedCause::PinnedVolunteerUnknown => plain("unassigned-pinned-volunteer-unknown"),
        UnassignedCause::PinnedVolunteerNotEligible(nearest) => text_in(
            locale,
            "unassigned-pinned-not-eligible",
            &[("rule", rule(locale, nearest))],
        ),
        UnassignedCause::PinnedVolunteerAtCapacity => plain("unassigned-pinned-at-capacity"),
        UnassignedCause::ListedTwice => plain("unassigned-listed-twice"),
    }
}
