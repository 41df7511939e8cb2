-- PostGIS baseline for matchesForFamily: what a developer would add to Tandem's
-- schema to answer "top 10 eligible volunteers for this family" in SQL.
--
-- Idempotent: safe to run again after `tandem seed` or on a live database.
--   psql -v ON_ERROR_STOP=1 -f bench/postgis/setup.sql <database>
--
-- Already present in Tandem's own migration, so not repeated here:
--   idx_volunteer_language_code  volunteer_language(language_code)
--   idx_involvement_volunteer    involvement(volunteer_id)
--   idx_training_volunteer       training_completion(volunteer_id)
--   volunteer_language / family_language primary keys (owner id, language_code)
--   plan.family_id unique

CREATE EXTENSION IF NOT EXISTS postgis;

-- Each volunteer's home as a geography point, kept in sync with latitude and
-- longitude by PostgreSQL itself (Tandem writes only the two doubles).
ALTER TABLE volunteer
    ADD COLUMN IF NOT EXISTS home geography(Point, 4326)
    GENERATED ALWAYS AS (
        ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography
    ) STORED;

CREATE INDEX IF NOT EXISTS idx_volunteer_home ON volunteer USING gist (home);

-- Families a load generator can ask about: the live WAITING families with a
-- location, numbered 1..N in id order. Rebuilt from scratch on every run.
DROP TABLE IF EXISTS bench_family;
CREATE TABLE bench_family (
    n         integer PRIMARY KEY,
    family_id uuid    NOT NULL UNIQUE REFERENCES family (id) ON DELETE CASCADE
);
INSERT INTO bench_family (n, family_id)
SELECT row_number() OVER (ORDER BY id), id
FROM family
WHERE status = 'WAITING'
  AND erased_at IS NULL
  AND latitude IS NOT NULL
  AND longitude IS NOT NULL;

ANALYZE volunteer;
ANALYZE volunteer_language;
ANALYZE involvement;
ANALYZE training_completion;
ANALYZE bench_family;
