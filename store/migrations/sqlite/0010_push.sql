-- Issue 16, push. push_events is the log of what a live stream carries:
-- every stored article, revision and story change and every alert, in the
-- order they committed (see store/push.go). alerts is the outbox: an alert
-- is decided in the transaction whose write makes it true, and each of its
-- sinks gets a row in alert_deliveries, claimed and delivered after commit.
CREATE TABLE push_events (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref  INTEGER NOT NULL,
    rev  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE alerts (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    key     TEXT NOT NULL UNIQUE,
    rule    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    created INTEGER NOT NULL,
    body    TEXT NOT NULL
);

CREATE TABLE alert_deliveries (
    alert_id      INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    sink          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  INTEGER NOT NULL,
    claimed_by    TEXT NOT NULL DEFAULT '',
    claimed_until INTEGER,
    last_error    TEXT NOT NULL DEFAULT '',
    delivered     INTEGER,
    latency_ms    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (alert_id, sink)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt) WHERE status = 'pending';

CREATE TABLE push_cursors (
    name        TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL DEFAULT 0,
    owner       TEXT NOT NULL DEFAULT '',
    owner_until INTEGER
);
