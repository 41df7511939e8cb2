\set n random(1, :families)
-- Top 10 eligible volunteers for one WAITING family (row n of bench_family, see
-- setup.sql), ranked like Tandem's matchesForFamily(first: 10) with the default
-- policy and weights: matching/src/score.rs and matching/src/profile.rs.
--
-- pgbench:  pgbench -M prepared -f straightforward.sql -D families=<rows in bench_family> <db>
-- psql:     drop the \set line and pass -v n=<row>
WITH
-- Policy::level_factors: how much each language level counts.
level_factor (level, factor) AS (
    VALUES ('NATIVE', 1.0::float8),
           ('FLUENT', 0.9::float8),
           ('CONVERSATIONAL', 0.7::float8),
           ('BASIC', 0.4::float8)
),
-- Policy::required_trainings: BASIC for every match, and one module for each
-- of two crisis types. Holding every module of a crisis type also counts as
-- experience with it.
required_training (crisis_type, module) AS (
    VALUES (NULL, 'BASIC'),
           ('DOMESTIC_VIOLENCE', 'DOMESTIC_VIOLENCE'),
           ('CHILD_SAFETY_CONCERN', 'CHILD_SAFETY')
),
-- Availability is stored as [{"day": "TUESDAY", "start": "16:00", "end": "18:30"}];
-- each window becomes a range of minutes of the week (Monday 00:00 is 0), and
-- a person's windows one int4multirange (overlapping windows merge).
weekday (day, i) AS (
    VALUES ('MONDAY', 0), ('TUESDAY', 1), ('WEDNESDAY', 2), ('THURSDAY', 3),
           ('FRIDAY', 4), ('SATURDAY', 5), ('SUNDAY', 6)
),
-- The family and what its matches need, computed once.
family_needs AS MATERIALIZED (
    SELECT f.id,
           f.preferred_language,
           ST_SetSRID(ST_MakePoint(f.longitude, f.latitude), 4326)::geography AS home,
           (now() AT TIME ZONE 'UTC')::date AS today,
           crisis.types AS crisis_types,
           ARRAY(SELECT r.module
                 FROM required_training r
                 WHERE r.crisis_type IS NULL
                    OR r.crisis_type = ANY (crisis.types)) AS required_modules,
           needed.week,
           (SELECT coalesce(sum(upper(r) - lower(r)), 0)
            FROM unnest(needed.week) AS r) AS needed_minutes
    FROM bench_family b
    JOIN family f ON f.id = b.family_id
    CROSS JOIN LATERAL (
        SELECT ARRAY(SELECT DISTINCT json_array_elements_text(f.crisis_types)) AS types
    ) crisis
    CROSS JOIN LATERAL (
        SELECT coalesce(range_agg(int4range(
                   w.i * 1440 + extract(epoch FROM s.start)::int / 60,
                   w.i * 1440 + extract(epoch FROM s."end")::int / 60)),
               '{}') AS week
        FROM json_to_recordset(f.needed_availability) AS s (day text, start time, "end" time)
        JOIN weekday w USING (day)
    ) needed
    WHERE b.n = :n
),
-- Rules 1-4 and 7: active, background check valid for three years, below
-- capacity (PROPOSED, ACTIVE and PHASING_OUT involvements count), not yet
-- involved with this family, and the family within their travel distance.
-- The GiST index cuts by distance first: nobody travels more than 100 km
-- (the API's limit on max_travel_km). Distances are great-circle (on a
-- sphere, as in Tandem), in km.
within_reach AS (
    SELECT v.id,
           v.max_travel_km,
           v.availability,
           v.crisis_experience,
           ST_Distance(v.home, fam.home, false) / 1000 AS distance_km
    FROM family_needs fam
    JOIN volunteer v ON ST_DWithin(v.home, fam.home, 100000, false)
    WHERE v.status = 'ACTIVE'
      AND fam.today - v.background_check_issued_on BETWEEN 0 AND 1095
      AND ST_Distance(v.home, fam.home, false) / 1000 <= v.max_travel_km
      AND (SELECT count(*)
           FROM involvement i
           WHERE i.volunteer_id = v.id
             AND i.status IN ('PROPOSED', 'ACTIVE', 'PHASING_OUT')) < v.capacity
      AND NOT EXISTS (
          SELECT
          FROM involvement i
          JOIN plan p ON p.id = i.plan_id
          WHERE i.volunteer_id = v.id
            AND i.status IN ('PROPOSED', 'ACTIVE', 'PHASING_OUT')
            AND p.family_id = fam.id)
),
-- What the other rules and the criteria need about each of them.
volunteer_facts AS MATERIALIZED (
    SELECT c.id,
           c.max_travel_km,
           c.distance_km,
           -- Completed modules, compared trimmed and in upper case.
           ARRAY(SELECT DISTINCT upper(btrim(t.module))
                 FROM training_completion t
                 WHERE t.volunteer_id = c.id) AS modules,
           ARRAY(SELECT json_array_elements_text(c.crisis_experience)) AS experience,
           -- The best shared language: 1.0 for the family's preferred language
           -- when both speak it at CONVERSATIONAL or better, otherwise the
           -- product of the two level factors. NULL: no language in common.
           (SELECT max(CASE
                           WHEN fl.language_code = fam.preferred_language
                            AND fl.level <> 'BASIC'
                            AND vl.level <> 'BASIC' THEN 1.0::float8
                           ELSE ff.factor * vf.factor
                       END)
            FROM family_language fl
            JOIN volunteer_language vl ON vl.language_code = fl.language_code
            JOIN level_factor ff ON ff.level = fl.level
            JOIN level_factor vf ON vf.level = vl.level
            WHERE fl.family_id = fam.id
              AND vl.volunteer_id = c.id) AS language,
           (SELECT coalesce(range_agg(int4range(
                       w.i * 1440 + extract(epoch FROM s.start)::int / 60,
                       w.i * 1440 + extract(epoch FROM s."end")::int / 60)),
                   '{}')
            FROM json_to_recordset(c.availability) AS s (day text, start time, "end" time)
            JOIN weekday w USING (day)) AS week
    FROM within_reach c
    CROSS JOIN family_needs fam
),
-- Rules 5, 6 and 8, and the four criteria, each in [0, 1].
eligible AS (
    SELECT v.id,
           v.distance_km,
           shared.minutes AS overlap_minutes,
           v.language,
           CASE WHEN v.max_travel_km > 0
                THEN greatest(0, least(1, 1 - v.distance_km / v.max_travel_km))
                ELSE 1
           END AS location,
           CASE WHEN isempty(fam.week) OR isempty(v.week) THEN 0.5  -- unknown
                ELSE least(1, shared.minutes::float8 / fam.needed_minutes)
           END AS availability,
           CASE WHEN cardinality(fam.crisis_types) = 0 THEN 0.5     -- none named
                ELSE (SELECT count(*)
                      FROM unnest(fam.crisis_types) AS t
                      WHERE t = ANY (v.experience)
                         OR t IN (SELECT r.crisis_type  -- trained for it
                                  FROM required_training r
                                  WHERE r.crisis_type IS NOT NULL
                                  GROUP BY r.crisis_type
                                  HAVING bool_and(r.module = ANY (v.modules))))::float8
                     / cardinality(fam.crisis_types)
           END AS crisis_type
    FROM volunteer_facts v
    CROSS JOIN family_needs fam
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(upper(r) - lower(r)), 0) AS minutes
        FROM unnest(v.week * fam.week) AS r
    ) shared
    WHERE fam.required_modules <@ v.modules
      AND v.language IS NOT NULL
      AND (isempty(fam.week) OR isempty(v.week)
           OR shared.minutes >= least(60, fam.needed_minutes))
)
-- Weights::default(), total clamped to [0, 1]; ties go to the nearer
-- volunteer, then to the lower id.
SELECT id,
       greatest(0, least(1, 0.35 * language
                            + 0.25 * location
                            + 0.25 * availability
                            + 0.15 * crisis_type)) AS score,
       distance_km,
       language,
       location,
       availability,
       crisis_type,
       overlap_minutes
FROM eligible
ORDER BY score DESC, distance_km, id
LIMIT 10;
