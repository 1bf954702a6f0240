-- \Recent (RFC 3501 §2.3.2): a message is \Recent in the one session that first sees it (the
-- first read-write SELECT, or the first session told of its arrival while selected). The claim
-- point is kept per mailbox so that it survives reconnection: messages with a UID at or above
-- unclaimed_uid are still to be claimed. Mailboxes that exist already start with nothing recent.

ALTER TABLE mailboxes ADD COLUMN unclaimed_uid INTEGER NOT NULL DEFAULT 1;
UPDATE mailboxes SET unclaimed_uid = uidnext;
