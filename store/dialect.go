package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// dialects are the databases the store runs on. Each is one file,
// dialect_NAME.go, that defines its dialect value, plus its migrations in
// migrations/NAME; the tests run on every dialect listed here (see
// helpers_test.go). Code outside the dialect files asks the dialect what
// to do, never which one it is; its queries are the SQL every dialect
// speaks: ? placeholders (bind rewrites them), INSERT … ON CONFLICT … DO
// UPDATE/NOTHING with excluded, and RETURNING. README.md, "Adding a
// database", says what a new dialect writes.
var dialects = []dialect{sqliteDialect, postgresDialect}

// dialect holds what differs between the databases. A zero field means the
// dialect does without (no locking suffix, no lock to take, ...).
type dialect struct {
	// name is what DB.Dialect returns; its migrations are in
	// migrations/NAME.
	name string
	// oneWriter: the database takes one writer at a time, so overlapping
	// poll runs would queue on it rather than share the feeds (see
	// DB.OneWriter).
	oneWriter bool

	// Choosing and opening. prefixes are the DSN prefixes that select the
	// dialect; bare, where set, takes a DSN that no dialect's prefix
	// matched (a plain file name). dsnForms names the accepted forms in
	// Open's error. open opens the connections for the whole DSN: Open
	// then sets the DB's dialect and applies the migrations.
	prefixes []string
	bare     func(dsn string) bool
	dsnForms string
	open     func(ctx context.Context, dsn string) (*DB, error)

	// Values and statements.
	bind func(string) string // rewrites ? placeholders
	// timeValue is a non-zero time's column value (UTC, microseconds);
	// timeCol reads either int64 unix nanoseconds or time.Time back.
	timeValue func(time.Time) any
	dayExpr   string // UTC day number of the articles.seen column
	// cacheStmts: prepare repeated queries once and keep them (stmts.go;
	// an ingest batch keeps its own). Without it the driver is trusted to
	// cache them (pgx does, per connection).
	cacheStmts bool

	// Row locks and writers.
	skipLocked string // row-locking suffix for lease selection
	forUpdate  string // row-locking suffix for a story row
	lockStory  string // row-locking suffix for a story row whose aggregates change
	// articleLog, where set, appends the article ids given as its one
	// (array) argument to article_log and returns their append positions,
	// in order; it runs under articleLock (see tail.go). SQLite needs
	// neither: it has one writer, and article ids are the append order.
	articleLog  string
	articleLock string
	// writeLock is taken shared by every article write and exclusive by
	// every story merge: writes run side by side, a merge runs alone, so no
	// write ever holds a story that a merge deletes under it.
	writeLock string
	mergeLock string
	// snapshot, where set, are the options of the read transaction that
	// walks the window and reads its append position from one snapshot
	// (walkWindow); nil: a plain read transaction is one already.
	snapshot *sql.TxOptions

	// Inserts: ids and conflicts. Conflicts are ON CONFLICT DO NOTHING
	// RETURNING in every dialect: no row back is ErrDuplicate.
	//
	// insertNewStorySQL inserts an article with a new story id, when the
	// dialect can hand one out before the story's row exists.
	insertNewStorySQL string
	// lastArticleSQL, where set, gives the largest article id ever used: an
	// ingest batch then hands out article ids itself (the next ones; there
	// is one writer), so that a new story's row is written whole, with its
	// first article as representative, before that article (the foreign
	// key is checked at once). A story that gets more members in the batch
	// is updated at its end. (Deferring the foreign keys instead, to write
	// the story after its articles, made every article insert scan the
	// whole table: with a violation outstanding, SQLite looks for the rows
	// a new parent row satisfies, and articles.duplicate_of, which refers
	// to articles, has no index.)
	lastArticleSQL string
	// lastStorySQL, where lastArticleSQL is set, gives the largest story
	// id ever used: new stories' rows then wait with the articles and are
	// written many to a statement, before them (batch_insert.go).
	lastStorySQL string

	// Migrations. migrationsTable creates schema_migrations if missing;
	// migrationLock, where set, is taken in the transaction that creates it
	// and in each migration's, so that concurrent migrators take turns.
	migrationsTable string
	migrationLock   string

	// Search (search.go, search_index.go). searchMatch is a parsed query
	// as the index's query language; searchIDs selects the ids of the
	// articles that match it (the one argument). searchWalk, where set,
	// tells whether an unselective search should test rows in the list's
	// order against the matches instead of starting from them (many
	// matches). insertSearchDocs adds folded documents to the index.
	searchMatch      func(searchQuery) string
	searchIDs        string
	searchWalk       func(db *DB, ctx context.Context, match string) (bool, error)
	insertSearchDocs func(ctx context.Context, tx *sql.Tx, docs []searchDocRow) error
}

// dialectFor returns the dialect that opens dsn: the one with a matching
// prefix, else the one whose bare form takes it.
func dialectFor(dsn string) (dialect, bool) {
	for _, d := range dialects {
		for _, p := range d.prefixes {
			if strings.HasPrefix(dsn, p) {
				return d, true
			}
		}
	}
	for _, d := range dialects {
		if d.bare != nil && d.bare(dsn) {
			return d, true
		}
	}
	return dialect{}, false
}

// dsnForms lists the DSN forms of every dialect, for an error.
func dsnForms() string {
	forms := make([]string, len(dialects))
	for i, d := range dialects {
		forms[i] = d.dsnForms
	}
	if len(forms) < 2 {
		return strings.Join(forms, "")
	}
	return strings.Join(forms[:len(forms)-1], ", ") + " or " + forms[len(forms)-1]
}
