-- The search index (store/search_index.go). It is not maintained on the
-- ingest path: IndexSearch adds the articles with ids above
-- search_state.last_article, in large transactions, from `serve`'s
-- background loop and before each search. The FTS5 table is contentless
-- (it holds the index only: rowid = article id) and detail=none (no
-- positions: queries are sets of words, never phrases). It is fed each
-- article's title and text as folded words separated by spaces
-- (search_text.go), and the tokenizer's categories hold every character
-- those words can contain, so it splits at the spaces only. Articles
-- deleted later keep their entries; queries join back to articles.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    doc,
    content = '', contentless_delete = 1, detail = none,
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M* Cn'"
);

CREATE TABLE search_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    last_article INTEGER NOT NULL
);
INSERT INTO search_state (id, last_article) VALUES (1, 0);
