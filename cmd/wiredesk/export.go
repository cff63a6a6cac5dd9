package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/wiredesk/wiredesk/internal/export"
	"github.com/wiredesk/wiredesk/news"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	format := fs.String("format", "jsonl", "jsonl, csv, rss, atom or jsonfeed")
	since := fs.Duration("since", 0, "only what was first seen (with -revisions: seen or revised) this recently (e.g. 24h); 0 means everything")
	stories := fs.Bool("stories", false, "one story a line with its members, instead of one article a line")
	revisions := fs.Bool("revisions", false, "one version of an article a line (jsonl or csv), every kept version, the current one last")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *format {
	case "jsonl", "csv", "rss", "atom", "jsonfeed":
	default:
		return usagef("export: unknown -format %q (want jsonl, csv, rss, atom or jsonfeed)", *format)
	}
	if *stories && *format == "csv" {
		return usagef("export: -stories is not available as csv (use jsonl)")
	}
	if *revisions && (*stories || (*format != "jsonl" && *format != "csv")) {
		return usagef("export: -revisions writes jsonl or csv, and not with -stories")
	}
	a, err := openConfigured(ctx, *cfgPath, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	var from time.Time
	if *since > 0 {
		from = time.Now().Add(-*since)
	}
	w := bufio.NewWriter(stdout)
	switch {
	case *format == "rss" || *format == "atom" || *format == "jsonfeed":
		err = exportFeed(ctx, a, w, *format, from)
	case *stories:
		err = exportStories(ctx, a, w, from)
	case *revisions:
		err = exportRevisions(ctx, a, w, *format, from)
	default:
		err = exportArticles(ctx, a, w, *format, from)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return w.Flush()
}

func exportArticles(ctx context.Context, a *app, w io.Writer, format string, from time.Time) error {
	if format == "csv" {
		c := export.NewCSV(w)
		if err := a.db.WalkArticles(ctx, from, c.Write); err != nil {
			return err
		}
		return c.Flush()
	}
	j := export.NewJSONL(w)
	return a.db.WalkArticles(ctx, from, func(art news.Article) error {
		return j.Write(export.Article(art))
	})
}

// exportRevisions writes every kept version of the articles seen or
// revised since from, oldest article first, each one's versions in order.
func exportRevisions(ctx context.Context, a *app, w io.Writer, format string, from time.Time) error {
	if format == "csv" {
		c := export.NewCSV(w)
		if err := a.db.WalkRevisions(ctx, from, c.WriteRevision); err != nil {
			return err
		}
		return c.Flush()
	}
	j := export.NewJSONL(w)
	return a.db.WalkRevisions(ctx, from, func(r news.Revision) error {
		return j.Write(export.Revision(r))
	})
}

// eachStory calls fn for every story seen since from, newest first, with
// its members.
func eachStory(ctx context.Context, a *app, from time.Time, fn func(news.Story) error) error {
	const page = 500
	for off := 0; ; off += page {
		list, err := a.db.Stories(ctx, news.StoryQuery{Since: from, Limit: page, Offset: off})
		if err != nil {
			return err
		}
		for _, s := range list {
			full, err := a.db.Story(ctx, s.ID)
			if err != nil {
				return fmt.Errorf("story %d: %w", s.ID, err)
			}
			if err := fn(full); err != nil {
				return err
			}
		}
		if len(list) < page {
			return nil
		}
	}
}

func exportStories(ctx context.Context, a *app, w io.Writer, from time.Time) error {
	j := export.NewJSONL(w)
	return eachStory(ctx, a, from, func(s news.Story) error { return j.Write(export.Story(s)) })
}

// exportFeed writes the deduplicated stream, one entry per story.
func exportFeed(ctx context.Context, a *app, w io.Writer, format string, from time.Time) error {
	var list []news.Story
	if err := eachStory(ctx, a, from, func(s news.Story) error {
		list = append(list, s)
		return nil
	}); err != nil {
		return err
	}
	ch := export.Channel{Title: "wiredesk stories", Link: "http://" + a.cfg.Serve.Addr + "/",
		Description: "One entry per story, syndicated copies folded together", Updated: time.Now()}
	switch format {
	case "rss":
		return export.WriteRSS(w, ch, list)
	case "atom":
		return export.WriteAtom(w, ch, list)
	default:
		return export.WriteJSONFeed(w, ch, list)
	}
}
