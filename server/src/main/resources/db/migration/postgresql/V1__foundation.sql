-- PromptForge foundation schema (PostgreSQL). Times are epoch milliseconds (UTC); JSON is stored as text.
-- Keep in step with ../sqlite/V1__foundation.sql: same tables, columns and constraints.

CREATE TABLE projects (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    server_admin  BOOLEAN NOT NULL DEFAULT FALSE,
    disabled_at   BIGINT,
    created_at    BIGINT NOT NULL
);

CREATE TABLE memberships (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    project_id   TEXT REFERENCES projects (id) ON DELETE CASCADE,
    scopes       TEXT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE prompts (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    description    TEXT,
    latest_version INTEGER NOT NULL DEFAULT 0,
    archived_at    BIGINT,
    created_by     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE prompt_tags (
    prompt_id TEXT NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (prompt_id, tag)
);
CREATE INDEX prompt_tags_tag ON prompt_tags (tag, prompt_id);

CREATE TABLE prompt_versions (
    prompt_id      TEXT NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL CHECK (version > 0),
    template       TEXT,
    messages       TEXT,
    model          TEXT NOT NULL,
    parameters     TEXT NOT NULL,
    variables      TEXT NOT NULL,
    commit_message TEXT,
    content_hash   TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (prompt_id, version),
    CHECK ((template IS NULL) <> (messages IS NULL))
);

CREATE TABLE labels (
    prompt_id  TEXT NOT NULL,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (prompt_id, name),
    FOREIGN KEY (prompt_id, version) REFERENCES prompt_versions (prompt_id, version) ON DELETE CASCADE
);

CREATE TABLE label_moves (
    id           TEXT PRIMARY KEY,
    prompt_id    TEXT NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    from_version INTEGER,
    to_version   INTEGER NOT NULL,
    moved_by     TEXT NOT NULL,
    moved_at     BIGINT NOT NULL
);
CREATE INDEX label_moves_prompt ON label_moves (prompt_id, label, moved_at);
