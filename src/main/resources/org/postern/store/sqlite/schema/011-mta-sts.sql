-- Postern schema: the MTA-STS policy cache (RFC 8461 §3.3, §5.1). A policy learnt from a
-- recipient domain is applied until its max_age runs out, even when the _mta-sts TXT record
-- vanishes or the HTTPS fetch fails: that is what stops a downgrade attacker. It is kept here,
-- not in memory, so that a restart does not forget it.

CREATE TABLE mta_sts_policies (
  domain     TEXT PRIMARY KEY,                  -- the recipient (policy) domain, lower case
  policy_id  TEXT NOT NULL,                     -- the id= of the _mta-sts TXT record the policy was fetched under
  mode       TEXT NOT NULL CHECK (mode IN ('enforce', 'testing', 'none')),
  mx         TEXT NOT NULL,                     -- the mx patterns, lower case, one per line ('' for none)
  max_age    INTEGER NOT NULL CHECK (max_age BETWEEN 0 AND 31557600),  -- seconds (§3.2: at most 31557600)
  fetched_at INTEGER NOT NULL                   -- epoch ms
) WITHOUT ROWID;
