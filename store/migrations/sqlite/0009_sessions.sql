-- Dashboard sessions (issue 18), server-side so that logout ends them and
-- every serve instance on the store knows them. id_hash is the SHA-256 of
-- the cookie's random id (hex), never the id itself; created and used
-- bound a session's life (30 days in all, 7 days unused).
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    used    INTEGER NOT NULL
);
CREATE INDEX sessions_used ON sessions (used);
