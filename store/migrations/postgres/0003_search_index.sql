-- The search index (store/search_index.go). It is not maintained on the
-- ingest path: IndexSearch adds the articles with ids above
-- search_state.last_article, in large transactions, from `serve`'s
-- background loop and before each search. doc holds an article's title
-- and text as folded words (search_text.go), taken as lexemes as they are
-- (array_to_tsvector), so both dialects split and fold text the same way;
-- queries are tsquery conjunctions of those words.
CREATE TABLE search_index (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    doc        TSVECTOR NOT NULL
);
CREATE INDEX search_index_doc ON search_index USING gin (doc);

CREATE TABLE search_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    last_article BIGINT NOT NULL
);
INSERT INTO search_state (id, last_article) VALUES (1, 0);
