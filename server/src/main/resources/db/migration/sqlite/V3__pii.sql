-- Per-project PII policies, and what a record's input contained (counts per entity type).
-- Keep in step with ../postgresql/V3__pii.sql.

CREATE TABLE pii_policies (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    policy     TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

ALTER TABLE records ADD COLUMN pii_counts TEXT;
