package web

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

var update = flag.Bool("update", false, "rewrite docs/dashboard.png from the browser test")

const chromium = "/usr/bin/chromium"

// browser starts a headless Debian chromium, or skips.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no " + chromium + ": apt-get install -y chromium to run the browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1360, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser; no timeout on this first call
		t.Fatalf("start %s: %v", chromium, err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func TestBrowser(t *testing.T) {
	ctx := browser(t)
	st, nStories := screenshotStore()
	ts := newTestServer(t, st, "")
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".story-list"))); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	rows := eval[int](t, ctx, `document.querySelectorAll(".story-row").length`)
	listDir := eval[string](t, ctx, `getComputedStyle(document.querySelector(".story-row a[lang=ar]")).direction`)
	if rows != nStories || listDir != "rtl" {
		t.Errorf("story list: %d rows, arabic title direction %q; want %d, rtl", rows, listDir, nStories)
	}
	if bg := eval[string](t, ctx, `getComputedStyle(document.querySelector(".pill-ok")).backgroundColor`); bg != "rgb(26, 127, 55)" {
		t.Errorf("stylesheet not applied (CSP?): .pill-ok background %q", bg)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	saveShot(t, shot)

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.story-row a[href="/stories/4"]`)),
		chromedp.WaitVisible(chromedp.CSS(".story-title"))); err != nil {
		t.Fatalf("open story: %v", err)
	}
	titleDir := eval[string](t, ctx, `getComputedStyle(document.querySelector(".story-title")).direction`)
	textDir := eval[string](t, ctx, `getComputedStyle(document.querySelector(".compare .text")).direction`)
	members := eval[int](t, ctx, `document.querySelectorAll(".member").length`)
	marks := eval[int](t, ctx, `document.querySelectorAll(".compare mark").length`)
	if titleDir != "rtl" || textDir != "rtl" || members != 2 || marks == 0 {
		t.Errorf("arabic story: title %q, text %q, %d members, %d marks; want rtl, rtl, 2, some", titleDir, textDir, members, marks)
	}
}

// TestBrowserDiff checks that a diff's paragraphs take their direction
// from their own text, and that insertions and deletions are styled.
func TestBrowserDiff(t *testing.T) {
	ctx := browser(t)
	ts := newTestServer(t, demoStore(), "")
	for name, c := range map[string]struct {
		path, dir string
	}{
		"arabic":  {"/articles/5", "rtl"},
		"english": {"/articles/2", "ltr"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+c.path), chromedp.WaitVisible(chromedp.CSS(".diff .text"))); err != nil {
				t.Fatal(err)
			}
			dirs := eval[[]string](t, ctx, `[...document.querySelectorAll(".diff .text p")].map(p => getComputedStyle(p).direction)`)
			ins := eval[int](t, ctx, `document.querySelectorAll(".diff .text ins").length`)
			insBg := eval[string](t, ctx, `getComputedStyle(document.querySelector(".diff .text ins")).backgroundColor`)
			if len(dirs) == 0 || ins == 0 || insBg != "rgb(218, 251, 225)" {
				t.Errorf("%s: %d paragraphs, %d insertions, ins background %q", c.path, len(dirs), ins, insBg)
			}
			for i, d := range dirs {
				if d != c.dir {
					t.Errorf("%s: paragraph %d direction %q, want %q", c.path, i, d, c.dir)
				}
			}
		})
	}
}

// TestBrowserNoJS checks that the core views work with JavaScript off.
func TestBrowserNoJS(t *testing.T) {
	ctx := browser(t)
	ts := newTestServer(t, demoStore(), "")
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		path, sel string
		want      int
	}{
		"search":   {"/?q=oil", ".story-row", 1},
		"story":    {"/stories/2", ".member", 2},
		"feeds":    {"/feeds", ".feed-table tbody tr", 7},
		"versions": {"/articles/2", ".versions .version", 3},
		"timeline": {"/stories/2", ".events li", 4},
	} {
		t.Run(name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+c.path)); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(c.sel)))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != c.want {
				t.Errorf("%s without JS: %d %s, want %d", c.path, len(got), c.sel, c.want)
			}
		})
	}
}

func saveShot(t *testing.T, png []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(t.TempDir(), "dashboard.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "dashboard.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
