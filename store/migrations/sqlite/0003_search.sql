-- Search (store/search.go) matches a substring of an article's title or
-- text, case-insensitively and ignoring the Arabic diacritics (tashkeel:
-- U+064B..U+0652, U+0670) and the tatweel (U+0640). The trigram tokenizer
-- keeps LIKE's substring semantics (a word inside a longer word, as Arabic
-- attaches its article and conjunctions, and punctuation) while using an
-- index for queries of three characters or more. The table is contentless:
-- it stores the index only, kept in sync by the triggers below, and holds
-- the texts with the diacritics removed (searchFold in search.go removes
-- the same characters from the query).
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = '', contentless_delete = 1,
    tokenize = 'trigram case_sensitive 0'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id,
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.title,
            char(1611), ''), char(1612), ''), char(1613), ''), char(1614), ''), char(1615), ''),
            char(1616), ''), char(1617), ''), char(1618), ''), char(1648), ''), char(1600), ''),
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.text,
            char(1611), ''), char(1612), ''), char(1613), ''), char(1614), ''), char(1615), ''),
            char(1616), ''), char(1617), ''), char(1618), ''), char(1648), ''), char(1600), ''));
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id,
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.title,
            char(1611), ''), char(1612), ''), char(1613), ''), char(1614), ''), char(1615), ''),
            char(1616), ''), char(1617), ''), char(1618), ''), char(1648), ''), char(1600), ''),
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.text,
            char(1611), ''), char(1612), ''), char(1613), ''), char(1614), ''), char(1615), ''),
            char(1616), ''), char(1617), ''), char(1618), ''), char(1648), ''), char(1600), ''));
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;

-- Backfill the articles stored before this migration.
INSERT INTO articles_fts (rowid, title, text) SELECT id,
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(title,
        char(1611), ''), char(1612), ''), char(1613), ''), char(1614), ''), char(1615), ''),
        char(1616), ''), char(1617), ''), char(1618), ''), char(1648), ''), char(1600), ''),
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(text,
        char(1611), ''), char(1612), ''), char(1613), ''), char(1614), ''), char(1615), ''),
        char(1616), ''), char(1617), ''), char(1618), ''), char(1648), ''), char(1600), '')
FROM articles;
