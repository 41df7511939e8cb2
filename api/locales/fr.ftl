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
