-- Postern schema: Delivery Status Notification requests (RFC 3461) and REQUIRETLS (RFC 8689) of queued mail.
-- RET and ENVID of MAIL FROM and the REQUIRETLS flag per message; NOTIFY and ORCPT per recipient. NULL: not given.
ALTER TABLE queue_messages ADD COLUMN dsn_ret TEXT CHECK (dsn_ret IN ('FULL', 'HDRS'));
ALTER TABLE queue_messages ADD COLUMN dsn_envid TEXT;                       -- xtext-decoded
ALTER TABLE queue_messages ADD COLUMN require_tls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queue_recipients ADD COLUMN dsn_notify TEXT;                   -- 'NEVER' or e.g. 'SUCCESS,FAILURE'
ALTER TABLE queue_recipients ADD COLUMN dsn_orcpt TEXT;                    -- addr-type;address, xtext-decoded
