package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/wiredesk/wiredesk/scraper"
)

func runDiscover(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("discover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: wiredesk discover URL\n\nPrints one line per feed the site advertises: URL<TAB>format<TAB>title.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("discover: want exactly one URL, got %d arguments", fs.NArg())
	}
	f, err := scraper.New(scraper.Options{UserAgent: "wiredesk/0.1"})
	if err != nil {
		return fmt.Errorf("discover: %w", err)
	}
	defer f.Close()
	found, err := f.Discover(ctx, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("%w (class %s)", err, scraper.Class(err))
	}
	for _, d := range found {
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", d.URL, d.Format, d.Title)
	}
	return nil
}
