# Tandem's sentences for people, in French.
# Every message here exists in nl.ftl and en.ftl too, with the same placeholders
# (a test checks it). Ids in capitals are the enum values the API serves.

list-and = et

## Match reasons (MatchCandidate.reasons and explanation)

level-NATIVE = en langue maternelle
level-FLUENT = couramment
level-CONVERSATIONAL = à un niveau conversationnel
level-BASIC = à un niveau de base

reason-FAMILY_HAS_NO_LANGUAGE = Aucune langue en commun : aucune langue de la famille n'est connue
reason-NO_SHARED_LANGUAGE = Aucune langue en commun (la famille parle { $languages })
reason-SPEAKS_PREFERRED_LANGUAGE = Parle { $language } { $level }, la langue préférée de la famille
reason-SPEAKS_OTHER_FAMILY_LANGUAGE = Parle { $language } { $level } (la famille préfère { $preferred })
reason-SPEAKS_FAMILY_LANGUAGE = Parle { $language } { $level }
reason-speaks-some-language = Parle une langue de la famille
reason-also = { $sentence } ; aussi { $languages }
reason-WITHIN_TRAVEL_DISTANCE = À { $distance } km (se déplace jusqu'à { $reach } km)
reason-BEYOND_TRAVEL_DISTANCE = À { $distance } km, au-delà des { $reach } km que le volontaire parcourt
reason-TRAVEL_DISTANCE_UNKNOWN = À { $distance } km (distance de déplacement inconnue)
reason-availability-unknown-both = Disponibilités inconnues : aucun des deux n'a donné d'horaires
reason-availability-unknown-family = Disponibilités inconnues : la famille n'a pas donné d'horaires
reason-availability-unknown-volunteer = Disponibilités inconnues : le volontaire n'a pas donné d'horaires
reason-NO_TIME_IN_COMMON = Aucun moment en commun dans la semaine
reason-TIME_IN_COMMON = { $common } par semaine en commun ({ $when })
reason-TOO_LITTLE_TIME_IN_COMMON = Seulement { $common } par semaine en commun ({ $when }) ; au moins { $needed } nécessaires
reason-more-windows = { $windows } et { $count } de plus
reason-NO_NEEDS_NAMED = La famille n'a pas indiqué de besoins particuliers
reason-NO_NEEDS_IN_COMMON =
    { $count ->
        [one] Aucune expérience du besoin de la famille : { $needs }
       *[other] Aucune expérience des besoins de la famille : { $needs }
    }
reason-ALL_NEEDS_KNOWN =
    { $count ->
        [one] Expérience du besoin de la famille : { $needs }
       *[other] Expérience des { $count } besoins de la famille : { $needs }
    }
reason-SOME_NEEDS_KNOWN = Expérience de { $known } des { $count } besoins de la famille : { $needs }

duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min

weekday-MONDAY = lundi
weekday-TUESDAY = mardi
weekday-WEDNESDAY = mercredi
weekday-THURSDAY = jeudi
weekday-FRIDAY = vendredi
weekday-SATURDAY = samedi
weekday-SUNDAY = dimanche

crisis-PARENTING_STRESS = stress parental
crisis-CHILD_SAFETY_CONCERN = inquiétude pour la sécurité de l'enfant
crisis-DOMESTIC_VIOLENCE = violence intrafamiliale
crisis-MENTAL_HEALTH = santé mentale
crisis-ADDICTION = assuétude
crisis-HOUSING = logement
crisis-FINANCIAL = difficultés financières
crisis-SCHOOL_DROPOUT = décrochage scolaire
crisis-SOCIAL_ISOLATION = isolement social
crisis-NEWCOMER = primo-arrivant
crisis-ILLNESS_OR_DISABILITY = maladie ou handicap

## Hard rules, as the unassigned details name them

exclusion-NOT_ACTIVE = pas actif
exclusion-BACKGROUND_CHECK_MISSING_OR_EXPIRED = extrait de casier judiciaire manquant ou expiré
exclusion-AT_CAPACITY = plus de place
exclusion-ALREADY_INVOLVED = déjà impliqué auprès de la famille
exclusion-MISSING_REQUIRED_TRAINING = une formation requise manque
exclusion-NO_SHARED_LANGUAGE = aucune langue en commun
exclusion-TOO_FAR = trop loin
exclusion-NO_AVAILABILITY_OVERLAP = aucun moment en commun

## Why suggestAssignments leaves a family out (Unassigned.detail)

unassigned-no-volunteers = Aucun volontaire éligible : il n'y a pas de volontaires
unassigned-no-eligible = Aucun volontaire éligible
unassigned-no-eligible-nearest = Aucun volontaire éligible (le plus proche a buté sur : { $rule })
unassigned-capacity-taken = Tous les volontaires éligibles ont été attribués à des familles plus urgentes ou mieux assorties
unassigned-zero-priority = La priorité de la famille est nulle selon la politique
unassigned-taken-by-pinned = Tous les volontaires éligibles sont allés à des familles épinglées
unassigned-forbidden-only = Chaque volontaire éligible est exclu pour cette famille
unassigned-taken-by-pinned-or-forbidden = Tous les volontaires éligibles sont allés à des familles épinglées ou sont exclus
unassigned-pinned-pair-forbidden = La paire épinglée est aussi exclue
unassigned-pinned-volunteer-unknown = Le volontaire épinglé est inconnu
unassigned-pinned-not-eligible = Le volontaire épinglé n'est pas éligible : { $rule }
unassigned-pinned-at-capacity = Les places du volontaire épinglé sont allées à d'autres familles épinglées
unassigned-listed-twice = La famille figure plus d'une fois dans la liste

## Errors (the message of a GraphQL error; extensions.code says the same for programs)

error-internal = Erreur interne ; l'identifiant de requête dans l'en-tête de réponse x-request-id la retrouve dans le journal du serveur
error-no-such-id = { $field } : aucun { $kind } n'a l'ID { $id }
error-not-signed-in = Connectez-vous d'abord : envoyez le jeton de login comme « Authorization: Bearer <jeton> »
error-page-negative = { $field } doit valoir 0 ou plus
error-page-too-large = { $field } vaut au plus { $max } : parcourez les pages avec `after`
error-first-and-last = Donnez `first` ou `last`, pas les deux
error-not-a-cursor = Ce n'est pas un curseur donné par ce serveur
error-cursor-gone = La ligne de ce curseur n'est plus dans la liste : recommencez à la première page
error-stale-version = Quelqu'un d'autre a modifié ce { $kind } : version { $expected } attendue, il en est à la version { $current } ; rechargez-le et réessayez
error-not-a-value = { $field } : { $value } n'est pas une valeur de { $type } ; utilisez une de { $values }
error-not-a-date = { $field } : ce n'est pas une date ; écrivez-la AAAA-MM-JJ, p. ex. 2026-12-06
error-not-a-datetime = { $field } : ce n'est pas une date et heure ; écrivez-la en RFC 3339, p. ex. 2026-12-06T09:30:00Z
error-bad-value = Valeur invalide pour { $field } : { $detail }
error-unknown-language = Langue inconnue { $input }
error-unknown-language-suggest = Langue inconnue { $input } : vouliez-vous dire { $names } ?
error-no-such = { $kind } introuvable (ou que vous ne pouvez pas voir)
error-cannot-propose = Ce volontaire ne peut pas être proposé à cette famille : { $rules }
exclusion-RECENTLY_ENDED_WITH_FAMILY = a récemment arrêté ou refusé auprès de cette famille
error-languages-empty = indiquez au moins une langue
error-languages-too-many = { $max } langues au maximum
error-language-twice = { $language } figure deux fois
error-slots-too-many = { $max } plages horaires au maximum
error-slot = plage horaire { $slot } : { $problem }
error-slot-bad-time = { $time } n'est pas une heure ; écrivez-la HH:MM entre 00:00 et 24:00
error-slot-off-grid = { $time } ne tombe pas sur un quart d'heure ; utilisez :00, :15, :30 ou :45
error-slot-start-not-before-end = une plage horaire doit commencer avant de finir
error-not-coordinates = ({ $latitude }, { $longitude }) ne sont pas des coordonnées : la latitude est comprise entre -90 et 90 degrés et la longitude entre -180 et 180 degrés
error-outside-belgium = ({ $latitude }, { $longitude }) se trouve hors de Belgique
error-longitude-alone = indiquez la longitude avec la latitude
error-latitude-alone = indiquez la latitude avec la longitude
error-not-a-postal-code = { $code } n'est pas un code postal belge
error-no-location = indiquez un code postal belge, ou la latitude et la longitude
error-empty = { $field } ne peut pas être vide
error-too-long = { $field } peut compter au plus { $max } caractères
error-control-characters-one-line = { $field } ne peut pas contenir de caractères de contrôle (c'est une seule ligne de texte)
error-control-characters = { $field } ne peut pas contenir de caractères de contrôle (seuls les retours à la ligne et les tabulations sont permis)
error-disguise = { $field } ne peut pas contenir de caractères qui inversent le sens d'écriture ni de caractères sans largeur
error-password-short = un mot de passe compte au moins { $min } caractères
error-password-repeated = un mot de passe fait d'un seul caractère répété est trop facile à deviner
error-password-common = ce mot de passe est parmi les plus courants : choisissez-en un autre
error-not-an-email = { $input } n'est pas une adresse e-mail
error-planned-start-past = un début prévu ne peut pas se situer dans le passé : enregistrez le démarrage lui-même (phaseIn avec `at`)
error-planned-start-too-far = un début prévu se situe au plus un an à l'avance
error-proposal-ahead = une proposition ne peut pas être datée de plus d'un jour à l'avance
error-no-consent = la famille n'a pas donné son accord pour être accompagnée par le plan ; enregistrez d'abord son accord
error-plan-closed = le plan est clôturé ; rouvrez-le avant d'impliquer des intervenants
error-service-not-serving = { $service } ne dessert pas le code postal { $code } de la famille
error-service-at-capacity = { $service } est complet ({ $capacity } familles)
error-service-already-involved = { $service } est déjà impliqué dans ce plan
error-step-ahead = une étape ne peut pas être enregistrée plus d'un jour à l'avance
error-step-before-previous = une étape ne peut pas être datée d'avant l'étape précédente du même intervenant
error-start-only-proposed = seul le début d'un intervenant PROPOSED peut être planifié ; celui-ci est { $status }
error-plan-helpers-open = le plan a encore des intervenants qui ne sont ni terminés ni déclinés : { $helpers }
error-transition-not-allowed = Une implication ne peut pas passer de { $from } à { $to } ; { $count ->
        [0] { $from } est définitif.
       *[other] depuis { $from } elle peut passer à { $allowed }.
    }
error-reason-required = Une raison est requise pour faire passer une implication à { $to }.
error-field-closed-to-role = { $field } n'est pas accessible au rôle { $role } ici
error-field-not-in-policy = { $field } n'a pas de ligne dans la politique d'accès : personne ne peut le lire tant qu'une ligne ne dit pas qui le peut
error-field-unchecked = { $field } dépend de l'enregistrement, et rien ne l'a vérifié
error-input-closed-to-role = { $field } n'est pas accessible au rôle { $role } : il filtre ou modifie ce que ce rôle ne peut ni lire ni modifier
error-login-throttled-email = trop de connexions échouées pour cette adresse e-mail depuis votre adresse
error-login-throttled-address = trop de connexions échouées depuis votre adresse
error-try-again = { $what } : réessayez dans { $seconds } secondes
error-one-login = une connexion par requête : envoyez chaque connexion séparément
error-sign-in-again = reconnectez-vous
error-wrong-current-password = le mot de passe actuel est incorrect
error-user-name = un nom de 1 à { $max } caractères est requis
error-volunteer-account-needs-record = un compte VOLUNTEER a besoin de la fiche de bénévole à laquelle il appartient
error-account-not-volunteer = seul un compte VOLUNTEER appartient à une fiche de bénévole, pas un compte { $role }
error-volunteer-has-account = ce bénévole a déjà un compte ({ $email }) : un compte par bénévole
error-email-taken = un utilisateur avec l'adresse e-mail { $email } existe déjà
error-wrong-credentials = adresse e-mail ou mot de passe incorrect
error-check-in-ahead = un suivi ne peut pas se situer plus d'un jour dans le futur
error-wellbeing = le bien-être va de 1 (en difficulté) à 5 (très bien)
error-hours = les heures doivent être comprises entre 0 et { $max }
error-next-due-before = le prochain suivi ne peut pas être prévu avant celui-ci
error-concern-not-high = seules les inquiétudes HIGH sont suivies de cette façon
error-concern-done = cette inquiétude a déjà été suivie
error-service-area = indiquez entre 1 et { $max } codes postaux
error-capacity = la capacité doit être comprise entre 1 et { $max }
error-from-after-to = `from` ne peut pas être après `to`
error-weight-not-finite = le poids { $criterion } doit être un nombre fini
error-weight-negative = le poids { $criterion } ne peut pas être négatif
error-weights-all-zero = au moins un poids doit être supérieur à zéro
error-between = { $field } doit être compris entre { $min } et { $max }
error-too-many-families = { $max } familles au maximum à la fois
error-changed-meanwhile = ce { $kind } a été modifié par quelqu'un d'autre au même moment ; rechargez-le et réessayez
error-volunteer-capacity = la capacité doit être comprise entre 1 et { $max } familles
error-max-travel = maxTravelKm doit être supérieur à 0 et au plus { $max }
error-extract-future = l'extrait ne peut pas être daté dans le futur
error-unknown-module = module de formation inconnu { $input } ; le catalogue (trainingModules) contient { $modules }
error-unknown-module-suggest = module de formation inconnu { $input } : vouliez-vous dire { $names } ? Le catalogue (trainingModules) contient { $modules }
error-training-future = une formation ne peut pas être terminée dans le futur
error-within-km = withinKm doit être supérieur à 0 et au plus { $max }
error-within-km-alone = withinKm a besoin de nearPostalCode
error-children-too-many = { $max } enfants au maximum
error-child-age = l'âge d'un enfant doit être compris entre 0 et { $max }, pas { $age }
error-preferred-language = la langue préférée ({ $language }) doit être une des langues de la famille
error-referral-future = un signalement ne peut pas se situer dans le futur
error-cursor-of-other = ce curseur appartient à un { $kind }, pas à ce { $connection }
error-null-field = un champ obligatoire n'avait pas de valeur
error-document-refused = document refusé : { $reason }
error-document-too-large = le document est trop grand une fois ses fragments développés
error-document-recursive-fragment = le fragment { $name } se contient lui-même
error-document-unknown-fragment = fragment inconnu { $name }
error-document-fragments-too-deep = les fragments sont imbriqués trop profondément
error-document-too-many-aliases = le document utilise trop d'alias
error-document-too-many-directives = le document utilise trop de directives
error-document-nested-too-deep = le document imbrique des parenthèses sur plus de { $max } niveaux
error-document-control-character = le document contient un caractère de contrôle
error-document-bytes = un document fait au plus { $max } octets
error-introspection-off = l'introspection est désactivée sur ce serveur (production)
error-mutation-over-get = les mutations doivent être envoyées avec POST
error-subscription-over-http = les abonnements passent par le WebSocket sur /graphql/ws
error-authentication-unavailable = l'authentification n'est pas disponible
error-audit-unwritten = la piste d'audit n'a pas pu être écrite
error-query-too-deep = la requête est imbriquée trop profondément ({ $max } niveaux au maximum)
error-query-too-complex = la requête est trop complexe ({ $max } points au maximum)
error-not-an-int = { $field } : pas un nombre entier entre -2147483648 et 2147483647
error-not-a-float = { $field } : pas un nombre
error-not-an-id = { $field } : pas un ID ; donnez l'`id` fourni par l'API
error-not-of-type = { $field } : pas une valeur de type { $type }
error-input-too-deep = les valeurs d'entrée s'imbriquent sur { $max } niveaux au maximum
error-body-not-json = le corps n'est pas du JSON valide ({ $detail })
error-batch = les lots ne sont pas pris en charge : envoyez une requête à la fois
error-body-not-object = une requête GraphQL est un objet JSON avec une chaîne `query`
error-body-fields = la requête n'a pas les champs attendus ({ $detail })
error-params = la chaîne de requête n'a pas pu être lue ({ $detail })
error-param-not-json = `{ $name }` n'est pas du JSON valide ({ $detail })
error-persisted-query-shape = `extensions.persistedQuery` n'est pas un objet avec `version` et `sha256Hash` ({ $detail })
error-extensions-not-object = `extensions` doit être un objet JSON
error-query-needed = une chaîne `query` est requise
error-variables-not-object = `variables` doit être un objet JSON
error-persisted-version = seules les requêtes persistées de version 1 sont servies
error-persisted-hash-shape = sha256Hash doit être le hachage SHA-256 du document en 64 chiffres hexadécimaux
error-persisted-hash-mismatch = le hachage SHA-256 du document n'est pas sha256Hash
error-persisted-only = ce serveur n'exécute que les documents de son manifeste de requêtes persistées
error-body-unread = le corps de la requête n'a pas pu être lu
error-body-not-json-type = un corps POST doit être application/json
error-not-http = pas une requête HTTP
error-response-unwritten = la réponse n'a pas pu être écrite
error-ws-too-many-from-address = trop de connexions WebSocket depuis votre adresse
error-ws-too-many-operations = { $connection } opérations à la fois au maximum par connexion et { $user } par utilisateur
ws-server-stopping = le serveur s'arrête
ws-session-ended = la session est terminée
ws-token-needed = connection_init a besoin d'un jeton bearer
ws-token-invalid = le jeton n'est pas valide
ws-too-many-for-user = Trop de connexions pour cet utilisateur
cli-unknown-role = rôle inconnu { $input } : un de ADMIN, COORDINATOR, FOLLOW_UP, VOLUNTEER
cli-migrations-applied = migrations appliquées
cli-demo-login = Connexion de démo : { $email } / { $password }
cli-listening = Tandem écoute sur http://{ $address } (GraphQL sur /graphql)
cli-hint-create-database = créez-la d'abord (par exemple avec `createdb` et son nom) ou faites pointer DATABASE_URL vers une base existante
cli-hint-postgres = vérifiez que PostgreSQL tourne à cet endroit et que DATABASE_URL nomme le bon hôte, utilisateur et base
cli-hint-sqlite = vérifiez que le dossier du fichier SQLite existe et est accessible en écriture
cli-cannot-open-database = impossible d'ouvrir la base de données { $url } : { $cause } ; { $hint }
cli-not-a-volunteer-id = --volunteer-id { $input } n'est pas l'ID d'un bénévole
cli-created-user = utilisateur { $email } créé ({ $id })
cli-cannot-read = impossible de lire { $file } : { $cause }
cli-hint-skip-existing = {" "}(--skip-existing importe les autres)
cli-bad-rows = { $count ->
        [one] 1 ligne erronée
       *[other] { $count } lignes erronées
    } dans { $file } : rien n'a été importé{ $hint }
cli-default = par défaut : { $item }
cli-skipped = ignoré : { $item }
cli-imported = { $rows } { $rows ->
        [one] ligne importée
       *[other] lignes importées
    } de { $file } en { $seconds } s ({ $skipped } ignorées)
cli-dry-run = { $rows } lignes sont valides ; rien n'a été écrit (essai à blanc)
cli-would-erase = effacerait { $reference } (plan clôturé le { $closed_on })
cli-retention-dry-run = conservation (essai à blanc) : { $count } { $count ->
        [one] famille dont le plan a été clôturé il y a plus de { $days } jours serait effacée
       *[other] familles dont le plan a été clôturé il y a plus de { $days } jours seraient effacées
    } ; rien n'a été effacé
cli-erased = { $reference } effacée ({ $rows } lignes anonymisées)
cli-retention = conservation : { $count } { $count ->
        [one] famille dont le plan a été clôturé il y a plus de { $days } jours a été effacée
       *[other] familles dont le plan a été clôturé il y a plus de { $days } jours ont été effacées
    }
import-at-column = ligne { $line }, colonne { $column } : { $reason }
import-at-line = ligne { $line } : { $reason }
import-unknown-level = niveau de langue inconnu { $input } (maternelle, courant, intermédiaire ou débutant)
import-needs-level = { $item } a besoin d'un niveau, comme dans "arabe:maternelle"
import-unknown-day = jour inconnu { $input } (ma, di, wo, ... ou mon, tue, wed, ...)
import-not-a-slot = { $item } n'est pas comme "wo 14:00-17:00"
import-unknown-value = { $what } inconnu(e) { $input }
import-missing = { $what } manquant(e)
import-not-a-date = { $what } { $input } n'est pas une date (AAAA-MM-JJ)
import-not-a-number = { $what } { $input } n'est pas un nombre
import-not-yes-or-no = l'accord { $input } n'est ni oui ni non
import-what-training-date = date de formation
import-what-crisis-type = type de crise
import-what-referral-source = source du signalement
import-what-child-age = âge d'un enfant
import-training-future = la formation { $module } ne peut pas être terminée dans le futur
import-training-dated-today = { $module } n'a pas de date : datée d'aujourd'hui ({ $today })
import-empty = vide : { $default }
import-default-travel = { $km } km
import-default-capacity = { $count ->
        [one] 1 famille à la fois
       *[other] { $count } familles à la fois
    }
import-default-referred-now = signalée maintenant
import-default-no-consent = pas d'accord
import-unreadable-header = en-tête illisible : { $cause }
import-header-lacks = il manque { $missing } à l'en-tête (il a : { $headers })
import-already-in-tandem = déjà dans Tandem ({ $what })
import-same-as-line = identique à la ligne { $line }
import-existing-volunteer = bénévole { $name }
import-existing-family = famille { $reference }
import-field-count = { $fields } champs là où l'en-tête en a { $header } (une cellule contenant le séparateur doit être entre guillemets)
