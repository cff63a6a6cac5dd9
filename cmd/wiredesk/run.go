package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
)

// Exit statuses. Scripts and cron jobs test them (the README lists them
// under `poll`), so they are part of the interface.
const (
	exitOK         = 0
	exitFatal      = 1
	exitUsage      = 2
	exitFeedFailed = 3
)

// usageError is bad usage or an invalid config: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// errFeedsFailed reports a poll that finished with failed feeds: exit 3.
// The failed feeds were already named on stderr.
var errFeedsFailed = errors.New("one or more feeds failed")

type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"poll":     {"one pass over every due feed, then exit (for cron)", runPoll},
		"serve":    {"daemon: scheduler, dashboard, API, metrics, feeds", runServe},
		"demo":     {"self-contained tour on a built-in fixture newsroom", runDemo},
		"extract":  {"offline main-text extraction of HTML files", runExtract},
		"dedup":    {"offline deduplication of a JSON Lines article stream", runDedup},
		"feeds":    {"manage the feed list: add, list, rm, import, export", runFeeds},
		"discover": {"find the feeds a site advertises", runDiscover},
		"export":   {"stored articles or stories for pipelines", runExport},
		"check":    {"validate the config and print it, secrets redacted", runCheck},
		"migrate":  {"apply the store's schema migrations and exit", runMigrate},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr, cmds)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		printUsage(stderr, cmds)
		return usagef("unknown command %q", args[0])
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func printUsage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: wiredesk <command> [flags]\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'wiredesk <command> -h' for a command's flags.")
}

// parseFlags parses a subcommand's flags; a parse error is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err}
	}
	return nil
}

// exitCode maps run's error to the process exit status, printing it.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errFeedsFailed):
		return exitFeedFailed
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "wiredesk: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "wiredesk: %v\n", err)
		return exitFatal
	}
}
