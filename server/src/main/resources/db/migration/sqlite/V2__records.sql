-- Records: one row per execution (success or failure), with feedback scores.
-- Keep in step with ../postgresql/V2__records.sql.

CREATE TABLE records (
    id               TEXT PRIMARY KEY,
    project_id       TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    prompt_name      TEXT,
    prompt_version   INTEGER,
    endpoint         TEXT NOT NULL,
    provider         TEXT NOT NULL,
    model            TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error_type       TEXT,
    error_message    TEXT,
    http_status      INTEGER,
    input            TEXT NOT NULL,
    output           TEXT,
    finish_reason    TEXT,
    latency_ms       REAL NOT NULL,
    input_tokens     INTEGER,
    output_tokens    INTEGER,
    tokens_estimated BOOLEAN NOT NULL DEFAULT FALSE,
    cost             REAL,
    attempts         INTEGER NOT NULL DEFAULT 1,
    streamed         BOOLEAN NOT NULL DEFAULT FALSE,
    correlation_id   TEXT,
    trace_id         TEXT,
    api_key_id       TEXT,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER NOT NULL
);
CREATE INDEX records_project_id ON records (project_id, id);
CREATE INDEX records_project_time ON records (project_id, created_at);
CREATE INDEX records_project_prompt ON records (project_id, prompt_name, prompt_version, id);
CREATE INDEX records_project_model ON records (project_id, model, id);

CREATE TABLE feedback (
    id                TEXT PRIMARY KEY,
    record_id         TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    value             REAL NOT NULL CHECK (value >= 0 AND value <= 1),
    reason            TEXT,
    source            TEXT NOT NULL CHECK (source IN ('auto', 'judge', 'human')),
    evaluator_version TEXT,
    created_by        TEXT,
    created_at        INTEGER NOT NULL
);
CREATE INDEX feedback_record ON feedback (record_id);
