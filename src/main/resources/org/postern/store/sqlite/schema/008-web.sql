-- Postern schema, version 5: the web side (issue 8). Gmail's "Forwarding and POP/IMAP" settings
-- that change how IMAP and delivery behave, forwarding addresses with their confirmation, and
-- the administrator flag.

-- Administrators may use the admin pages and /metrics (postern account set EMAIL admin=on).
ALTER TABLE accounts ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;

-- IMAP, as Gmail's settings say it:
--   imap_auto_expunge  1: "Immediately update the server when you mark a message as deleted";
--                      0: "Wait for the client to update the server" (standard IMAP, the default)
--   imap_expunge       when a message marked deleted is expunged from the last mailbox that
--                      holds it: 'archive' (kept in Archive), 'trash' (moved to Trash) or
--                      'delete' ("Immediately delete the message forever", standard IMAP, the default)
--   imap_folder_limit  0: no limit; N: a selected mailbox shows only its N most recent messages
ALTER TABLE accounts ADD COLUMN imap_auto_expunge INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN imap_expunge TEXT NOT NULL DEFAULT 'delete'
  CHECK (imap_expunge IN ('archive', 'trash', 'delete'));
ALTER TABLE accounts ADD COLUMN imap_folder_limit INTEGER NOT NULL DEFAULT 0 CHECK (imap_folder_limit >= 0);

-- Forwarding: a copy of each message delivered to INBOX goes to forward_to (one of the
-- account's confirmed forwarding addresses), and Postern's copy is kept, marked read, archived
-- or moved to Trash (forward_keep). NULL: forwarding off.
ALTER TABLE accounts ADD COLUMN forward_to TEXT;
ALTER TABLE accounts ADD COLUMN forward_keep TEXT NOT NULL DEFAULT 'keep'
  CHECK (forward_keep IN ('keep', 'read', 'archive', 'trash'));

-- Addresses an account asked to forward to. Each is confirmed by a link mailed to it; the link
-- carries a random token kept here only as a SHA-256.
CREATE TABLE forwarding_addresses (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  address    TEXT NOT NULL COLLATE NOCASE,
  token_hash TEXT NOT NULL UNIQUE,
  requested  INTEGER NOT NULL,                   -- epoch ms
  confirmed  INTEGER,                            -- epoch ms; NULL while waiting for the link
  PRIMARY KEY (account_id, address)
) WITHOUT ROWID;
