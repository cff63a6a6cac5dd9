CREATE TABLE feeds (
    id            BIGSERIAL PRIMARY KEY,
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
    last_polled   TIMESTAMPTZ,
    next_poll     TIMESTAMPTZ NOT NULL,
    interval_ns   BIGINT NOT NULL DEFAULT 0,
    latency_ms    BIGINT NOT NULL DEFAULT 0,
    last_item_at  TIMESTAMPTZ,
    gap           BOOLEAN NOT NULL DEFAULT FALSE,
    stale         BOOLEAN NOT NULL DEFAULT FALSE,
    item_count    BIGINT NOT NULL DEFAULT 0,
    created       TIMESTAMPTZ NOT NULL,
    lease_owner   TEXT,
    lease_until   TIMESTAMPTZ
);
CREATE INDEX feeds_next_poll ON feeds (next_poll, id);

CREATE TABLE feed_tags (
    feed_id BIGINT NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (feed_id, tag)
);
CREATE INDEX feed_tags_tag ON feed_tags (tag, feed_id);

CREATE TABLE stories (
    id             BIGSERIAL PRIMARY KEY,
    title          TEXT NOT NULL DEFAULT '',
    lang           TEXT NOT NULL DEFAULT '',
    origin         TEXT NOT NULL DEFAULT '',
    representative BIGINT,
    first_outlet   TEXT NOT NULL DEFAULT '',
    first_seen     TIMESTAMPTZ,
    last_seen      TIMESTAMPTZ,
    articles       INTEGER NOT NULL DEFAULT 0,
    outlets        TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX stories_last_seen ON stories (last_seen DESC, id DESC);

CREATE TABLE articles (
    id            BIGSERIAL PRIMARY KEY,
    feed_id       BIGINT REFERENCES feeds (id) ON DELETE SET NULL,
    outlet        TEXT NOT NULL DEFAULT '',
    guid          TEXT,
    url           TEXT NOT NULL DEFAULT '',
    canonical_url TEXT,
    title         TEXT NOT NULL DEFAULT '',
    byline        TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT '',
    image         TEXT NOT NULL DEFAULT '',
    published     TIMESTAMPTZ,
    fetched       TIMESTAMPTZ,
    seen          TIMESTAMPTZ NOT NULL,
    content_hash  TEXT NOT NULL DEFAULT '',
    story_id      BIGINT NOT NULL REFERENCES stories (id),
    duplicate_of  BIGINT REFERENCES articles (id),
    score         DOUBLE PRECISION NOT NULL DEFAULT 0,
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
    expires TIMESTAMPTZ NOT NULL
);
