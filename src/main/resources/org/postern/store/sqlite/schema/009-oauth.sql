-- OAuth 2.0 for mail clients (issue 8): the clients that registered themselves (RFC 7591),
-- the grants an account gave them (one refresh token each, rotated on use), the authorization
-- codes and device codes waiting to be exchanged. Codes and tokens are kept only as SHA-256.

CREATE TABLE oauth_clients (
  id            TEXT PRIMARY KEY,                -- client_id
  name          TEXT NOT NULL,                   -- shown on the consent page and the security page
  redirect_uris TEXT NOT NULL,                   -- one per line; loopback ones match any port (RFC 8252 §7.3)
  created       INTEGER NOT NULL,
  last_used     INTEGER NOT NULL                 -- registrations unused for long are dropped first
);

-- One app's access to one account: what "Apps with access" lists and Revoke ends.
CREATE TABLE oauth_grants (
  id           INTEGER PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  client_id    TEXT NOT NULL,
  client_name  TEXT NOT NULL,
  refresh_hash TEXT UNIQUE,                      -- SHA-256 of the current refresh token; NULL once revoked
  code_hash    TEXT UNIQUE,                      -- the authorization code it came from (RFC 6749 §4.1.2: reuse revokes)
  created      INTEGER NOT NULL,
  refreshed    INTEGER,                          -- epoch ms of the last refresh
  expires      INTEGER NOT NULL,                 -- the refresh token's end
  revoked      INTEGER                           -- epoch ms, NULL while valid
);
CREATE INDEX oauth_grants_account ON oauth_grants(account_id);

-- Access tokens issued from a grant; NULL for tokens an administrator issued (postern oauth token).
ALTER TABLE oauth_tokens ADD COLUMN grant_id INTEGER REFERENCES oauth_grants(id) ON DELETE CASCADE;
CREATE INDEX oauth_tokens_grant ON oauth_tokens(grant_id);

CREATE TABLE oauth_codes (
  hash         TEXT PRIMARY KEY,                 -- SHA-256 of the code
  account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  client_id    TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,                    -- as the authorization request named it; '' when it named none
  challenge    TEXT NOT NULL,                    -- PKCE S256 code_challenge (RFC 7636)
  expires      INTEGER NOT NULL,
  used         INTEGER                           -- epoch ms of the exchange; kept until expiry to catch reuse
) WITHOUT ROWID;

-- RFC 8628: a device code polled by the client, a user code typed at /device.
CREATE TABLE oauth_device_codes (
  hash       TEXT PRIMARY KEY,                   -- SHA-256 of the device code
  user_code  TEXT NOT NULL UNIQUE,
  client_id  TEXT NOT NULL,
  expires    INTEGER NOT NULL,
  interval   INTEGER NOT NULL,                   -- seconds the client must wait between polls
  last_poll  INTEGER NOT NULL DEFAULT 0,
  account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'allowed', 'denied', 'issued'))
) WITHOUT ROWID;
