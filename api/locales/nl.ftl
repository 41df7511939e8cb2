# Tandem's sentences for people, in Dutch (the default).
# Every message here exists in fr.ftl and en.ftl too, with the same placeholders
# (a test checks it). Ids in capitals are the enum values the API serves.

list-and = en

## Match reasons (MatchCandidate.reasons and explanation)

level-NATIVE = als moedertaal
level-FLUENT = vloeiend
level-CONVERSATIONAL = op gespreksniveau
level-BASIC = op basisniveau

reason-FAMILY_HAS_NO_LANGUAGE = Geen gemeenschappelijke taal: van het gezin is geen taal bekend
reason-NO_SHARED_LANGUAGE = Geen gemeenschappelijke taal (het gezin spreekt { $languages })
reason-SPEAKS_PREFERRED_LANGUAGE = Spreekt { $language } { $level }, de voorkeurstaal van het gezin
reason-SPEAKS_OTHER_FAMILY_LANGUAGE = Spreekt { $language } { $level } (het gezin verkiest { $preferred })
reason-SPEAKS_FAMILY_LANGUAGE = Spreekt { $language } { $level }
reason-speaks-some-language = Spreekt een taal van het gezin
reason-also = { $sentence }; ook { $languages }
reason-WITHIN_TRAVEL_DISTANCE = { $distance } km verderop (verplaatst zich tot { $reach } km)
reason-BEYOND_TRAVEL_DISTANCE = { $distance } km verderop, voorbij de { $reach } km die de vrijwilliger aflegt
reason-TRAVEL_DISTANCE_UNKNOWN = { $distance } km verderop (verplaatsingsafstand onbekend)
reason-availability-unknown-both = Beschikbaarheid onbekend: geen van beiden gaf tijden op
reason-availability-unknown-family = Beschikbaarheid onbekend: het gezin gaf geen tijden op
reason-availability-unknown-volunteer = Beschikbaarheid onbekend: de vrijwilliger gaf geen tijden op
reason-NO_TIME_IN_COMMON = Geen gemeenschappelijke tijd in de week
reason-TIME_IN_COMMON = { $common } per week gemeenschappelijk ({ $when })
reason-TOO_LITTLE_TIME_IN_COMMON = Maar { $common } per week gemeenschappelijk ({ $when }); minstens { $needed } nodig
reason-more-windows = { $windows } en nog { $count }
reason-NO_NEEDS_NAMED = Het gezin noemde geen specifieke noden
reason-NO_NEEDS_IN_COMMON =
    { $count ->
        [one] Geen ervaring met de nood van het gezin: { $needs }
       *[other] Geen ervaring met de noden van het gezin: { $needs }
    }
reason-ALL_NEEDS_KNOWN =
    { $count ->
        [one] Ervaring met de nood van het gezin: { $needs }
       *[other] Ervaring met alle { $count } noden van het gezin: { $needs }
    }
reason-SOME_NEEDS_KNOWN = Ervaring met { $known } van de { $count } noden van het gezin: { $needs }

duration-minutes = { $minutes } min
duration-hours = { $hours } u
duration-hours-minutes = { $hours } u { $minutes } min

weekday-MONDAY = maandag
weekday-TUESDAY = dinsdag
weekday-WEDNESDAY = woensdag
weekday-THURSDAY = donderdag
weekday-FRIDAY = vrijdag
weekday-SATURDAY = zaterdag
weekday-SUNDAY = zondag

crisis-PARENTING_STRESS = opvoedingsstress
crisis-CHILD_SAFETY_CONCERN = verontrusting
crisis-DOMESTIC_VIOLENCE = intrafamiliaal geweld
crisis-MENTAL_HEALTH = psychische kwetsbaarheid
crisis-ADDICTION = verslaving
crisis-HOUSING = huisvesting
crisis-FINANCIAL = financiële problemen
crisis-SCHOOL_DROPOUT = schooluitval
crisis-SOCIAL_ISOLATION = sociaal isolement
crisis-NEWCOMER = nieuwkomer
crisis-ILLNESS_OR_DISABILITY = ziekte of beperking

## Hard rules, as the unassigned details name them

exclusion-NOT_ACTIVE = niet actief
exclusion-BACKGROUND_CHECK_MISSING_OR_EXPIRED = uittreksel strafregister ontbreekt of is verlopen
exclusion-AT_CAPACITY = geen plaats meer
exclusion-ALREADY_INVOLVED = al betrokken bij het gezin
exclusion-MISSING_REQUIRED_TRAINING = een vereiste vorming ontbreekt
exclusion-NO_SHARED_LANGUAGE = geen gemeenschappelijke taal
exclusion-TOO_FAR = te ver
exclusion-NO_AVAILABILITY_OVERLAP = geen gemeenschappelijke tijd

## Why suggestAssignments leaves a family out (Unassigned.detail)

unassigned-no-volunteers = Geen geschikte vrijwilliger: er zijn geen vrijwilligers
unassigned-no-eligible = Geen geschikte vrijwilliger
unassigned-no-eligible-nearest = Geen geschikte vrijwilliger (wie het dichtst kwam: { $rule })
unassigned-capacity-taken = Alle geschikte vrijwilligers waren nodig voor dringendere of beter passende gezinnen
unassigned-zero-priority = De prioriteit van het gezin is nul volgens het beleid
unassigned-taken-by-pinned = Alle geschikte vrijwilligers gingen naar vastgezette gezinnen
unassigned-forbidden-only = Elke geschikte vrijwilliger is uitgesloten voor dit gezin
unassigned-taken-by-pinned-or-forbidden = Alle geschikte vrijwilligers gingen naar vastgezette gezinnen of zijn uitgesloten
unassigned-pinned-pair-forbidden = Het vastgezette paar is ook uitgesloten
unassigned-pinned-volunteer-unknown = De vastgezette vrijwilliger is onbekend
unassigned-pinned-not-eligible = De vastgezette vrijwilliger komt niet in aanmerking: { $rule }
unassigned-pinned-at-capacity = De plaatsen van de vastgezette vrijwilliger gingen naar andere vastgezette gezinnen
unassigned-listed-twice = Het gezin staat meer dan eens in de lijst

## Errors (the message of a GraphQL error; extensions.code says the same for programs)

error-internal = Interne fout; de request-id in de responsheader x-request-id wijst ze aan in het serverlog
error-no-such-id = { $field }: geen { $kind } heeft de ID { $id }
error-not-signed-in = Meld eerst aan: stuur het token van login mee als "Authorization: Bearer <token>"
error-page-negative = { $field } moet 0 of meer zijn
error-page-too-large = { $field } mag hoogstens { $max } zijn: blader verder met `after`
error-first-and-last = Geef `first` of `last`, niet allebei
error-not-a-cursor = Dit is geen cursor die deze server uitgaf
error-cursor-gone = De rij van deze cursor staat niet meer in de lijst: begin opnieuw bij de eerste pagina
error-stale-version = Iemand anders wijzigde deze { $kind }: versie { $expected } verwacht, ze is nu aan versie { $current }; laad ze opnieuw en probeer nog eens
error-not-a-value = { $field }: { $value } is geen waarde van { $type }; gebruik een van { $values }
error-not-a-date = { $field }: geen datum; schrijf hem als JJJJ-MM-DD, bv. 2026-12-06
error-not-a-datetime = { $field }: geen datum met tijd; schrijf hem in RFC 3339, bv. 2026-12-06T09:30:00Z
error-bad-value = Ongeldige waarde voor { $field }: { $detail }
error-unknown-language = Onbekende taal { $input }
error-unknown-language-suggest = Onbekende taal { $input }: bedoelt u { $names }?
error-no-such = Geen { $kind } gevonden (of geen die u mag zien)
error-cannot-propose = Deze vrijwilliger kan niet voorgesteld worden aan dit gezin: { $rules }
exclusion-RECENTLY_ENDED_WITH_FAMILY = stopte onlangs bij dit gezin of weigerde het
