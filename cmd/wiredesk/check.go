package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintf(stderr, "wiredesk: warning: %s\n", w)
	}
	out, err := cfg.Redacted()
	if err != nil {
		return fmt.Errorf("print config: %w", err)
	}
	fmt.Fprintf(stdout, "# %s: valid; effective configuration (secrets redacted)\n%s", *cfgPath, out)
	return nil
}
