# Tandem's sentences for people, in English.
# Every message here exists in nl.ftl and fr.ftl too, with the same placeholders
# (a test checks it). Ids in capitals are the enum values the API serves.

list-and = and

## Match reasons (MatchCandidate.reasons and explanation)

level-NATIVE = natively
level-FLUENT = fluently
level-CONVERSATIONAL = at a conversational level
level-BASIC = at a basic level

reason-FAMILY_HAS_NO_LANGUAGE = No language in common: the family has no language on file
reason-NO_SHARED_LANGUAGE = No language in common (the family speaks { $languages })
reason-SPEAKS_PREFERRED_LANGUAGE = Speaks { $language } { $level }, the family's preferred language
reason-SPEAKS_OTHER_FAMILY_LANGUAGE = Speaks { $language } { $level } (the family prefers { $preferred })
reason-SPEAKS_FAMILY_LANGUAGE = Speaks { $language } { $level }
reason-speaks-some-language = Speaks a language of the family
reason-also = { $sentence }; also { $languages }
reason-WITHIN_TRAVEL_DISTANCE = { $distance } km away (travels up to { $reach } km)
reason-BEYOND_TRAVEL_DISTANCE = { $distance } km away, beyond the { $reach } km they travel
reason-TRAVEL_DISTANCE_UNKNOWN = { $distance } km away (travel distance unknown)
reason-availability-unknown-both = Availability unknown: neither side gave times
reason-availability-unknown-family = Availability unknown: the family gave no times
reason-availability-unknown-volunteer = Availability unknown: the volunteer gave no times
reason-NO_TIME_IN_COMMON = No time in common in the week
reason-TIME_IN_COMMON = { $common } a week in common ({ $when })
reason-TOO_LITTLE_TIME_IN_COMMON = Only { $common } a week in common ({ $when }); at least { $needed } needed
reason-more-windows = { $windows } and { $count } more
reason-NO_NEEDS_NAMED = The family named no specific needs
reason-NO_NEEDS_IN_COMMON =
    { $count ->
        [one] No experience with the family's need: { $needs }
       *[other] No experience with the family's needs: { $needs }
    }
reason-ALL_NEEDS_KNOWN =
    { $count ->
        [one] Experienced with the family's need: { $needs }
       *[other] Experienced with all of the family's { $count } needs: { $needs }
    }
reason-SOME_NEEDS_KNOWN = Experienced with { $known } of the family's { $count } needs: { $needs }

duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min

weekday-MONDAY = Monday
weekday-TUESDAY = Tuesday
weekday-WEDNESDAY = Wednesday
weekday-THURSDAY = Thursday
weekday-FRIDAY = Friday
weekday-SATURDAY = Saturday
weekday-SUNDAY = Sunday

crisis-PARENTING_STRESS = parenting stress
crisis-CHILD_SAFETY_CONCERN = child safety concern
crisis-DOMESTIC_VIOLENCE = domestic violence
crisis-MENTAL_HEALTH = mental health
crisis-ADDICTION = addiction
crisis-HOUSING = housing
crisis-FINANCIAL = financial trouble
crisis-SCHOOL_DROPOUT = school dropout
crisis-SOCIAL_ISOLATION = social isolation
crisis-NEWCOMER = newcomer
crisis-ILLNESS_OR_DISABILITY = illness or disability

## Hard rules, as the unassigned details name them

exclusion-NOT_ACTIVE = not active
exclusion-BACKGROUND_CHECK_MISSING_OR_EXPIRED = background check missing or expired
exclusion-AT_CAPACITY = at capacity
exclusion-ALREADY_INVOLVED = already involved with the family
exclusion-MISSING_REQUIRED_TRAINING = a required training is missing
exclusion-NO_SHARED_LANGUAGE = no shared language
exclusion-TOO_FAR = too far
exclusion-NO_AVAILABILITY_OVERLAP = no time in common

## Why suggestAssignments leaves a family out (Unassigned.detail)

unassigned-no-volunteers = No eligible volunteer: there are no volunteers
unassigned-no-eligible = No eligible volunteer
unassigned-no-eligible-nearest = No eligible volunteer (the closest came to: { $rule })
unassigned-capacity-taken = All eligible volunteers were needed for more urgent or better-matched families
unassigned-zero-priority = The family's priority is zero under the policy
unassigned-taken-by-pinned = All eligible volunteers were taken by pinned families
unassigned-forbidden-only = Every eligible volunteer is forbidden for this family
unassigned-taken-by-pinned-or-forbidden = All eligible volunteers were taken by pinned families or are forbidden
unassigned-pinned-pair-forbidden = The pinned pair is also forbidden
unassigned-pinned-volunteer-unknown = The pinned volunteer is unknown
unassigned-pinned-not-eligible = The pinned volunteer is not eligible: { $rule }
unassigned-pinned-at-capacity = The pinned volunteer's capacity went to other pinned families
unassigned-listed-twice = The family is listed more than once

## Errors (the message of a GraphQL error; extensions.code says the same for programs)

error-internal = Internal error; the request id in the x-request-id response header identifies it in the server log
error-no-such-id = { $field }: no { $kind } has the ID { $id }
error-not-signed-in = Sign in first: send the token from login as "Authorization: Bearer <token>"
error-page-negative = { $field } must be 0 or more
error-page-too-large = { $field } may be at most { $max }: page through with `after`
error-first-and-last = Give `first` or `last`, not both
error-not-a-cursor = Not a cursor this server handed out
error-cursor-gone = The row of this cursor is no longer in the list: start again from the first page
error-stale-version = This { $kind } was changed by someone else: expected version { $expected }, it is now at version { $current }; reload it and try again
error-not-a-value = { $field }: { $value } is not a value of { $type }; use one of { $values }
error-not-a-date = { $field }: not a date; write it as YYYY-MM-DD, e.g. 2026-12-06
error-not-a-datetime = { $field }: not a date and time; write it in RFC 3339, e.g. 2026-12-06T09:30:00Z
error-bad-value = Invalid value for { $field }: { $detail }
error-unknown-language = Unknown language { $input }
error-unknown-language-suggest = Unknown language { $input }: did you mean { $names }?
error-no-such = No such { $kind } (or none you may see)
error-cannot-propose = This volunteer cannot be proposed to this family: { $rules }
exclusion-RECENTLY_ENDED_WITH_FAMILY = ended or declined with this family recently
