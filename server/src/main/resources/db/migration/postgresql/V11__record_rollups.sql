-- Hourly rollups of the records, so the dashboard's overview and leaderboard read a few thousand
-- rows instead of every record; kept in the same transaction as the records they count
-- (RecordRollups). Also the indexes and the trigram index the records list needs at scale.
-- Keep in step with ../sqlite/V11__record_rollups.sql.

-- One row per project, hour (epoch ms of its start), prompt ('' for direct model calls), version
-- (-1 without one) and model. latency is a sparse histogram of log-scale buckets 5 % wide, as
-- varint pairs (bucket delta, count).
CREATE TABLE record_rollups (
    project_id     TEXT             NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    hour           BIGINT           NOT NULL,
    prompt_name    TEXT             NOT NULL,
    prompt_version INTEGER          NOT NULL,
    model          TEXT             NOT NULL,
    requests       BIGINT           NOT NULL,
    errors         BIGINT           NOT NULL,
    tokens         BIGINT           NOT NULL,
    cost           DOUBLE PRECISION NOT NULL,
    priced         BIGINT           NOT NULL,
    latency        BYTEA            NOT NULL,
    PRIMARY KEY (project_id, hour, prompt_name, prompt_version, model)
);

-- Feedback of the records of one rollup row, per measure and source (auto, judge, human).
CREATE TABLE record_rollup_feedback (
    project_id     TEXT             NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    hour           BIGINT           NOT NULL,
    prompt_name    TEXT             NOT NULL,
    prompt_version INTEGER          NOT NULL,
    model          TEXT             NOT NULL,
    name           TEXT             NOT NULL,
    source         TEXT             NOT NULL,
    scores         BIGINT           NOT NULL,
    value_sum      DOUBLE PRECISION NOT NULL,
    judged         BIGINT           NOT NULL,
    passed         BIGINT           NOT NULL,
    PRIMARY KEY (project_id, hour, prompt_name, prompt_version, model, name, source)
);

-- Failed records per project, hour and error type, with the latest message.
CREATE TABLE record_rollup_errors (
    project_id   TEXT   NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    hour         BIGINT NOT NULL,
    error_type   TEXT   NOT NULL,
    errors       BIGINT NOT NULL,
    last_at      BIGINT NOT NULL,
    last_message TEXT,
    PRIMARY KEY (project_id, hour, error_type)
);

-- The records list's filters, newest first.
CREATE INDEX records_project_status ON records (project_id, status, id);

-- Text search over the stored (anonymized) input and output: a trigram index answers the
-- substring search (LIKE) of three characters or more without reading every record. pg_trgm may
-- live in another schema (it is installed once per database) or not be installable (a role
-- without the right): then the search works without the index, reading the records.
DO $$
DECLARE
    trgm_schema TEXT;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%): the records text search reads the records', SQLERRM;
    END;
    SELECT n.nspname INTO trgm_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF trgm_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX records_text ON records USING gin'
                       || ' ((input || '' '' || COALESCE(output, '''')) %I.gin_trgm_ops)', trgm_schema);
    END IF;
END
$$;
