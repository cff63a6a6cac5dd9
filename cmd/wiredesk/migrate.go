package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wiredesk/wiredesk/store"
)

// defaultStore is the store DSN when neither -store nor WIREDESK_STORE is set.
const defaultStore = "sqlite:wiredesk.db"

// runMigrate opens the store, which applies pending migrations, and prints
// the schema version.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := os.Getenv("WIREDESK_STORE")
	if def == "" {
		def = defaultStore
	}
	dsn := fs.String("store", def, "store DSN: sqlite:PATH, PATH.db or postgres://... (env WIREDESK_STORE)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("migrate: unexpected arguments %q", fs.Args())
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintf(stdout, "%s schema version %d\n", db.Dialect(), v)
	return db.Close()
}
