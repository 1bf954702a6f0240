-- Account security (issue 5): 2-Step Verification, app passwords, OAuth tokens, the security
-- activity log, devices, and revocations that end live sessions in the server process.

ALTER TABLE accounts ADD COLUMN totp_secret TEXT;                       -- base32; NULL when 2SV is off
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0; -- RFC 6238: a code is accepted once only

CREATE TABLE backup_codes (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL,                      -- SHA-256 of the code, hex
  used       INTEGER,                            -- epoch ms, NULL while unused
  PRIMARY KEY (account_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE app_passwords (
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  hash          TEXT NOT NULL,                   -- SHA-256 of the 16 letters, hex (75 bits of entropy)
  created       INTEGER NOT NULL,
  last_used     INTEGER,
  last_ip       TEXT,
  last_protocol TEXT,
  last_client   TEXT,
  UNIQUE (account_id, name)
);
CREATE INDEX app_passwords_hash ON app_passwords(account_id, hash);

CREATE TABLE oauth_tokens (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  hash       TEXT NOT NULL UNIQUE,               -- SHA-256 of the token, hex
  client     TEXT NOT NULL,
  created    INTEGER NOT NULL,
  expires    INTEGER NOT NULL,
  revoked    INTEGER                             -- epoch ms, NULL while valid
);
CREATE INDEX oauth_tokens_account ON oauth_tokens(account_id);

-- Every sign-in and every refusal of a known account.
CREATE TABLE security_events (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  time       INTEGER NOT NULL,
  protocol   TEXT NOT NULL,
  ip         TEXT,
  client     TEXT,
  credential TEXT,                               -- password, app:<id>, oauth:<id>
  success    INTEGER NOT NULL,
  reason     TEXT NOT NULL                       -- in plain words
);
CREATE INDEX security_events_account ON security_events(account_id, time);

-- A device is a credential used by a client; the first sign-in of one is announced to the account.
CREATE TABLE devices (
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  credential    TEXT NOT NULL,
  client        TEXT NOT NULL,
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL,
  last_ip       TEXT,
  last_protocol TEXT,
  UNIQUE (account_id, credential, client)
);

-- Addresses an account has signed in from: their owner is not locked out by someone else's failures.
CREATE TABLE known_ips (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  ip         TEXT NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (account_id, ip)
) WITHOUT ROWID;

-- Credentials revoked (app password, token, device signed out, password changed); the server
-- polls this table and ends the live sessions that used them, also when another process wrote it.
CREATE TABLE revocations (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL,
  credential TEXT,                               -- NULL: every credential of the account
  client     TEXT,                               -- NULL: every client
  time       INTEGER NOT NULL
);
