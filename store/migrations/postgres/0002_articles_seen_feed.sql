-- Per-feed daily counts (the dashboard's sparklines) scan articles by time
-- and read feed_id from the index alone.
CREATE INDEX articles_seen_feed ON articles (seen, feed_id);
