package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

func runFeeds(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("feeds", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	name := fs.String("name", "", "feeds add: display name")
	tags := fs.String("tags", "", "feeds add: comma-separated tags")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: wiredesk feeds [-config F] add URL [-name N -tags a,b] | list | rm ID | import FILE.opml | export")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fs.Usage()
		return usagef("feeds: missing subcommand")
	}
	sub, rest := rest[0], rest[1:]
	// Flags may follow the subcommand and its argument too:
	// feeds add URL -name X -tags a,b.
	rest, err := interleaved(fs, rest)
	if err != nil {
		return err
	}
	if err := checkArgs(sub, rest); err != nil {
		return err
	}
	a, err := openConfigured(ctx, *cfgPath, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	switch sub {
	case "add":
		return feedsAdd(ctx, a, rest[0], *name, splitTags(*tags), stdout, stderr)
	case "list":
		return feedsList(ctx, a, stdout)
	case "rm":
		return feedsRemove(ctx, a, rest[0], stdout)
	case "import":
		return feedsImport(ctx, a, rest[0], stdout)
	default:
		return feedsExport(ctx, a, stdout)
	}
}

// interleaved parses flags wherever they stand among args and returns the
// other arguments in order.
func interleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

func checkArgs(sub string, rest []string) error {
	want := map[string]int{"add": 1, "list": 0, "rm": 1, "import": 1, "export": 0}
	n, ok := want[sub]
	switch {
	case !ok:
		return usagef("feeds: unknown subcommand %q (want add, list, rm, import or export)", sub)
	case len(rest) != n:
		return usagef("feeds %s: want %d argument(s), got %d", sub, n, len(rest))
	}
	return nil
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// feedURL accepts an absolute http or https URL: the one rule of feeds
// add and feeds import.
func feedURL(raw string) (*url.URL, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	return u, true
}

func feedsAdd(ctx context.Context, a *app, raw, name string, tags []string, w, stderr io.Writer) error {
	u, ok := feedURL(raw)
	if !ok {
		return usagef("feeds add: %q is not an http or https URL", raw)
	}
	if err := a.fetcher.CheckAddress(u.String()); err != nil {
		// Added all the same: the network may be allowed later.
		fmt.Fprintf(stderr, "wiredesk: warning: feeds add %s: %v; polls will refuse it until http.allow_networks covers it\n", u, err)
	}
	id, err := a.db.UpsertFeed(ctx, news.Feed{URL: u.String(), Name: name, Tags: tags})
	if err != nil {
		return fmt.Errorf("add feed %s: %w", raw, err)
	}
	fmt.Fprintf(w, "feed %d: %s\n", id, u)
	return nil
}

func feedsList(ctx context.Context, a *app, w io.Writer) error {
	feeds, err := a.db.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("list feeds: %w", err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tFLAGS\tLAST POLL\tNEXT POLL\tITEMS\tNAME\tURL\tERROR")
	for _, f := range feeds {
		var flags []string
		if f.Gap {
			flags = append(flags, "possible-gap")
		}
		if f.Stale {
			flags = append(flags, "stale")
		}
		if !f.DeferredUntil.IsZero() { // not fetched: its host held us off; health unchanged
			flags = append(flags, "deferred-until-"+f.DeferredUntil.Local().Format("15:04:05"))
		}
		errText := ""
		if f.ErrorClass != "" {
			errText = f.ErrorClass + ": " + f.LastError
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", f.ID, f.Status, strings.Join(flags, ","),
			ago(f.LastPolled), ago(f.NextPoll), f.ItemCount, f.Name, f.URL, errText)
	}
	return tw.Flush()
}

func ago(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func feedsRemove(ctx context.Context, a *app, arg string, w io.Writer) error {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return usagef("feeds rm: %q is not a feed id (see feeds list)", arg)
	}
	if err := a.db.RemoveFeed(ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("feeds rm: no feed %d", id)
		}
		return fmt.Errorf("remove feed %d: %w", id, err)
	}
	fmt.Fprintf(w, "removed feed %d (its stored articles stay)\n", id)
	return nil
}

func feedsImport(ctx context.Context, a *app, path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	list, err := scraper.ParseOPML(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	// The rule of feeds add, for every entry, all reported at once;
	// nothing is imported from a list with a bad entry.
	var bad []error
	for i, o := range list {
		if _, ok := feedURL(o.URL); !ok {
			bad = append(bad, fmt.Errorf("outline %d: %q is not an http or https URL", i+1, o.URL))
		}
	}
	if len(bad) > 0 {
		return usagef("import %s: nothing imported:\n%v", path, errors.Join(bad...))
	}
	for _, o := range list {
		if _, err := a.db.UpsertFeed(ctx, news.Feed{URL: o.URL, Name: o.Title, Tags: o.Tags}); err != nil {
			return fmt.Errorf("import %s: feed %s: %w", path, o.URL, err)
		}
	}
	fmt.Fprintf(w, "imported %d feeds from %s\n", len(list), path)
	return nil
}

func feedsExport(ctx context.Context, a *app, w io.Writer) error {
	feeds, err := a.db.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("export feeds: %w", err)
	}
	out := make([]scraper.OPMLFeed, 0, len(feeds))
	for _, f := range feeds {
		out = append(out, scraper.OPMLFeed{URL: f.URL, Title: f.Name, Tags: f.Tags})
	}
	return scraper.WriteOPML(w, "wiredesk feeds", out)
}
