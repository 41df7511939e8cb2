-- The expert PostGIS peer of matchesForFamily: what a PostgreSQL expert adds to
-- Tandem's schema so that "top 10 eligible volunteers for this family" is one
-- index scan scored with arithmetic (expert.sql). Same database, same rules,
-- same scoring as Tandem (matching/src/score.rs, the default Policy and Weights);
-- bench/postgis/compare.py checks that it returns exactly Tandem's top 10.
--
-- Everything here stays exact when volunteers change: one row per volunteer in
-- expert.volunteer, rewritten by triggers on volunteer, volunteer_language,
-- training_completion, involvement and plan (in the writing transaction), with
-- generated columns for what follows from the row alone. Nothing is kept per
-- family: a family's needs are worked out by the query itself.
--
-- Idempotent; run after setup.sql (which creates bench_family):
--   psql -v ON_ERROR_STOP=1 -f bench/postgis/expert-setup.sql <database>

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS intarray;
CREATE SCHEMA IF NOT EXISTS expert;

-- The helpers below are PL/pgSQL, not SQL functions: PostgreSQL plans an SQL
-- function that it cannot inline again in every statement that calls it, while
-- PL/pgSQL keeps its plans for the session (with pgbench's prepared statement,
-- the query plans nothing per execution).

-- Integer keys of the signature (intarray): a language is its ISO 639 code in
-- base 27 (2-3 letters: 28..20,000; any other code hashed above that, where a
-- collision only lets a volunteer through to the exact check), a three-hour
-- block of the week is 2,000,000 + day * 8 + hour / 3, "gave no times" is
-- 2,000,100, and the crisis-specific modules held are 2,000,200
-- (DOMESTIC_VIOLENCE) and 2,000,201 (CHILD_SAFETY).
CREATE OR REPLACE FUNCTION expert.language_key(code text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN (
        SELECT CASE
            WHEN code ~ '^[a-z]{2,3}$' THEN
                (SELECT sum((ascii(substr(code, i, 1)) - 96) * 27 ^ (length(code) - i))::integer
                 FROM generate_series(1, length(code)) AS i)
            ELSE 20000 + (hashtext(code)::bigint & 1048575)::integer
        END
    );
END
$$;

-- (A single expression: an SQL function that PostgreSQL inlines.)
CREATE OR REPLACE FUNCTION expert.weekday(day text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_position(
        ARRAY['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'],
        day) - 1
$$;

-- Availability [{"day": "TUESDAY", "start": "16:00", "end": "18:30"}] as 672
-- bits, one per quarter-hour of the week (Monday 00:00 is the first), like
-- matching::WeekMask. Times are on the quarter-hour grid (the API refuses others).
CREATE OR REPLACE FUNCTION expert.week(slots json) RETURNS bit(672)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
        SELECT coalesce(bit_or((repeat('0', q.first) || repeat('1', q.last - q.first)
                                || repeat('0', 672 - q.last))::bit(672)),
                        repeat('0', 672)::bit(672))
        FROM (SELECT expert.weekday(s.day) * 96 + extract(epoch FROM s.start)::integer / 900 AS first,
                     expert.weekday(s.day) * 96 + extract(epoch FROM s."end")::integer / 900 AS last
              FROM json_to_recordset(coalesce(slots, '[]')) AS s (day text, start time, "end" time)) q
        WHERE q.last > q.first
    );
END
$$;

-- The three-hour blocks (12 quarter-hours each) with some free time, as keys.
CREATE OR REPLACE FUNCTION expert.block_keys(week bit(672)) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN (
        SELECT coalesce(array_agg(2000000 + b ORDER BY b), '{}')
        FROM generate_series(0, 55) AS b
        WHERE position(B'1' IN substring(week FROM b * 12 + 1 FOR 12)) > 0
    );
END
$$;

-- Crisis types as bits, in matching::CrisisType order.
CREATE OR REPLACE FUNCTION expert.crisis_mask(types json) RETURNS integer
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
        SELECT coalesce(bit_or(1 << (array_position(ARRAY[
            'PARENTING_STRESS', 'CHILD_SAFETY_CONCERN', 'DOMESTIC_VIOLENCE', 'MENTAL_HEALTH',
            'ADDICTION', 'HOUSING', 'FINANCIAL', 'SCHOOL_DROPOUT', 'SOCIAL_ISOLATION',
            'NEWCOMER', 'ILLNESS_OR_DISABILITY'], t) - 1)), 0)
        FROM json_array_elements_text(coalesce(types, '[]')) AS t
    );
END
$$;

-- Language levels as ranks 1 (BASIC) .. 4 (NATIVE), for indexing the family's
-- score arrays.
CREATE OR REPLACE FUNCTION expert.level_rank(level text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_position(ARRAY['BASIC', 'CONVERSATIONAL', 'FLUENT', 'NATIVE'], level)
$$;

-- One row per volunteer. The base columns are copied from Tandem's tables by
-- expert.refresh; the generated ones follow from them.
CREATE TABLE IF NOT EXISTS expert.volunteer (
    id                   uuid PRIMARY KEY REFERENCES volunteer (id) ON DELETE CASCADE,
    status               text NOT NULL,
    latitude             float8 NOT NULL,
    longitude            float8 NOT NULL,
    max_travel_km        float8 NOT NULL,
    capacity             integer NOT NULL,
    background_issued_on date,
    availability         json NOT NULL,
    -- kept by the triggers (expert.refresh)
    load                 integer NOT NULL,      -- PROPOSED, ACTIVE, PHASING_OUT involvements
    involved_families    uuid[] NOT NULL,       -- the families of those involvements
    has_basic            boolean NOT NULL,      -- holds BASIC (required for every match)
    crisis_covered       integer NOT NULL,      -- experience, plus the types trained for
    language_codes       text[] NOT NULL,       -- languages spoken ...
    language_ranks       integer[] NOT NULL,    -- ... at their best level (1..4)
    signature            integer[] NOT NULL,    -- language, block and module keys
    -- generated from the row
    x float8 GENERATED ALWAYS AS (cos(radians(latitude)) * cos(radians(longitude))) STORED,
    y float8 GENERATED ALWAYS AS (cos(radians(latitude)) * sin(radians(longitude))) STORED,
    z float8 GENERATED ALWAYS AS (sin(radians(latitude))) STORED,
    week bit(672) GENERATED ALWAYS AS (expert.week(availability)) STORED,
    home geometry(Point, 4326) GENERATED ALWAYS AS (
        ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED,
    -- Every point within max_travel_km (great circle, R = 6371.0088 km) lies in
    -- this box: latitude +- reach / R, longitude +- asin(sin(reach / R) / cos(lat)),
    -- widened by 0.1% so that rounding never cuts anyone off.
    reach geometry(Polygon, 4326) GENERATED ALWAYS AS (
        ST_MakeEnvelope(
            longitude - 1.001 * degrees(asin(least(1, sin(greatest(max_travel_km, 0) / 6371.0088)
                                                   / cos(radians(latitude))))) - 1e-9,
            latitude - 1.001 * degrees(greatest(max_travel_km, 0) / 6371.0088) - 1e-9,
            longitude + 1.001 * degrees(asin(least(1, sin(greatest(max_travel_km, 0) / 6371.0088)
                                                   / cos(radians(latitude))))) + 1e-9,
            latitude + 1.001 * degrees(greatest(max_travel_km, 0) / 6371.0088) + 1e-9,
            4326)) STORED
);

-- What expert.volunteer holds for every volunteer, worked out from Tandem's tables.
CREATE OR REPLACE VIEW expert.volunteer_source AS
SELECT v.id, v.status, v.latitude, v.longitude, v.max_travel_km, v.capacity,
       v.background_check_issued_on AS background_issued_on, v.availability,
       coalesce(inv.load, 0) AS load,
       coalesce(inv.families, '{}') AS involved_families,
       coalesce(tr.basic, false) AS has_basic,
       expert.crisis_mask(v.crisis_experience)
           | CASE WHEN coalesce(tr.dv, false) THEN 4 ELSE 0 END   -- DOMESTIC_VIOLENCE
           | CASE WHEN coalesce(tr.cs, false) THEN 2 ELSE 0 END   -- CHILD_SAFETY_CONCERN
           AS crisis_covered,
       coalesce(lang.codes, '{}') AS language_codes,
       coalesce(lang.ranks, '{}') AS language_ranks,
       sort(coalesce(lang.keys, '{}')
            || CASE WHEN expert.week(v.availability) = repeat('0', 672)::bit(672)
                    THEN ARRAY[2000100]
                    ELSE expert.block_keys(expert.week(v.availability)) END
            || CASE WHEN coalesce(tr.dv, false) THEN ARRAY[2000200] ELSE '{}' END
            || CASE WHEN coalesce(tr.cs, false) THEN ARRAY[2000201] ELSE '{}' END)
           AS signature
FROM volunteer v
LEFT JOIN LATERAL (
    SELECT count(*)::integer AS load, array_agg(DISTINCT p.family_id) AS families
    FROM involvement i
    JOIN plan p ON p.id = i.plan_id
    WHERE i.volunteer_id = v.id
      AND i.status IN ('PROPOSED', 'ACTIVE', 'PHASING_OUT')
) inv ON true
LEFT JOIN LATERAL (
    SELECT bool_or(m = 'BASIC') AS basic,
           bool_or(m = 'DOMESTIC_VIOLENCE') AS dv,
           bool_or(m = 'CHILD_SAFETY') AS cs
    FROM (SELECT upper(btrim(t.module)) AS m
          FROM training_completion t
          WHERE t.volunteer_id = v.id) modules
) tr ON true
LEFT JOIN LATERAL (
    SELECT array_agg(l.code ORDER BY l.code) AS codes,
           array_agg(l.rank ORDER BY l.code) AS ranks,
           array_agg(DISTINCT expert.language_key(l.code)) AS keys
    FROM (SELECT vl.language_code AS code, max(expert.level_rank(vl.level)) AS rank
          FROM volunteer_language vl
          WHERE vl.volunteer_id = v.id
          GROUP BY vl.language_code) l
) lang ON true;

-- Rewrites (or removes) one volunteer's row.
CREATE OR REPLACE FUNCTION expert.refresh(volunteer_id uuid) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM expert.volunteer e
    WHERE e.id = refresh.volunteer_id
      AND NOT EXISTS (SELECT FROM volunteer v WHERE v.id = refresh.volunteer_id);
    INSERT INTO expert.volunteer AS e (
        id, status, latitude, longitude, max_travel_km, capacity, background_issued_on,
        availability, load, involved_families, has_basic, crisis_covered,
        language_codes, language_ranks, signature)
    SELECT s.id, s.status, s.latitude, s.longitude, s.max_travel_km, s.capacity,
           s.background_issued_on, s.availability, s.load, s.involved_families, s.has_basic,
           s.crisis_covered, s.language_codes, s.language_ranks, s.signature
    FROM expert.volunteer_source s
    WHERE s.id = refresh.volunteer_id
    ON CONFLICT (id) DO UPDATE SET
        status = excluded.status, latitude = excluded.latitude,
        longitude = excluded.longitude, max_travel_km = excluded.max_travel_km,
        capacity = excluded.capacity, background_issued_on = excluded.background_issued_on,
        availability = excluded.availability, load = excluded.load,
        involved_families = excluded.involved_families, has_basic = excluded.has_basic,
        crisis_covered = excluded.crisis_covered, language_codes = excluded.language_codes,
        language_ranks = excluded.language_ranks, signature = excluded.signature;
$$;

CREATE OR REPLACE FUNCTION expert.refresh_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    column_name text := TG_ARGV[0];  -- the column naming the volunteer
    old_id uuid;
    new_id uuid;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_id := to_jsonb(OLD) ->> column_name;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_id := to_jsonb(NEW) ->> column_name;
    END IF;
    IF old_id IS NOT NULL AND old_id IS DISTINCT FROM new_id THEN
        PERFORM expert.refresh(old_id);
    END IF;
    IF new_id IS NOT NULL THEN
        PERFORM expert.refresh(new_id);
    END IF;
    RETURN NULL;
END
$$;

-- A plan moved to another family changes its volunteers' involved families.
CREATE OR REPLACE FUNCTION expert.plan_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM expert.refresh(i.volunteer_id)
    FROM (SELECT DISTINCT volunteer_id FROM involvement
          WHERE plan_id = NEW.id AND volunteer_id IS NOT NULL) i;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER expert_volunteer_row
    AFTER INSERT OR UPDATE OR DELETE ON volunteer
    FOR EACH ROW EXECUTE FUNCTION expert.refresh_trigger('id');
CREATE OR REPLACE TRIGGER expert_volunteer_language
    AFTER INSERT OR UPDATE OR DELETE ON volunteer_language
    FOR EACH ROW EXECUTE FUNCTION expert.refresh_trigger('volunteer_id');
CREATE OR REPLACE TRIGGER expert_training_completion
    AFTER INSERT OR UPDATE OR DELETE ON training_completion
    FOR EACH ROW EXECUTE FUNCTION expert.refresh_trigger('volunteer_id');
CREATE OR REPLACE TRIGGER expert_involvement
    AFTER INSERT OR UPDATE OR DELETE ON involvement
    FOR EACH ROW EXECUTE FUNCTION expert.refresh_trigger('volunteer_id');
CREATE OR REPLACE TRIGGER expert_plan
    AFTER UPDATE OF family_id ON plan
    FOR EACH ROW EXECUTE FUNCTION expert.plan_trigger();

-- Fill (or refill) it in one statement.
TRUNCATE expert.volunteer;
INSERT INTO expert.volunteer (
    id, status, latitude, longitude, max_travel_km, capacity, background_issued_on,
    availability, load, involved_families, has_basic, crisis_covered,
    language_codes, language_ranks, signature)
SELECT id, status, latitude, longitude, max_travel_km, capacity, background_issued_on,
       availability, load, involved_families, has_basic, crisis_covered,
       language_codes, language_ranks, signature
FROM expert.volunteer_source;

-- The homes, for clustering the table: neighbours share pages.
CREATE INDEX IF NOT EXISTS idx_expert_volunteer_home ON expert.volunteer USING gist (home);
CLUSTER expert.volunteer USING idx_expert_volunteer_home;

-- Only volunteers who can be matched at all (ACTIVE, below capacity, a
-- background check on file, BASIC held), over the reach box and the signature:
-- "whose reach covers this point, who speaks one of these languages, has time in
-- one of these blocks (or gave none) and holds these modules".
DROP INDEX IF EXISTS expert.idx_expert_volunteer_matchable;
CREATE INDEX idx_expert_volunteer_matchable ON expert.volunteer
    USING gist (reach, signature gist__int_ops)
    WHERE status = 'ACTIVE' AND load < capacity
      AND background_issued_on IS NOT NULL AND has_basic;

ANALYZE expert.volunteer;
