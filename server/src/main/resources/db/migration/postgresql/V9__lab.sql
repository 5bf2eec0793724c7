-- The testing lab: datasets (versioned on change), test pipelines, their runs, stage results and
-- the per-item results a resumed run does not execute again. Keep in step with ../sqlite/V9__lab.sql.

-- A dataset's version goes up with every change of its items.
CREATE TABLE datasets (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    version     INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (project_id, name)
);

-- Items are immutable: an item belongs to the versions from added_in up to (not including)
-- removed_in, so every version of a dataset can be read back; position keeps the order they were
-- added in.
CREATE TABLE dataset_items (
    dataset_id  TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT,
    vars        TEXT NOT NULL,
    expected    TEXT NOT NULL,
    context     TEXT,
    metadata    TEXT NOT NULL,
    added_in    INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    removed_in  INTEGER,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (dataset_id, id)
);
CREATE INDEX dataset_items_version ON dataset_items (dataset_id, added_in);

-- A pipeline's config and ordered stages as JSON; every update is a new revision.
CREATE TABLE pipelines (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    config      TEXT NOT NULL,
    stages      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (project_id, name)
);

-- One run: its plan (pipeline snapshot, resolved prompt versions, items) is fixed when it starts,
-- so a resumed run tests exactly what the interrupted one did. owner/heartbeat_at tell a live
-- instance's run from an interrupted one.
CREATE TABLE pipeline_runs (
    id           TEXT PRIMARY KEY,
    pipeline_id  TEXT NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    status       TEXT NOT NULL,
    plan         TEXT NOT NULL,
    reason       TEXT,
    items_done   INTEGER NOT NULL DEFAULT 0,
    items_total  INTEGER NOT NULL DEFAULT 0,
    resumes      INTEGER NOT NULL DEFAULT 0,
    owner        TEXT,
    heartbeat_at BIGINT,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    started_at   BIGINT,
    finished_at  BIGINT
);
CREATE INDEX pipeline_runs_pipeline ON pipeline_runs (pipeline_id, id);
CREATE INDEX pipeline_runs_status ON pipeline_runs (status);

-- Each stage's result, written as the stage starts and again when it completes.
CREATE TABLE stage_results (
    run_id      TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    status      TEXT NOT NULL,
    metrics     TEXT,
    details     TEXT,
    started_at  BIGINT,
    finished_at BIGINT,
    PRIMARY KEY (run_id, position)
);

-- One execution of one item by one variant (candidate, baseline or an optimization on a model).
CREATE TABLE pipeline_item_results (
    run_id        TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    variant       TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    status        TEXT NOT NULL,
    output        TEXT,
    error         TEXT,
    latency_ms    DOUBLE PRECISION,
    input_tokens  INTEGER,
    output_tokens INTEGER,
    cost          DOUBLE PRECISION,
    record_id     TEXT,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (run_id, variant, item_id)
);
