-- IMAP subscriptions as names of their own, per account (RFC 9051 §6.3.7, RFC 5258 §3.1). A
-- subscription outlives the mailbox of its name (DELETE keeps it; the server SHOULD NOT remove a
-- name unilaterally), and a client may subscribe a name that has no mailbox. Names are kept as
-- mailboxes.name is: '/' separated, UTF-8, INBOX in capitals.

CREATE TABLE subscriptions (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;

-- Every mailbox subscribed until now keeps its subscription.
INSERT INTO subscriptions (account_id, name) SELECT account_id, name FROM mailboxes WHERE subscribed <> 0;

-- The flag on the mailbox row is no longer read (SQLite 3.35 drops a column that no index,
-- constraint or view uses).
ALTER TABLE mailboxes DROP COLUMN subscribed;
