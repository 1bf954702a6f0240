-- Postern schema: expunge records are no longer kept for ever (see ExpungeHistory). The oldest
-- are forgotten, and each mailbox remembers up to which MODSEQ it forgot: a client that last
-- synchronised before that point gets a VANISHED (EARLIER) superset instead of the exact list
-- (RFC 7162 §3.2.5.2, §3.2.6: a server may report UIDs that were expunged earlier or never existed).

-- When each expunge happened, epoch ms, so that the age limit can be applied.
ALTER TABLE expunged ADD COLUMN at INTEGER NOT NULL DEFAULT 0;

-- The records made before this version have no time: their age counts from the upgrade, so
-- none is forgotten sooner than a new one would be.
UPDATE expunged SET at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;

-- The highest MODSEQ up to which expunge records may have been forgotten; 0: none was.
ALTER TABLE mailboxes ADD COLUMN expunged_pruned INTEGER NOT NULL DEFAULT 0;
