\set n random(1, :families)
-- Top 10 eligible volunteers for one WAITING family (row n of bench_family),
-- ranked exactly like Tandem's matchesForFamily(first: 10) with the default
-- policy and weights, the way a PostgreSQL expert writes it: one scan of the
-- partial GiST index of expert-setup.sql ("reach covers my home AND one of my
-- languages AND a block I need AND the modules my crises require"), every
-- rule and criterion arithmetic on the row's columns, no JSON parsed and no
-- child table read per volunteer.
--
-- pgbench:  pgbench -M prepared -f expert.sql -D families=<rows in bench_family> <db>
-- psql:     drop the \set line and pass -v n=<row>
--
-- A family's languages go into four slots (c1..c4): the API stores a handful at
-- most, and a fifth would be ignored, so the family CTE refuses it (a division
-- by zero) rather than answer wrongly.
WITH fam AS MATERIALIZED (
    SELECT f.id,
           (now() AT TIME ZONE 'UTC')::date AS today,
           cos(radians(f.latitude)) * cos(radians(f.longitude)) AS x,
           cos(radians(f.latitude)) * sin(radians(f.longitude)) AS y,
           sin(radians(f.latitude)) AS z,
           ST_SetSRID(ST_MakePoint(f.longitude, f.latitude), 4326) AS home,
           need.week,
           15 * bit_count(need.week) AS needed_minutes,
           crisis.mask AS crisis_mask,
           bit_count(crisis.mask::bit(16)) AS crisis_count,
           lang.c[1] AS c1, lang.c[2] AS c2, lang.c[3] AS c3, lang.c[4] AS c4,
           -- Language score by the volunteer's rank (1 BASIC .. 4 NATIVE) of each
           -- family language: factor * factor, or 1.0 for the preferred language
           -- when both speak it at CONVERSATIONAL or better.
           lang.s[1:1][1:4] AS s1, lang.s[2:2][1:4] AS s2,
           lang.s[3:3][1:4] AS s3, lang.s[4:4][1:4] AS s4,
           -- The index's question, in intarray's query language.
           (concat_ws(' & ',
               '(' || coalesce(lang.keys, '0') || ')',
               CASE WHEN bit_count(need.week) > 0
                    THEN '(' || array_to_string(expert.block_keys(need.week), '|') || '|2000100)'
               END,
               CASE WHEN crisis.mask & 4 <> 0 THEN '2000200' END,
               CASE WHEN crisis.mask & 2 <> 0 THEN '2000201' END))::query_int AS question,
           1 / (CASE WHEN lang.n > 4 THEN 0 ELSE 1 END) AS at_most_four_languages
    FROM bench_family b
    JOIN family f ON f.id = b.family_id
    CROSS JOIN LATERAL (SELECT expert.week(f.needed_availability) AS week) need
    CROSS JOIN LATERAL (SELECT expert.crisis_mask(f.crisis_types) AS mask) crisis
    CROSS JOIN LATERAL (
        SELECT count(*) AS n,
               array_agg(fl.language_code ORDER BY fl.language_code) AS c,
               array_agg(ARRAY[
                   fr.factor * 0.4,
                   CASE WHEN fl.language_code = f.preferred_language AND fr.rank >= 2
                        THEN 1.0 ELSE fr.factor * 0.7 END,
                   CASE WHEN fl.language_code = f.preferred_language AND fr.rank >= 2
                        THEN 1.0 ELSE fr.factor * 0.9 END,
                   CASE WHEN fl.language_code = f.preferred_language AND fr.rank >= 2
                        THEN 1.0 ELSE fr.factor * 1.0 END]::float8[]
                   ORDER BY fl.language_code) AS s,
               string_agg(DISTINCT expert.language_key(fl.language_code)::text, '|') AS keys
        FROM family_language fl
        CROSS JOIN LATERAL (
            SELECT expert.level_rank(fl.level) AS rank,
                   (ARRAY[0.4, 0.7, 0.9, 1.0]::float8[])[expert.level_rank(fl.level)] AS factor
        ) fr
        WHERE fl.family_id = f.id
    ) lang
    WHERE b.n = :n
),
candidate AS (
    SELECT v.id,
           v.max_travel_km,
           2 * 6371.0088 * asin(least(1, sqrt((v.x - fam.x) ^ 2 + (v.y - fam.y) ^ 2
                                              + (v.z - fam.z) ^ 2) / 2)) AS distance_km,
           greatest(fam.s1[1][v.language_ranks[array_position(v.language_codes, fam.c1)]],
                    fam.s2[1][v.language_ranks[array_position(v.language_codes, fam.c2)]],
                    fam.s3[1][v.language_ranks[array_position(v.language_codes, fam.c3)]],
                    fam.s4[1][v.language_ranks[array_position(v.language_codes, fam.c4)]])
               AS language,
           CASE WHEN fam.needed_minutes = 0 OR v.week = repeat('0', 672)::bit(672) THEN NULL
                ELSE 15 * bit_count(v.week & fam.week)
           END AS shared_minutes,
           15 * bit_count(v.week & fam.week) AS overlap_minutes,
           CASE WHEN fam.crisis_count = 0 THEN 0.5
                ELSE bit_count((v.crisis_covered & fam.crisis_mask)::bit(16))::float8
                     / fam.crisis_count
           END AS crisis_type
    FROM fam
    JOIN expert.volunteer v
      ON v.reach && fam.home
     AND v.signature @@ fam.question
    WHERE v.status = 'ACTIVE' AND v.load < v.capacity
      AND v.background_issued_on IS NOT NULL AND v.has_basic
      AND fam.today - v.background_issued_on BETWEEN 0 AND 1095
      AND NOT fam.id = ANY (v.involved_families)
),
eligible AS (
    SELECT c.id, c.distance_km, c.overlap_minutes, c.language, c.crisis_type,
           CASE WHEN c.max_travel_km > 0
                THEN greatest(0, least(1, 1 - c.distance_km / c.max_travel_km))
                ELSE 1
           END AS location,
           CASE WHEN c.shared_minutes IS NULL THEN 0.5
                ELSE least(1, c.shared_minutes::float8 / fam.needed_minutes)
           END AS availability
    FROM candidate c
    CROSS JOIN fam
    WHERE c.distance_km <= c.max_travel_km
      AND c.language IS NOT NULL
      AND (c.shared_minutes IS NULL OR c.shared_minutes >= least(60, fam.needed_minutes))
)
SELECT id,
       greatest(0, least(1, 0.35 * language + 0.25 * location
                            + 0.25 * availability + 0.15 * crisis_type)) AS score,
       distance_km, language, location, availability, crisis_type, overlap_minutes
FROM eligible
ORDER BY score DESC, distance_km, id
LIMIT 10;
