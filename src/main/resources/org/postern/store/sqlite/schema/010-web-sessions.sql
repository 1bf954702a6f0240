-- Postern schema: web sessions that survive a restart (issue 8).
--
-- A browser holds a random 256-bit value in its cookie (__Host-postern); only its SHA-256 is
-- kept here, so a copy of the database does not let anyone take over a session. The form token
-- (CSRF) is derived from the cookie value too and is not stored. What is shown once (a new app
-- password, backup codes) and a 2-Step Verification secret waiting for its first code stay in
-- the server's memory only.
--
-- A row ends when it is past `expires`: at most `idle_ms` after its last request and never
-- after `ends` (created + the absolute limit). Sign-out deletes it; so does every revocation of
-- the account's password sign-ins (password changed, 2-Step Verification turned on or off, the
-- web device signed out, all sign-ins revoked) in the revocation's own transaction; removing
-- the account deletes its rows with it.
CREATE TABLE web_sessions (
  id_hash       TEXT PRIMARY KEY,                -- SHA-256 (hex) of the cookie value
  account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  needs_code    INTEGER NOT NULL DEFAULT 0,      -- 1: password given, 2-Step Verification code not yet
  created       INTEGER NOT NULL,                -- epoch ms
  last_seen     INTEGER NOT NULL,                -- epoch ms, written at most once a minute
  ends          INTEGER NOT NULL,                -- epoch ms: created + the absolute limit
  idle_ms       INTEGER NOT NULL,                -- how long the session may go unused
  expires       INTEGER NOT NULL,                -- epoch ms: min(ends, last_seen + idle_ms)
  ip            TEXT,
  client        TEXT NOT NULL,                   -- "web: Firefox on Linux", as in the device list
  code_failures INTEGER NOT NULL DEFAULT 0       -- wrong 2-Step Verification codes in this sign-in
) WITHOUT ROWID;

CREATE INDEX web_sessions_account ON web_sessions (account_id, last_seen);
CREATE INDEX web_sessions_expires ON web_sessions (expires);
