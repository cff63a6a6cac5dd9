-- A batch inserts a new story's first article with the story's id and
-- writes the story row, whole, at its end (store/batch.go): the article's
-- foreign key to its story is checked at commit.
ALTER TABLE articles ALTER CONSTRAINT articles_story_id_fkey DEFERRABLE INITIALLY DEFERRED;
