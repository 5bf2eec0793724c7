-- Limits, injection defense and privacy: budgets per project and per API key, per-project
-- injection and retention policies, and on records the hashed subject and the injection rules hit.
-- Keep in step with ../sqlite/V8__limits.sql.

CREATE TABLE budgets (
    scope            TEXT NOT NULL CHECK (scope IN ('project', 'key')),
    scope_id         TEXT NOT NULL,
    project_id       TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    tokens_per_day   BIGINT,
    tokens_per_month BIGINT,
    cost_per_day     DOUBLE PRECISION,
    cost_per_month   DOUBLE PRECISION,
    updated_by       TEXT NOT NULL,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (scope, scope_id)
);

CREATE TABLE injection_policies (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    policy     TEXT NOT NULL CHECK (policy IN ('block', 'flag', 'off')),
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE retention_policies (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    days       INTEGER NOT NULL CHECK (days > 0),
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Rate-limit buckets shared by instances (promptforge.ratelimit.store=postgres; Bucket4j's layout).
CREATE TABLE rate_limit_buckets (
    id         TEXT PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);

ALTER TABLE records ADD COLUMN subject_hash TEXT;
ALTER TABLE records ADD COLUMN injection TEXT;
CREATE INDEX records_project_subject ON records (project_id, subject_hash);
CREATE INDEX records_created ON records (created_at);
