-- Postern schema, version 1. See DESIGN.md, "Data model".

-- Small named values: the last UIDVALIDITY handed out, and the like.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE domains (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  imap_enabled INTEGER NOT NULL DEFAULT 1,
  pop_enabled  INTEGER NOT NULL DEFAULT 1,
  catch_all    INTEGER,                          -- account id that receives mail for unknown local parts
  created      INTEGER NOT NULL
);

CREATE TABLE accounts (
  id               INTEGER PRIMARY KEY,
  email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  domain_id        INTEGER NOT NULL REFERENCES domains(id),
  password_hash    TEXT NOT NULL,                -- PHC string, $argon2id$...
  imap_enabled     INTEGER NOT NULL DEFAULT 1,
  pop_enabled      INTEGER NOT NULL DEFAULT 1,
  quota_bytes      INTEGER NOT NULL DEFAULT 0,   -- 0: the configured default
  created          INTEGER NOT NULL,             -- epoch ms
  password_changed INTEGER NOT NULL              -- epoch ms
);

CREATE TABLE aliases (
  address    TEXT PRIMARY KEY COLLATE NOCASE,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
);
CREATE INDEX aliases_account ON aliases(account_id);

CREATE TABLE mailboxes (
  id             INTEGER PRIMARY KEY,
  account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name           TEXT NOT NULL,                  -- full hierarchical name, '/' separated, UTF-8
  special_use    TEXT,                           -- \Sent \Drafts \Trash \Junk \Archive \All, or NULL
  uidvalidity    INTEGER NOT NULL,
  uidnext        INTEGER NOT NULL DEFAULT 1,
  highest_modseq INTEGER NOT NULL DEFAULT 1,
  subscribed     INTEGER NOT NULL DEFAULT 1,
  created        INTEGER NOT NULL,
  UNIQUE (account_id, name)
);

-- A message is stored once per account; its content is the blob named by its SHA-256, which
-- several accounts' messages may share.
CREATE TABLE messages (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  blob        TEXT NOT NULL,                     -- SHA-256, lowercase hex
  size        INTEGER NOT NULL,                  -- RFC822.SIZE
  received    INTEGER NOT NULL,                  -- INTERNALDATE, epoch ms
  sent        INTEGER,                           -- Date: header, epoch ms, when it parses
  subject     TEXT,                              -- decoded
  from_addr   TEXT,
  message_id  TEXT,
  structure   BLOB                               -- the parsed MIME structure (mime.ParsedMessage)
);
CREATE INDEX messages_account ON messages(account_id);
CREATE INDEX messages_blob ON messages(blob);

-- Membership of a message in a mailbox: its UID there, flags, keywords and MODSEQ.
CREATE TABLE mailbox_messages (
  mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  uid        INTEGER NOT NULL,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  flags      INTEGER NOT NULL DEFAULT 0,         -- bits: see store.Flags
  keywords   TEXT,                               -- space-separated, or NULL
  modseq     INTEGER NOT NULL,
  saved      INTEGER NOT NULL,                   -- SAVEDATE, epoch ms
  PRIMARY KEY (mailbox_id, uid)
) WITHOUT ROWID;
CREATE INDEX mailbox_messages_message ON mailbox_messages(message_id);
CREATE INDEX mailbox_messages_modseq ON mailbox_messages(mailbox_id, modseq);

-- Expunged UIDs are remembered with the MODSEQ of their expunge (QRESYNC, RFC 7162 §3.2.5).
CREATE TABLE expunged (
  mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  uid        INTEGER NOT NULL,
  modseq     INTEGER NOT NULL,
  PRIMARY KEY (mailbox_id, uid)
) WITHOUT ROWID;
CREATE INDEX expunged_modseq ON expunged(mailbox_id, modseq);

-- Blobs no message refers to any more, with the time they became so; removed after a grace
-- period, so a session still reading one is not cut off.
CREATE TABLE blob_garbage (
  blob  TEXT PRIMARY KEY,
  since INTEGER NOT NULL
);
