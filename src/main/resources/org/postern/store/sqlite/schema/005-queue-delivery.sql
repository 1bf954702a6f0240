-- Postern schema: what the outbound delivery engine needs beyond 003. A queued message says
-- whether its sender was already told of the delay (RFC 3464 action=delayed, sent once).
ALTER TABLE queue_messages ADD COLUMN delay_notified INTEGER NOT NULL DEFAULT 0;
