-- Evaluation: the run an execution belongs to (./promptforge eval --server tags its executions).
-- Keep in step with ../sqlite/V5__evaluators.sql.

ALTER TABLE records ADD COLUMN run_id TEXT;
CREATE INDEX records_run ON records (run_id, id);

-- An evaluator's verdict next to its score (its threshold applied); null for a person's score.
ALTER TABLE feedback ADD COLUMN passed BOOLEAN;

-- The evaluators that score a project's records (prompt_name '' = the whole project), as JSON.
-- Every change is a new revision; feedback names the revision it came from.
CREATE TABLE evaluator_configs (
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    prompt_name TEXT NOT NULL DEFAULT '',
    revision    INTEGER NOT NULL,
    judge       TEXT,
    evaluators  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (project_id, prompt_name)
);
