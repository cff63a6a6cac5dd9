-- Search (store/search.go) is ILIKE '%q%' over an article's title and text
-- with the Arabic diacritics (tashkeel: U+064B..U+0652, U+0670) and the
-- tatweel (U+0640) removed. pg_trgm's GIN indexes on those expressions
-- serve it for queries of three characters or more. pg_trgm is a trusted
-- extension (the database owner may install it); it goes in schema public,
-- so that dropping an application schema does not drop it, or stays where
-- it is installed already. Without it, search works unindexed: the
-- migration notes that and goes on.
DO $$
DECLARE
    s name;
BEGIN
    SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF s IS NULL THEN
        BEGIN
            CREATE EXTENSION pg_trgm SCHEMA public;
            s := 'public';
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm unavailable (%): article search is not indexed', SQLERRM;
            RETURN;
        END;
    END IF;
    EXECUTE format($i$CREATE INDEX articles_title_search ON articles USING gin
        ((translate(title, U&'\064B\064C\064D\064E\064F\0650\0651\0652\0670\0640', '')) %I.gin_trgm_ops)$i$, s);
    EXECUTE format($i$CREATE INDEX articles_text_search ON articles USING gin
        ((translate(text, U&'\064B\064C\064D\064E\064F\0650\0651\0652\0670\0640', '')) %I.gin_trgm_ops)$i$, s);
END
$$;
