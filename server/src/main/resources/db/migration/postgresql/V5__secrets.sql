-- Secrets at rest (provider keys, integration credentials, webhook secrets), envelope-encrypted:
-- each value is encrypted (AES-256-GCM) with its own data key, which is stored encrypted by the
-- master key (wrapped_key, a Tink encrypted keyset). Both are base64 text. secret_keyring names the
-- master key every row is wrapped with (key_id, an HMAC of the key, never the key).
-- Keep in step with ../sqlite/V5__secrets.sql.

CREATE TABLE secrets (
    name        TEXT PRIMARY KEY,
    key_id      TEXT NOT NULL,
    wrapped_key TEXT NOT NULL,
    ciphertext  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE secret_keyring (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    key_id     TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
