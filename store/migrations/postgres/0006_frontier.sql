-- The crawl frontier (issue 14): feeds carry their host (the politeness
-- key, news.HostKey; filled by Go for rows older than this migration), a
-- feed deferred because its host held us off says until when, and hosts
-- are leased to one worker at a time with the budget they carry across
-- owners: the last request start (spacing) and a Retry-After hold.
ALTER TABLE feeds ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN deferred_until TIMESTAMPTZ;
CREATE INDEX feeds_host_next_poll ON feeds (host, next_poll, id);

CREATE TABLE hosts (
    host        TEXT PRIMARY KEY,
    owner       TEXT,
    lease_until TIMESTAMPTZ,
    last_start  TIMESTAMPTZ,
    hold_until  TIMESTAMPTZ,
    hold_code   INTEGER NOT NULL DEFAULT 0
);

-- Workers present (one row per poller, renewed by its lease rounds): each
-- takes about its share of the hosts in play.
CREATE TABLE pollers (
    owner      TEXT PRIMARY KEY,
    seen_until TIMESTAMPTZ NOT NULL
);
