-- The tamper-evident audit log: one row per state change, chained by hashes (see the audit module).
-- seq is the position in the chain (1, 2, 3 … without gaps); entry_hash covers every other column
-- and prev_hash, which is the entry_hash of entry seq - 1 (64 zeros for entry 1). audit_head holds
-- the last position and hash: appends lock and advance it, so the chain has one order under
-- concurrency, and a deleted last entry is detected. Keep in step with ../sqlite/V4__audit.sql.

CREATE TABLE audit_log (
    seq            BIGINT PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    occurred_at    BIGINT NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    target         TEXT NOT NULL,
    source_ip      TEXT,
    correlation_id TEXT,
    before_hash    TEXT,
    after_hash     TEXT,
    prev_hash      TEXT NOT NULL,
    entry_hash     TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_target ON audit_log (target, seq);
CREATE INDEX audit_log_time ON audit_log (occurred_at, seq);

CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    seq        BIGINT NOT NULL,
    entry_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, entry_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
