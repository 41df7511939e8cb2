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
error-languages-empty = give at least one language
error-languages-too-many = at most { $max } languages
error-language-twice = { $language } is listed twice
error-slots-too-many = at most { $max } time slots
error-slot = time slot { $slot }: { $problem }
error-slot-bad-time = { $time } is not a time of day; write it as HH:MM between 00:00 and 24:00
error-slot-off-grid = { $time } is not on the quarter-hour grid; use :00, :15, :30 or :45
error-slot-start-not-before-end = a time window must start before it ends
error-not-coordinates = ({ $latitude }, { $longitude }) are not coordinates: latitude must be between -90 and 90 and longitude between -180 and 180 degrees
error-outside-belgium = ({ $latitude }, { $longitude }) is outside Belgium
error-longitude-alone = give longitude together with latitude
error-latitude-alone = give latitude together with longitude
error-not-a-postal-code = { $code } is not a Belgian postal code
error-no-location = give a Belgian postal code, or latitude and longitude
error-empty = { $field } may not be empty
error-too-long = { $field } may be at most { $max } characters
error-control-characters-one-line = { $field } may not contain control characters (it is one line of text)
error-control-characters = { $field } may not contain control characters (only newlines and tabs are allowed)
error-disguise = { $field } may not contain bidirectional-override or zero-width characters
error-password-short = passwords have at least { $min } characters
error-password-repeated = a password of one character repeated is too easy to guess
error-password-common = this password is among the most common ones: choose another
error-not-an-email = { $input } is not an email address
error-planned-start-past = a planned start cannot lie in the past: record the phase-in itself (phaseIn with `at`)
error-planned-start-too-far = a planned start may lie at most a year ahead
error-proposal-ahead = a proposal cannot be dated more than a day ahead
error-no-consent = the family has not given consent to be helped through the plan; record consent first
error-plan-closed = the plan is closed; reopen it before involving helpers
error-service-not-serving = { $service } does not serve the family's postal code { $code }
error-service-at-capacity = { $service } is at capacity ({ $capacity } families)
error-service-already-involved = { $service } is already involved in this plan
error-step-ahead = a step cannot be recorded more than a day ahead
error-step-before-previous = a step cannot be dated before the previous step of the same helper
error-start-only-proposed = only a PROPOSED helper's start can be planned; this one is { $status }
error-plan-helpers-open = the plan still has helpers who are not ended or declined: { $helpers }
error-transition-not-allowed = An involvement cannot go from { $from } to { $to }; { $count ->
        [0] { $from } is final.
       *[other] from { $from } it can go to { $allowed }.
    }
error-reason-required = A reason is required to move an involvement to { $to }.
error-field-closed-to-role = { $field } is not open to the { $role } role here
error-field-not-in-policy = { $field } has no row in the access policy: nobody may read it until one says who may
error-field-unchecked = { $field } depends on the record, and nothing checked it
error-input-closed-to-role = { $field } is not open to the { $role } role: it filters or sets what the role may not read or change
error-login-throttled-email = too many failed logins for this email from your address
error-login-throttled-address = too many failed logins from your address
error-try-again = { $what }: try again in { $seconds } seconds
error-one-login = one login per request: send each login on its own
error-sign-in-again = sign in again
error-wrong-current-password = the current password is wrong
error-user-name = a name of 1 to { $max } characters is needed
error-volunteer-account-needs-record = a VOLUNTEER account needs the volunteer record it belongs to
error-account-not-volunteer = only a VOLUNTEER account belongs to a volunteer record, not a { $role } account
error-volunteer-has-account = this volunteer already has an account ({ $email }): one account per volunteer
error-email-taken = a user with email { $email } already exists
error-wrong-credentials = wrong email or password
error-check-in-ahead = a check-in cannot lie more than a day in the future
error-wellbeing = wellbeing goes from 1 (struggling) to 5 (doing great)
error-hours = hours must be between 0 and { $max }
error-next-due-before = the next check-in cannot be due before this one
error-concern-not-high = only HIGH concerns are followed up this way
error-concern-done = this concern was already followed up
error-service-area = give between 1 and { $max } postal codes
error-capacity = capacity must be between 1 and { $max }
error-from-after-to = `from` must not be after `to`
error-weight-not-finite = the { $criterion } weight must be a finite number
error-weight-negative = the { $criterion } weight must not be negative
error-weights-all-zero = at least one weight must be above zero
error-between = { $field } must be between { $min } and { $max }
error-too-many-families = at most { $max } families at once
error-changed-meanwhile = this { $kind } was changed by someone else at the same time; reload it and try again
error-volunteer-capacity = capacity must be between 1 and { $max } families
error-max-travel = maxTravelKm must be more than 0 and at most { $max }
error-extract-future = the extract cannot be dated in the future
error-unknown-module = unknown training module { $input }; the catalogue (trainingModules) has { $modules }
error-unknown-module-suggest = unknown training module { $input }: did you mean { $names }? The catalogue (trainingModules) has { $modules }
error-training-future = a training cannot be completed in the future
error-within-km = withinKm must be more than 0 and at most { $max }
error-within-km-alone = withinKm needs nearPostalCode
error-children-too-many = at most { $max } children
error-child-age = a child's age must be between 0 and { $max }, not { $age }
error-preferred-language = the preferred language ({ $language }) must be one of the family's languages
error-referral-future = a referral cannot lie in the future
error-cursor-of-other = this cursor is one of a { $kind }, not of this { $connection }
error-null-field = a non-null field had no value
error-document-refused = document refused: { $reason }
error-document-too-large = the document is too large once its fragments are expanded
error-document-recursive-fragment = fragment { $name } spreads itself
error-document-unknown-fragment = unknown fragment { $name }
error-document-fragments-too-deep = fragments are nested too deep
error-document-too-many-aliases = the document uses too many aliases
error-document-too-many-directives = the document uses too many directives
error-document-nested-too-deep = the document nests brackets deeper than { $max } levels
error-document-control-character = the document contains a control character
error-document-bytes = documents may be at most { $max } bytes
error-introspection-off = introspection is switched off on this server (production)
error-mutation-over-get = mutations must be sent with POST
error-subscription-over-http = subscriptions are served over the WebSocket at /graphql/ws
error-authentication-unavailable = authentication is unavailable
error-audit-unwritten = the audit trail could not be written
error-query-too-deep = the query is nested too deep (at most { $max } levels)
error-query-too-complex = the query is too complex (at most { $max } points)
error-not-an-int = { $field }: not a whole number between -2147483648 and 2147483647
error-not-a-float = { $field }: not a number
error-not-an-id = { $field }: not an ID; give the `id` the API handed out
error-not-of-type = { $field }: not a value of type { $type }
error-input-too-deep = input values may nest at most { $max } levels
error-body-not-json = the body is not valid JSON ({ $detail })
error-batch = batches are not supported: send one request at a time
error-body-not-object = a GraphQL request is a JSON object with a `query` string
error-body-fields = the request does not have the expected fields ({ $detail })
error-params = the query string could not be read ({ $detail })
error-param-not-json = `{ $name }` is not valid JSON ({ $detail })
error-persisted-query-shape = `extensions.persistedQuery` is not an object with `version` and `sha256Hash` ({ $detail })
error-extensions-not-object = `extensions` must be a JSON object
error-query-needed = a `query` string is needed
error-variables-not-object = `variables` must be a JSON object
error-persisted-version = persisted queries of version 1 are the ones served
error-persisted-hash-shape = sha256Hash must be the document's SHA-256 hash in 64 hexadecimal digits
error-persisted-hash-mismatch = the document's SHA-256 hash is not sha256Hash
error-persisted-only = this server runs only the documents of its persisted-query manifest
error-body-unread = the request body could not be read
error-body-not-json-type = POST bodies must be application/json
error-not-http = not an HTTP request
error-response-unwritten = the response could not be written
error-ws-too-many-from-address = too many WebSocket connections from your address
error-ws-too-many-operations = at most { $connection } operations at once on a connection and { $user } per user
ws-server-stopping = the server is stopping
ws-session-ended = the session has ended
ws-token-needed = connection_init needs a bearer token
ws-token-invalid = the token is not valid
ws-too-many-for-user = Too many connections for this user
cli-unknown-role = unknown role { $input }: one of ADMIN, COORDINATOR, FOLLOW_UP, VOLUNTEER
cli-migrations-applied = migrations applied
cli-demo-login = Demo login: { $email } / { $password }
cli-listening = Tandem is listening on http://{ $address } (GraphQL at /graphql)
cli-hint-create-database = create it first (for example `createdb` with its name) or set DATABASE_URL to an existing database
cli-hint-postgres = check that PostgreSQL runs there and that DATABASE_URL names the right host, user and database
cli-hint-sqlite = check that the directory of the SQLite file exists and is writable
cli-cannot-open-database = cannot open the database { $url }: { $cause }; { $hint }
cli-not-a-volunteer-id = --volunteer-id { $input } is not a volunteer ID
cli-created-user = created user { $email } ({ $id })
cli-cannot-read = cannot read { $file }: { $cause }
cli-hint-skip-existing = {" "}(--skip-existing imports the others)
cli-bad-rows = { $count } bad { $count ->
        [one] row
       *[other] rows
    } in { $file }: nothing was imported{ $hint }
cli-default = default: { $item }
cli-skipped = skipped: { $item }
cli-imported = imported { $rows } { $rows ->
        [one] row
       *[other] rows
    } from { $file } in { $seconds } s ({ $skipped } skipped)
cli-dry-run = { $rows } rows are valid; nothing was written (dry run)
cli-would-erase = would erase { $reference } (plan closed on { $closed_on })
cli-retention-dry-run = retention (dry run): { $count } { $count ->
        [one] family
       *[other] families
    } whose plan was closed more than { $days } days ago would be erased; nothing was erased
cli-erased = erased { $reference } ({ $rows } rows anonymised)
cli-retention = retention: { $count } { $count ->
        [one] family
       *[other] families
    } whose plan was closed more than { $days } days ago { $count ->
        [one] was
       *[other] were
    } erased
import-at-column = line { $line }, column { $column }: { $reason }
import-at-line = line { $line }: { $reason }
import-unknown-level = unknown language level { $input } (native, fluent, conversational or basic)
import-needs-level = { $item } needs a level, as in "Arabisch:native"
import-unknown-day = unknown day { $input } (ma, di, wo, ... or mon, tue, wed, ...)
import-not-a-slot = { $item } is not like "wo 14:00-17:00"
import-unknown-value = unknown { $what } { $input }
import-missing = missing { $what }
import-not-a-date = { $what } { $input } is not a date (YYYY-MM-DD)
import-not-a-number = { $what } { $input } is not a number
import-not-yes-or-no = consent { $input } is not yes or no
import-what-training-date = training date
import-what-crisis-type = crisis type
import-what-referral-source = referral source
import-what-child-age = child's age
import-training-future = training { $module } cannot be completed in the future
import-training-dated-today = { $module } has no date: dated today ({ $today })
import-empty = empty: { $default }
import-default-travel = { $km } km
import-default-capacity = { $count ->
        [one] 1 family at a time
       *[other] { $count } families at a time
    }
import-default-referred-now = referred now
import-default-no-consent = no consent
import-unreadable-header = unreadable header: { $cause }
import-header-lacks = the header lacks { $missing } (it has: { $headers })
import-already-in-tandem = already in Tandem ({ $what })
import-same-as-line = the same as line { $line }
import-existing-volunteer = volunteer { $name }
import-existing-family = family { $reference }
import-field-count = { $fields } fields where the header has { $header } (a cell holding the delimiter needs quotes)
