-- Evaluation: the run an execution belongs to (./promptforge eval --server tags its executions).
-- Keep in step with ../sqlite/V5__evaluators.sql.

ALTER TABLE records ADD COLUMN run_id TEXT;
CREATE INDEX records_run ON records (run_id, id);
