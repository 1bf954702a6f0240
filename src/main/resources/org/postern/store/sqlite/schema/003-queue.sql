-- Postern schema: the outbound queue. Submitted mail for remote recipients waits here, durably,
-- until the outbound delivery engine (org.postern.smtp.outbound) delivers it. A queued message refers to its content
-- blob, which blob garbage collection leaves alone while a queue row refers to it.

CREATE TABLE queue_messages (
  id           INTEGER PRIMARY KEY,
  blob         TEXT NOT NULL,                    -- SHA-256 of the message file, lowercase hex
  size         INTEGER NOT NULL,
  account_id   INTEGER REFERENCES accounts(id) ON DELETE SET NULL,  -- the sender's account
  mail_from    TEXT NOT NULL,                    -- the reverse-path without <>; '' for the null sender
  body         TEXT NOT NULL CHECK (body IN ('7BIT', '8BITMIME', 'BINARYMIME')),  -- RFC 6152, RFC 3030
  smtputf8     INTEGER NOT NULL DEFAULT 0,       -- RFC 6531: the next hop must offer SMTPUTF8
  created      INTEGER NOT NULL,                 -- epoch ms
  next_attempt INTEGER NOT NULL                  -- epoch ms: the earliest next attempt of any pending recipient
);
CREATE INDEX queue_messages_blob ON queue_messages(blob);
CREATE INDEX queue_messages_due ON queue_messages(next_attempt);

-- One row per recipient, with its own state: a message to several domains is delivered,
-- retried and bounced per recipient.
CREATE TABLE queue_recipients (
  id           INTEGER PRIMARY KEY,
  message_id   INTEGER NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE,
  address      TEXT NOT NULL,                    -- the forward-path without <>
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL,                 -- epoch ms
  last_attempt INTEGER,                          -- epoch ms
  last_reply   TEXT                              -- the remote server's last reply, for the queue CLI and bounces
);
CREATE INDEX queue_recipients_message ON queue_recipients(message_id);
CREATE INDEX queue_recipients_due ON queue_recipients(state, next_attempt);
