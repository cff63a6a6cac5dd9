-- Times are unix nanoseconds (UTC); NULL when unknown.
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    url           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '[]',
    rules         TEXT,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'new',
    error_class   TEXT NOT NULL DEFAULT '',
    last_error    TEXT NOT NULL DEFAULT '',
    failures      INTEGER NOT NULL DEFAULT 0,
    last_polled   INTEGER,
    next_poll     INTEGER NOT NULL,
    interval_ns   INTEGER NOT NULL DEFAULT 0,
    latency_ms    INTEGER NOT NULL DEFAULT 0,
    last_item_at  INTEGER,
    gap           INTEGER NOT NULL DEFAULT 0,
    stale         INTEGER NOT NULL DEFAULT 0,
    item_count    INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL,
    lease_owner   TEXT,
    lease_until   INTEGER
);
CREATE INDEX feeds_next_poll ON feeds (next_poll, id);

CREATE TABLE feed_tags (
    feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (feed_id, tag)
);
CREATE INDEX feed_tags_tag ON feed_tags (tag, feed_id);

CREATE TABLE stories (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT NOT NULL DEFAULT '',
    lang           TEXT NOT NULL DEFAULT '',
    origin         TEXT NOT NULL DEFAULT '',
    representative INTEGER,
    first_outlet   TEXT NOT NULL DEFAULT '',
    first_seen     INTEGER,
    last_seen      INTEGER,
    articles       INTEGER NOT NULL DEFAULT 0,
    outlets        TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX stories_last_seen ON stories (last_seen DESC, id DESC);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_id       INTEGER REFERENCES feeds (id) ON DELETE SET NULL,
    outlet        TEXT NOT NULL DEFAULT '',
    guid          TEXT,
    url           TEXT NOT NULL DEFAULT '',
    canonical_url TEXT,
    title         TEXT NOT NULL DEFAULT '',
    byline        TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT '',
    image         TEXT NOT NULL DEFAULT '',
    published     INTEGER,
    fetched       INTEGER,
    seen          INTEGER NOT NULL,
    content_hash  TEXT NOT NULL DEFAULT '',
    story_id      INTEGER NOT NULL REFERENCES stories (id),
    duplicate_of  INTEGER REFERENCES articles (id),
    score         REAL NOT NULL DEFAULT 0,
    reason        TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX articles_feed_guid ON articles (feed_id, guid);
CREATE UNIQUE INDEX articles_canonical_url ON articles (canonical_url);
CREATE INDEX articles_story ON articles (story_id, seen, id);
CREATE INDEX articles_feed_seen ON articles (feed_id, seen);
CREATE INDEX articles_seen ON articles (seen, id);

CREATE TABLE locks (
    name    TEXT PRIMARY KEY,
    owner   TEXT NOT NULL,
    expires INTEGER NOT NULL
);
