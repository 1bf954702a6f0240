-- Postern schema, version 2: Gmail's POP settings per account, and what POP has downloaded.
-- README.md, "POP3"; DESIGN.md, Error texts.

-- accounts.pop_enabled stays the on/off switch. When POP is on:
--   pop_since = 0   offers all mail ("Enable POP for all mail");
--   pop_since > 0   offers only mail received at or after that moment, epoch ms ("Enable POP
--                   for mail that arrives from now on").
-- pop_after is what happens to a message once a POP client has downloaded or deleted it:
--   keep (stays in INBOX as it is), read (marked \Seen), archive (moved to the \Archive
--   mailbox), trash (moved to the \Trash mailbox).
ALTER TABLE accounts ADD COLUMN pop_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN pop_after TEXT NOT NULL DEFAULT 'keep'
  CHECK (pop_after IN ('keep', 'read', 'archive', 'trash'));

-- The messages a POP client has downloaded (RETR) or deleted (DELE) in a session that ended
-- with QUIT: POP does not offer them again, except in recent mode. Keyed by the account-wide
-- message id, so a message moved out of INBOX and back is still known; the row goes with the
-- message, so a reused message id can never inherit it.
CREATE TABLE pop_downloaded (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  downloaded INTEGER NOT NULL                       -- epoch ms
);
