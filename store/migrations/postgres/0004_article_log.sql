-- The append order of articles (see store/tail.go): a position per article
-- that becomes visible in increasing order, so that workers can follow each
-- other's writes without holding one lock for the whole of every write.
CREATE TABLE article_log (
    seq        BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL
);
INSERT INTO article_log (article_id) SELECT id FROM articles ORDER BY id;
-- The search cursor (0003) becomes a position in this order.
UPDATE search_state SET last_article = coalesce(
    (SELECT max(seq) FROM article_log WHERE article_id <= search_state.last_article), 0);
