-- Failed sign-ins per username, shared by every instance on this database (the backoff of
-- LoginThrottle). Keep in step with ../postgresql/V12__login_failures.sql.

CREATE TABLE login_failures (
    username     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX login_failures_updated ON login_failures (updated_at);
