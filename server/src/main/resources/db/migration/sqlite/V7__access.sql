-- Access (SQLite): look-ups by project for key listings and by user for memberships.
-- Keep in step with ../postgresql/V7__access.sql.

CREATE INDEX api_keys_project ON api_keys (project_id, created_at);
CREATE INDEX memberships_user ON memberships (user_id);
