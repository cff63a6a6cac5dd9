package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/wiredesk/wiredesk/scraper"
)

func runDiscover(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("discover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	allow := fs.String("allow", "", "comma-separated CIDRs to allow although not public (e.g. 127.0.0.1/32 for a local test site)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: wiredesk discover [-allow CIDRS] URL\n\nPrints one line per feed the site advertises: URL<TAB>format<TAB>title.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("discover: want exactly one URL, got %d arguments", fs.NArg())
	}
	nets, err := parseCIDRs(*allow)
	if err != nil {
		return usagef("discover: -allow: %v", err)
	}
	f, err := scraper.New(scraper.Options{UserAgent: "wiredesk/0.1", AllowNetworks: nets})
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

// parseCIDRs parses a comma-separated list of CIDR prefixes.
func parseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", part, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
