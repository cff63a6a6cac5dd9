package dedup

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSketchRoundTrip(t *testing.T) {
	fpr := NewFingerprinter()
	for i, text := range append(testTexts(3), "", "one two") {
		d := Doc{URL: fmt.Sprintf("https://a.example/%d", i), Text: text}
		p := fpr.Fingerprint(&d)
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var q Fingerprint
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatalf("text %d: %v", i, err)
		}
		if !slices.Equal(q.f.shingles, p.f.shingles) || q.f.content != p.f.content || q.f.words != p.f.words || q.f.url != p.f.url {
			t.Errorf("text %d: decoded %+v, want %+v", i, q.f, p.f)
		}
		if len(p.f.shingles) > 0 && len(b) >= len(text) {
			t.Errorf("text %d: sketch of %d bytes for %d bytes of text", i, len(b), len(text))
		}
	}
	var q Fingerprint
	if err := q.UnmarshalBinary([]byte{sketchVersion + 1, 0}); !errors.Is(err, ErrSketchVersion) {
		t.Errorf("other version: %v, want ErrSketchVersion", err)
	}
}

// TestSketchRebuild: an index rebuilt from sketches, without the texts,
// judges new documents exactly as one rebuilt from the texts.
func TestSketchRebuild(t *testing.T) {
	texts := testTexts(40)
	t0 := time.Now().Add(-48 * time.Hour)
	var docs []Doc
	for i := range 120 {
		src := i % 40
		text := texts[src]
		if i >= 40 {
			text = fmt.Sprintf("Outlet %d | Home\n\n%s\n\nRead more", i%7, text[:len(text)*3/4])
		}
		docs = append(docs, Doc{ID: fmt.Sprint(i), Outlet: fmt.Sprintf("o%d", i%7), URL: fmt.Sprintf("https://o%d.example/%d", i%7, i),
			Title: fmt.Sprintf("Story %d", src), Text: text, Published: t0.Add(time.Duration(i) * time.Minute)})
	}
	fromText, fromSketch := NewIndex(Options{}), NewIndex(Options{})
	fpr := NewFingerprinter()
	for i := range docs[:80] {
		d := docs[i]
		r := fromText.Add(&d)
		b, err := fpr.Fingerprint(&d).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var p Fingerprint
		if err := p.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		bare := d
		bare.Text, bare.URL = "", ""
		fromSketch.InsertFingerprint(&bare, &p, r)
	}
	for i := range docs[80:] {
		a, b := docs[80+i], docs[80+i]
		ra, rb := fromText.Add(&a), fromSketch.Add(&b)
		if ra != rb {
			t.Errorf("doc %s: from texts %+v, from sketches %+v", a.ID, ra, rb)
		}
	}
}

// TestRescore: a revised text (an update paragraph, a new headline) still
// matches its story; a different text does not.
func TestRescore(t *testing.T) {
	texts := testTexts(3)
	t0 := time.Now().Add(-time.Hour)
	ix := NewIndex(Options{})
	orig := Doc{ID: "1", Outlet: "wire", URL: "https://wire.example/1", Title: "Quake hits coast", Text: texts[0], Published: t0}
	ix.Add(&orig)
	cp := Doc{ID: "2", Outlet: "planet", URL: "https://planet.example/2", Title: "Quake", Text: "Planet | Menu\n\n" + texts[0], Published: t0.Add(time.Minute)}
	if r := ix.Add(&cp); r.Cluster != "1" {
		t.Fatalf("copy: %+v", r)
	}
	rev := cp
	rev.Text += "\n\nUPDATE 1: rescuers reached the northern villages on Tuesday evening, officials said."
	rev.Title = "Quake toll rises"
	r, ok := ix.Rescore(&rev, nil, "1")
	if !ok || r.Score < 0.5 || !strings.HasPrefix(r.Reason, "text containment") {
		t.Errorf("revision: %+v %v; want a match", r, ok)
	}
	ix.Insert(&rev, r)
	other := cp
	other.Text = texts[1]
	if r, ok := ix.Rescore(&other, nil, "1"); ok || !strings.Contains(r.Reason, "below") {
		t.Errorf("other text: %+v %v; want no match", r, ok)
	}
	if r, ok := ix.Rescore(&cp, nil, "nope"); ok || r != (Result{}) {
		t.Errorf("unknown story: %+v %v", r, ok)
	}
}

// FuzzSketch checks that decoding never panics and that what decodes
// encodes back to the same bytes.
func FuzzSketch(f *testing.F) {
	fpr := NewFingerprinter()
	for _, text := range append(testTexts(2), "", "a b c d") {
		b, _ := fpr.Fingerprint(&Doc{Text: text, URL: "https://a.example/x"}).MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{sketchVersion, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Fingerprint
		if err := p.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := p.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, encodes to %x (%v)", b, again, err)
		}
		ix := NewIndex(Options{})
		ix.InsertFingerprint(&Doc{ID: "x", Published: time.Now()}, &p, Result{})
	})
}
