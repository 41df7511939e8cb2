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
error-languages-empty = geef minstens één taal op
error-languages-too-many = hoogstens { $max } talen
error-language-twice = { $language } staat er twee keer in
error-slots-too-many = hoogstens { $max } tijdsblokken
error-slot = tijdsblok { $slot }: { $problem }
error-slot-bad-time = { $time } is geen tijdstip; schrijf het als UU:MM tussen 00:00 en 24:00
error-slot-off-grid = { $time } valt niet op een kwartier; gebruik :00, :15, :30 of :45
error-slot-start-not-before-end = een tijdsblok moet beginnen voor het eindigt
error-not-coordinates = ({ $latitude }, { $longitude }) zijn geen coördinaten: de breedtegraad ligt tussen -90 en 90 en de lengtegraad tussen -180 en 180 graden
error-outside-belgium = ({ $latitude }, { $longitude }) ligt buiten België
error-longitude-alone = geef de lengtegraad samen met de breedtegraad
error-latitude-alone = geef de breedtegraad samen met de lengtegraad
error-not-a-postal-code = { $code } is geen Belgische postcode
error-no-location = geef een Belgische postcode, of breedte- en lengtegraad
error-empty = { $field } mag niet leeg zijn
error-too-long = { $field } mag hoogstens { $max } tekens lang zijn
error-control-characters-one-line = { $field } mag geen stuurtekens bevatten (het is één regel tekst)
error-control-characters = { $field } mag geen stuurtekens bevatten (alleen regeleinden en tabs zijn toegestaan)
error-disguise = { $field } mag geen tekens bevatten die de schrijfrichting omkeren of geen breedte hebben
error-password-short = een wachtwoord heeft minstens { $min } tekens
error-password-repeated = een wachtwoord van één herhaald teken is te makkelijk te raden
error-password-common = dit wachtwoord is een van de meest gebruikte: kies een ander
error-not-an-email = { $input } is geen e-mailadres
error-planned-start-past = een geplande start kan niet in het verleden liggen: registreer de opstart zelf (phaseIn met `at`)
error-planned-start-too-far = een geplande start ligt hoogstens een jaar vooruit
error-proposal-ahead = een voorstel kan niet meer dan een dag vooruit gedateerd worden
error-no-consent = het gezin heeft geen toestemming gegeven voor begeleiding via het plan; registreer eerst de toestemming
error-plan-closed = het plan is afgesloten; heropen het voor u helpers betrekt
error-service-not-serving = { $service } bedient de postcode { $code } van het gezin niet
error-service-at-capacity = { $service } zit vol ({ $capacity } gezinnen)
error-service-already-involved = { $service } is al betrokken bij dit plan
error-step-ahead = een stap kan niet meer dan een dag vooruit geregistreerd worden
error-step-before-previous = een stap kan niet gedateerd worden voor de vorige stap van dezelfde helper
error-start-only-proposed = alleen de start van een helper in PROPOSED kan gepland worden; deze is { $status }
error-plan-helpers-open = het plan heeft nog helpers die niet beëindigd of afgewezen zijn: { $helpers }
error-transition-not-allowed = Een betrokkenheid kan niet van { $from } naar { $to } gaan; { $count ->
        [0] { $from } is definitief.
       *[other] vanuit { $from } kan ze naar { $allowed }.
    }
error-reason-required = Een reden is nodig om een betrokkenheid naar { $to } te brengen.
error-field-closed-to-role = { $field } is hier niet toegankelijk voor de rol { $role }
error-field-not-in-policy = { $field } heeft geen regel in het toegangsbeleid: niemand mag het lezen tot een regel zegt wie het mag
error-field-unchecked = { $field } hangt af van het record, en niets heeft het gecontroleerd
error-input-closed-to-role = { $field } is niet toegankelijk voor de rol { $role }: het filtert of wijzigt wat die rol niet mag lezen of wijzigen
error-login-throttled-email = te veel mislukte aanmeldingen voor dit e-mailadres vanaf uw adres
error-login-throttled-address = te veel mislukte aanmeldingen vanaf uw adres
error-try-again = { $what }: probeer opnieuw over { $seconds } seconden
error-one-login = één aanmelding per verzoek: stuur elke aanmelding afzonderlijk
error-sign-in-again = meld u opnieuw aan
error-wrong-current-password = het huidige wachtwoord is fout
error-user-name = een naam van 1 tot { $max } tekens is nodig
error-volunteer-account-needs-record = een VOLUNTEER-account heeft de vrijwilligersfiche nodig waartoe het hoort
error-account-not-volunteer = alleen een VOLUNTEER-account hoort bij een vrijwilligersfiche, geen { $role }-account
error-volunteer-has-account = deze vrijwilliger heeft al een account ({ $email }): één account per vrijwilliger
error-email-taken = er bestaat al een gebruiker met e-mailadres { $email }
error-wrong-credentials = verkeerd e-mailadres of wachtwoord
error-check-in-ahead = een opvolgmoment kan niet meer dan een dag in de toekomst liggen
error-wellbeing = welzijn gaat van 1 (het gaat moeilijk) tot 5 (het gaat heel goed)
error-hours = het aantal uren ligt tussen 0 en { $max }
error-next-due-before = het volgende opvolgmoment kan niet voor dit vallen
error-concern-not-high = alleen HIGH-zorgen worden zo opgevolgd
error-concern-done = deze zorg werd al opgevolgd
error-service-area = geef 1 tot { $max } postcodes
error-capacity = de capaciteit ligt tussen 1 en { $max }
error-from-after-to = `from` mag niet na `to` liggen
error-weight-not-finite = het gewicht { $criterion } moet een eindig getal zijn
error-weight-negative = het gewicht { $criterion } mag niet negatief zijn
error-weights-all-zero = minstens één gewicht moet groter dan nul zijn
error-between = { $field } ligt tussen { $min } en { $max }
error-too-many-families = hoogstens { $max } gezinnen tegelijk
error-changed-meanwhile = dit { $kind } werd tegelijk door iemand anders gewijzigd; laad het opnieuw en probeer nog eens
error-volunteer-capacity = de capaciteit ligt tussen 1 en { $max } gezinnen
error-max-travel = maxTravelKm moet groter dan 0 en hoogstens { $max } zijn
error-extract-future = het uittreksel kan niet in de toekomst gedateerd zijn
error-unknown-module = onbekende vormingsmodule { $input }; de catalogus (trainingModules) heeft { $modules }
error-unknown-module-suggest = onbekende vormingsmodule { $input }: bedoelt u { $names }? De catalogus (trainingModules) heeft { $modules }
error-training-future = een vorming kan niet in de toekomst voltooid zijn
error-within-km = withinKm moet groter dan 0 en hoogstens { $max } zijn
error-within-km-alone = withinKm heeft nearPostalCode nodig
error-children-too-many = hoogstens { $max } kinderen
error-child-age = de leeftijd van een kind ligt tussen 0 en { $max }, niet { $age }
error-preferred-language = de voorkeurtaal ({ $language }) moet een van de talen van het gezin zijn
error-referral-future = een aanmelding kan niet in de toekomst liggen
error-cursor-of-other = deze cursor hoort bij een { $kind }, niet bij deze { $connection }
error-null-field = een verplicht veld had geen waarde
error-document-refused = document geweigerd: { $reason }
error-document-too-large = het document is te groot zodra de fragmenten uitgeschreven zijn
error-document-recursive-fragment = fragment { $name } verwijst naar zichzelf
error-document-unknown-fragment = onbekend fragment { $name }
error-document-fragments-too-deep = fragmenten zijn te diep genest
error-document-too-many-aliases = het document gebruikt te veel aliassen
error-document-too-many-directives = het document gebruikt te veel directieven
error-document-nested-too-deep = het document nest haakjes dieper dan { $max } niveaus
error-document-control-character = het document bevat een stuurteken
error-document-bytes = een document is hoogstens { $max } bytes groot
error-introspection-off = introspectie staat uit op deze server (productie)
error-mutation-over-get = mutaties moeten met POST verstuurd worden
error-subscription-over-http = abonnementen lopen over de WebSocket op /graphql/ws
error-authentication-unavailable = aanmelden is niet beschikbaar
error-audit-unwritten = het auditspoor kon niet geschreven worden
error-query-too-deep = de query is te diep genest (hoogstens { $max } niveaus)
error-query-too-complex = de query is te complex (hoogstens { $max } punten)
error-not-an-int = { $field }: geen geheel getal tussen -2147483648 en 2147483647
error-not-a-float = { $field }: geen getal
error-not-an-id = { $field }: geen ID; geef de `id` die de API teruggaf
error-not-of-type = { $field }: geen waarde van type { $type }
error-input-too-deep = invoerwaarden zijn hoogstens { $max } niveaus diep genest
error-body-not-json = de body is geen geldige JSON ({ $detail })
error-batch = batches worden niet ondersteund: stuur één verzoek tegelijk
error-body-not-object = een GraphQL-verzoek is een JSON-object met een `query`-string
error-body-fields = het verzoek heeft niet de verwachte velden ({ $detail })
error-params = de querystring kon niet gelezen worden ({ $detail })
error-param-not-json = `{ $name }` is geen geldige JSON ({ $detail })
error-persisted-query-shape = `extensions.persistedQuery` is geen object met `version` en `sha256Hash` ({ $detail })
error-extensions-not-object = `extensions` moet een JSON-object zijn
error-query-needed = een `query`-string is nodig
error-variables-not-object = `variables` moet een JSON-object zijn
error-persisted-version = alleen persisted queries van versie 1 worden bediend
error-persisted-hash-shape = sha256Hash moet de SHA-256-hash van het document zijn, in 64 hexadecimale cijfers
error-persisted-hash-mismatch = de SHA-256-hash van het document is niet sha256Hash
error-persisted-only = deze server voert alleen de documenten uit zijn persisted-query-manifest uit
error-body-unread = de body van het verzoek kon niet gelezen worden
error-body-not-json-type = een POST-body moet application/json zijn
error-not-http = geen HTTP-verzoek
error-response-unwritten = het antwoord kon niet geschreven worden
error-ws-too-many-from-address = te veel WebSocket-verbindingen vanaf uw adres
error-ws-too-many-operations = hoogstens { $connection } operaties tegelijk per verbinding en { $user } per gebruiker
ws-server-stopping = de server stopt
ws-session-ended = de sessie is afgelopen
ws-token-needed = connection_init heeft een bearer-token nodig
ws-token-invalid = het token is niet geldig
ws-too-many-for-user = Te veel verbindingen voor deze gebruiker
cli-unknown-role = onbekende rol { $input }: een van ADMIN, COORDINATOR, FOLLOW_UP, VOLUNTEER
cli-migrations-applied = migraties toegepast
cli-demo-login = Demo-aanmelding: { $email } / { $password }
cli-listening = Tandem luistert op http://{ $address } (GraphQL op /graphql)
cli-hint-create-database = maak ze eerst aan (bijvoorbeeld met `createdb` en haar naam) of laat DATABASE_URL naar een bestaande database wijzen
cli-hint-postgres = controleer dat PostgreSQL daar draait en dat DATABASE_URL de juiste host, gebruiker en database noemt
cli-hint-sqlite = controleer dat de map van het SQLite-bestand bestaat en beschrijfbaar is
cli-cannot-open-database = kan de database { $url } niet openen: { $cause }; { $hint }
cli-not-a-volunteer-id = --volunteer-id { $input } is geen ID van een vrijwilliger
cli-created-user = gebruiker { $email } aangemaakt ({ $id })
cli-cannot-read = kan { $file } niet lezen: { $cause }
cli-hint-skip-existing = {" "}(--skip-existing importeert de andere)
cli-bad-rows = { $count ->
        [one] 1 foute rij
       *[other] { $count } foute rijen
    } in { $file }: er werd niets geïmporteerd{ $hint }
cli-default = standaard: { $item }
cli-skipped = overgeslagen: { $item }
cli-imported = { $rows } { $rows ->
        [one] rij
       *[other] rijen
    } geïmporteerd uit { $file } in { $seconds } s ({ $skipped } overgeslagen)
cli-dry-run = { $rows } rijen zijn geldig; er werd niets geschreven (proefdraaien)
cli-would-erase = zou { $reference } wissen (plan afgesloten op { $closed_on })
cli-retention-dry-run = bewaartermijn (proefdraaien): { $count } { $count ->
        [one] gezin
       *[other] gezinnen
    } van wie het plan meer dan { $days } dagen geleden afgesloten werd, { $count ->
        [one] zou gewist worden
       *[other] zouden gewist worden
    }; er werd niets gewist
cli-erased = { $reference } gewist ({ $rows } rijen geanonimiseerd)
cli-retention = bewaartermijn: { $count } { $count ->
        [one] gezin
       *[other] gezinnen
    } van wie het plan meer dan { $days } dagen geleden afgesloten werd, { $count ->
        [one] werd
       *[other] werden
    } gewist
import-at-column = regel { $line }, kolom { $column }: { $reason }
import-at-line = regel { $line }: { $reason }
import-unknown-level = onbekend taalniveau { $input } (moedertaal, vloeiend, gevorderd of basis)
import-needs-level = { $item } heeft een niveau nodig, zoals in "Arabisch:moedertaal"
import-unknown-day = onbekende dag { $input } (ma, di, wo, ... of mon, tue, wed, ...)
import-not-a-slot = { $item } is niet zoals "wo 14:00-17:00"
import-unknown-value = onbekende { $what } { $input }
import-missing = { $what } ontbreekt
import-not-a-date = { $what } { $input } is geen datum (JJJJ-MM-DD)
import-not-a-number = { $what } { $input } is geen getal
import-not-yes-or-no = toestemming { $input } is geen ja of nee
import-what-training-date = vormingsdatum
import-what-crisis-type = crisistype
import-what-referral-source = verwijzer
import-what-child-age = leeftijd van een kind
import-training-future = vorming { $module } kan niet in de toekomst voltooid zijn
import-training-dated-today = { $module } heeft geen datum: gedateerd op vandaag ({ $today })
import-empty = leeg: { $default }
import-default-travel = { $km } km
import-default-capacity = { $count ->
        [one] 1 gezin tegelijk
       *[other] { $count } gezinnen tegelijk
    }
import-default-referred-now = nu aangemeld
import-default-no-consent = geen toestemming
import-unreadable-header = onleesbare kopregel: { $cause }
import-header-lacks = de kopregel mist { $missing } (hij heeft: { $headers })
import-already-in-tandem = al in Tandem ({ $what })
import-same-as-line = hetzelfde als regel { $line }
import-existing-volunteer = vrijwilliger { $name }
import-existing-family = gezin { $reference }
import-field-count = { $fields } velden waar de kopregel er { $header } heeft (een cel met het scheidingsteken erin moet tussen aanhalingstekens)
