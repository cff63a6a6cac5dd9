-- Issue 15. seen is when wiredesk first stored an article (its fetch
-- time), never the outlet's published date: the dedup window, "first
-- seen" and every "since" run on it.
UPDATE articles SET seen = coalesce(fetched, seen);
UPDATE stories SET
    first_seen   = (SELECT min(seen) FROM articles WHERE story_id = stories.id),
    last_seen    = (SELECT max(seen) FROM articles WHERE story_id = stories.id),
    first_outlet = coalesce((SELECT outlet FROM articles WHERE story_id = stories.id
                             ORDER BY seen, id LIMIT 1), first_outlet);

-- Revisions: the article row holds the current version; the previous
-- ones move to article_revisions. item_hash is the hash of the feed entry
-- as last seen (title, summary, content, Atom updated, JSON Feed
-- date_modified): a known item is fetched again only when it changes.
-- sketch is the article's dedup fingerprint (dedup.Fingerprint's binary
-- form), so that a run loads the index without re-reading the texts.
ALTER TABLE articles ADD COLUMN revisions INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN updated INTEGER;
ALTER TABLE articles ADD COLUMN item_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN sketch BLOB;
CREATE INDEX articles_updated ON articles (updated) WHERE updated IS NOT NULL;

CREATE TABLE article_revisions (
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    rev          INTEGER NOT NULL,
    seen         INTEGER NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, rev)
);
