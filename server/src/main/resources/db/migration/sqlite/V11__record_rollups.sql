-- Hourly rollups of the records, so the dashboard's overview and leaderboard read a few thousand
-- rows instead of every record; kept in the same transaction as the records they count
-- (RecordRollups). Also the indexes and the full-text index the records list needs at scale.
-- Keep in step with ../postgresql/V11__record_rollups.sql.

-- One row per project, hour (epoch ms of its start), prompt ('' for direct model calls), version
-- (-1 without one) and model. latency is a sparse histogram of log-scale buckets 5 % wide, as
-- varint pairs (bucket delta, count).
CREATE TABLE record_rollups (
    project_id     TEXT    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    hour           INTEGER NOT NULL,
    prompt_name    TEXT    NOT NULL,
    prompt_version INTEGER NOT NULL,
    model          TEXT    NOT NULL,
    requests       INTEGER NOT NULL,
    errors         INTEGER NOT NULL,
    tokens         INTEGER NOT NULL,
    cost           REAL    NOT NULL,
    priced         INTEGER NOT NULL,
    latency        BLOB    NOT NULL,
    PRIMARY KEY (project_id, hour, prompt_name, prompt_version, model)
);

-- Feedback of the records of one rollup row, per measure and source (auto, judge, human).
CREATE TABLE record_rollup_feedback (
    project_id     TEXT    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    hour           INTEGER NOT NULL,
    prompt_name    TEXT    NOT NULL,
    prompt_version INTEGER NOT NULL,
    model          TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    scores         INTEGER NOT NULL,
    value_sum      REAL    NOT NULL,
    judged         INTEGER NOT NULL,
    passed         INTEGER NOT NULL,
    PRIMARY KEY (project_id, hour, prompt_name, prompt_version, model, name, source)
);

-- Failed records per project, hour and error type, with the latest message.
CREATE TABLE record_rollup_errors (
    project_id   TEXT    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    hour         INTEGER NOT NULL,
    error_type   TEXT    NOT NULL,
    errors       INTEGER NOT NULL,
    last_at      INTEGER NOT NULL,
    last_message TEXT,
    PRIMARY KEY (project_id, hour, error_type)
);

-- The records list's filters, newest first.
CREATE INDEX records_project_status ON records (project_id, status, id);

-- Text search over the stored (anonymized) input and output: FTS5 over words (unicode61), an
-- external-content table kept by triggers. A search finds records holding every word of the query
-- (the last one also as a prefix); a trigram index would find any substring but costs three times
-- as much on every insert, on the gateway's path.
CREATE VIRTUAL TABLE records_text USING fts5 (
    input, output, content = 'records', content_rowid = 'rowid'
);
INSERT INTO records_text (rowid, input, output) SELECT rowid, input, output FROM records;
CREATE TRIGGER records_text_insert AFTER INSERT ON records BEGIN
    INSERT INTO records_text (rowid, input, output) VALUES (new.rowid, new.input, new.output);
END;
CREATE TRIGGER records_text_delete AFTER DELETE ON records BEGIN
    INSERT INTO records_text (records_text, rowid, input, output) VALUES ('delete', old.rowid, old.input, old.output);
END;
CREATE TRIGGER records_text_update AFTER UPDATE OF input, output ON records BEGIN
    INSERT INTO records_text (records_text, rowid, input, output) VALUES ('delete', old.rowid, old.input, old.output);
    INSERT INTO records_text (rowid, input, output) VALUES (new.rowid, new.input, new.output);
END;
