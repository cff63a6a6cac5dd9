-- Issue 16, push. push_events is the log of what a live stream carries:
-- every stored article, revision and story change and every alert, in the
-- order they committed (appended under the article_log lock, see
-- store/push.go). alerts is the outbox: an alert is decided in the
-- transaction whose write makes it true, and each of its sinks gets a row
-- in alert_deliveries, claimed (FOR UPDATE SKIP LOCKED) and delivered
-- after commit.
CREATE TABLE push_events (
    seq  BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    ref  BIGINT NOT NULL,
    rev  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE alerts (
    id      BIGSERIAL PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,
    rule    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    body    TEXT NOT NULL
);

CREATE TABLE alert_deliveries (
    alert_id      BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    sink          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  TIMESTAMPTZ NOT NULL,
    claimed_by    TEXT NOT NULL DEFAULT '',
    claimed_until TIMESTAMPTZ,
    last_error    TEXT NOT NULL DEFAULT '',
    delivered     TIMESTAMPTZ,
    latency_ms    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (alert_id, sink)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt) WHERE status = 'pending';

CREATE TABLE push_cursors (
    name        TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL DEFAULT 0,
    owner       TEXT NOT NULL DEFAULT '',
    owner_until TIMESTAMPTZ
);
