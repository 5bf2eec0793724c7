-- Evaluation runs sent by `promptforge eval --server`: the run's summary and its matrix (one cell
-- per test × prompt × provider, as JSON in `cells`). Keep in step with ../sqlite/V10__eval_runs.sql.

CREATE TABLE eval_runs (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    run_id      TEXT NOT NULL,
    suite       TEXT NOT NULL,
    description TEXT,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    pass_rate   DOUBLE PRECISION NOT NULL,
    passed      INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    errors      INTEGER NOT NULL,
    cells       TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (project_id, run_id)
);

CREATE INDEX eval_runs_project_started ON eval_runs (project_id, started_at);
