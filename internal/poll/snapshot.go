package poll

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
)

// A cron run is a new process: without help it would rebuild the dedup
// index from the whole window before matching its first new article. With
// Options.Snapshot set (wiredesk poll on SQLite), a pass that changed the
// index ends by writing the index to that file (a temporary file renamed
// over it), tagged with the append position it covers and the id and
// first-seen time of the article there; the next run loads it, checks the
// tag against the store (a store replaced or restored from a backup no
// longer has that article there) and reads only the articles appended
// since (Tail). Any mismatch or damage rebuilds the index from the store,
// as before, and the next pass writes a fresh snapshot.

const snapshotTag = "WDSNAPv1"

// snapshotEvery is how many articles appended since the loaded snapshot
// (or revisions learned) make a pass write a new one. Below it the next
// run catches up from the store's tail, which costs less than writing the
// whole index each run; but a pass whose index swept its table (an
// eviction, a thinning) writes one, or every later run would sweep again.
const snapshotEvery = 1000

// loadSnapshot fills the index from the snapshot file, if there is a
// usable one; ingestMu is held. It reports whether it did.
func (p *Poller) loadSnapshot(ctx context.Context) bool {
	if p.opt.Snapshot == "" {
		return false
	}
	start := time.Now()
	ix, pos, err := p.readSnapshot(ctx)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			p.log.Info("dedup index snapshot not used", "path", p.opt.Snapshot, "err", err)
		}
		return false
	}
	p.ix, p.tail, p.ready, p.dirty = ix, pos, true, false
	p.snapPos, p.learned = pos, 0
	p.log.Info("dedup index loaded from its snapshot", "path", p.opt.Snapshot, "position", pos,
		"articles", ix.Len(), "duration_ms", time.Since(start).Milliseconds())
	return true
}

func (p *Poller) readSnapshot(ctx context.Context) (*dedup.Index, int64, error) {
	f, err := os.Open(p.opt.Snapshot)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var head struct {
		Tag       [8]byte
		Pos, ID   int64
		SeenNanos int64
	}
	if err := binary.Read(r, binary.LittleEndian, &head); err != nil {
		return nil, 0, fmt.Errorf("read snapshot tag: %w", err)
	}
	if string(head.Tag[:]) != snapshotTag {
		return nil, 0, errors.New("not a wiredesk index snapshot")
	}
	if err := p.checkPosition(ctx, head.Pos, head.ID, head.SeenNanos); err != nil {
		return nil, 0, err
	}
	ix, err := dedup.ReadIndex(r, p.opt.dedup())
	if err != nil {
		return nil, 0, err
	}
	return ix, head.Pos, nil
}

// checkPosition checks that the store holds, at append position pos, the
// article the snapshot says (none when pos is 0).
func (p *Poller) checkPosition(ctx context.Context, pos, id, seen int64) error {
	if pos == 0 {
		return nil
	}
	arts, err := p.st.Tail(ctx, pos-1, 1)
	if err != nil {
		return err
	}
	if len(arts) == 0 || arts[0].Pos != pos || arts[0].ID != id || arts[0].Seen.UnixNano() != seen {
		return fmt.Errorf("the store has another article at position %d", pos)
	}
	return nil
}

// saveSnapshot writes the index to the snapshot file when it changed in
// this pass and covers everything up to the tail; ingestMu is held.
func (p *Poller) saveSnapshot(ctx context.Context) {
	if p.opt.Snapshot == "" || !p.ready || !p.dirty || len(p.mine) > 0 || ctx.Err() != nil {
		return
	}
	if p.snapPos >= 0 && p.tail-p.snapPos+int64(p.learned) < snapshotEvery && p.ix.Sweeps() == 0 {
		return // the next run catches up from the tail; a sweep it would redo is worth a write
	}
	start := time.Now()
	if err := p.writeSnapshot(ctx); err != nil {
		p.log.Warn("write dedup index snapshot", "path", p.opt.Snapshot, "err", err)
		_ = os.Remove(p.opt.Snapshot) // an old one would be read back with the gap
		return
	}
	p.dirty, p.snapPos, p.learned = false, p.tail, 0
	p.log.Info("dedup index snapshot written", "path", p.opt.Snapshot, "position", p.tail,
		"duration_ms", time.Since(start).Milliseconds())
}

func (p *Poller) writeSnapshot(ctx context.Context) error {
	var id, seen int64
	if p.tail > 0 {
		arts, err := p.st.Tail(ctx, p.tail-1, 1)
		if err != nil {
			return err
		}
		if len(arts) == 0 || arts[0].Pos != p.tail {
			return fmt.Errorf("no article at position %d", p.tail)
		}
		id, seen = arts[0].ID, arts[0].Seen.UnixNano()
	}
	removeStaleTemps(p.opt.Snapshot, p.opt.Lease)
	tmp, err := os.CreateTemp(filepath.Dir(p.opt.Snapshot), filepath.Base(p.opt.Snapshot)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename: nothing
	w := bufio.NewWriter(tmp)
	var tag [8]byte
	copy(tag[:], snapshotTag)
	if err := binary.Write(w, binary.LittleEndian, struct {
		Tag             [8]byte
		Pos, ID, SeenNS int64
	}{tag, p.tail, id, seen}); err != nil {
		tmp.Close()
		return err
	}
	if _, err := p.ix.WriteTo(w); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(w.Flush(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p.opt.Snapshot)
}

var _ io.WriterTo = (*dedup.Index)(nil)

// removeStaleTemps deletes snapshot temp files left by a run that was
// killed while writing one (a SIGKILL skips the deferred remove). Only
// files older than the lease go: no live run can still be writing them.
func removeStaleTemps(snapshot string, lease time.Duration) {
	old, _ := filepath.Glob(snapshot + ".*.tmp")
	for _, f := range old {
		if fi, err := os.Stat(f); err == nil && time.Since(fi.ModTime()) > lease {
			os.Remove(f)
		}
	}
}
