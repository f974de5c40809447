package authzsync

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
)

// Keep is where a service keeps, in its own database, the role assignments
// it follows from other services' streams and the last stream sequence it
// has applied of each (tables authz_followed_roles and
// authz_follow_positions: migrations.Set, version 0065, which
// pkg/platform applies in every service's database). A restart
// loads them and follows each stream from the next sequence instead of
// its first event. Changes are written in batches, behind the enforcer:
// what is lost in a crash is replayed, and replaying a grant or revoke the
// state already holds changes nothing.
type Keep struct {
	db *bun.DB

	mu      sync.Mutex
	pending map[string]*pendingSource
	handled map[string]uint64
	// loaded is what Load last read of a source, while nothing has been
	// noted of it since: the start before NATS and the start of the
	// follower then read the kept rows once.
	loaded map[string]keptSource
}

type keptSource struct {
	as  []authz.Assignment
	seq uint64
}

type pendingSource struct {
	seq     uint64 // last sequence applied to the enforcer
	changes []change
}

type change struct {
	grant bool
	a     authz.Assignment
}

// flushEvery bounds how many changes wait in memory before the handler
// writes them itself; the rest are written by Run every flushInterval.
const (
	flushEvery    = 1000
	flushInterval = 200 * time.Millisecond
)

// NewKeep keeps followed roles in db.
func NewKeep(db *bun.DB) *Keep {
	return &Keep{db: db, pending: make(map[string]*pendingSource), handled: make(map[string]uint64), loaded: make(map[string]keptSource)}
}

// Handled is how many events of source's stream this Keep has been given
// since it was made: after a restart, the ones after the kept sequence.
func (k *Keep) Handled(source string) uint64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.handled[source]
}

// Position is the last sequence of source's stream kept (0: none).
func (k *Keep) Position(ctx context.Context, source string) (uint64, error) {
	var seqs []int64
	if err := k.db.NewRaw("SELECT seq FROM authz_follow_positions WHERE source = ?", source).Scan(ctx, &seqs); err != nil {
		return 0, fmt.Errorf("load %s follow position: %w", source, err)
	}
	if len(seqs) == 0 {
		return 0, nil
	}
	return uint64(seqs[0]), nil
}

// Load returns the kept assignments and sequence of source.
func (k *Keep) Load(ctx context.Context, source string) ([]authz.Assignment, uint64, error) {
	k.mu.Lock()
	c, ok := k.loaded[source]
	k.mu.Unlock()
	if ok {
		return c.as, c.seq, nil
	}
	seq, err := k.Position(ctx, source)
	if err != nil || seq == 0 {
		return nil, 0, err
	}
	var rows []struct {
		UserID string `bun:"user_id"`
		Role   string `bun:"role"`
		Domain string `bun:"domain"`
	}
	if err := k.db.NewRaw("SELECT user_id, role, domain FROM authz_followed_roles WHERE source = ?", source).Scan(ctx, &rows); err != nil {
		return nil, 0, fmt.Errorf("load %s followed roles: %w", source, err)
	}
	out := make([]authz.Assignment, len(rows))
	for i, r := range rows {
		out[i] = authz.Assignment{UserID: r.UserID, Role: r.Role, Domain: r.Domain}
	}
	k.mu.Lock()
	k.loaded[source] = keptSource{as: out, seq: seq}
	k.mu.Unlock()
	return out, seq, nil
}

// Forget drops what is kept of source, e.g. when its stream is younger
// than the kept sequence.
func (k *Keep) Forget(ctx context.Context, source string) error {
	k.mu.Lock()
	delete(k.pending, source)
	delete(k.loaded, source)
	k.mu.Unlock()
	return k.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM authz_followed_roles WHERE source = ?", source); err != nil {
			return fmt.Errorf("forget %s followed roles: %w", source, err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM authz_follow_positions WHERE source = ?", source); err != nil {
			return fmt.Errorf("forget %s follow position: %w", source, err)
		}
		return nil
	})
}

// note records that ev, at seq of source's stream, has been applied (a
// role event the enforcer took, or any other event, which only moves the
// position). It writes the batch itself once flushEvery changes wait.
func (k *Keep) note(ctx context.Context, source string, seq uint64, ev events.Envelope, applied bool) error {
	k.mu.Lock()
	p := k.pending[source]
	if p == nil {
		p = &pendingSource{}
		k.pending[source] = p
	}
	if applied {
		if c, ok := roleChange(ev); ok {
			p.changes = append(p.changes, c)
		}
	}
	p.seq = max(p.seq, seq)
	k.handled[source]++
	delete(k.loaded, source)
	full := len(p.changes) >= flushEvery
	k.mu.Unlock()
	if full {
		return k.Flush(ctx)
	}
	return nil
}

func roleChange(ev events.Envelope) (change, bool) {
	grant := strings.HasSuffix(ev.Type, ".role_granted")
	if !grant && !strings.HasSuffix(ev.Type, ".role_revoked") {
		return change{}, false
	}
	var p events.RoleAssignmentV1
	if err := ev.Decode(&p); err != nil {
		return change{}, false
	}
	return change{grant: grant, a: authz.Assignment{UserID: p.UserID, Role: p.Role, Domain: p.Domain}}, true
}

// Flush writes what waits, one transaction per source: the changes in
// order and then the position, so the position never runs ahead of them.
func (k *Keep) Flush(ctx context.Context) error {
	k.mu.Lock()
	batch := k.pending
	k.pending = make(map[string]*pendingSource)
	k.mu.Unlock()
	for source, p := range batch {
		if err := k.write(ctx, source, p); err != nil {
			k.requeue(source, p)
			return err
		}
	}
	return nil
}

// requeue puts a batch that could not be written back before what came
// after it.
func (k *Keep) requeue(source string, p *pendingSource) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if later := k.pending[source]; later != nil {
		p.changes = append(p.changes, later.changes...)
		p.seq = max(p.seq, later.seq)
	}
	k.pending[source] = p
}

func (k *Keep) write(ctx context.Context, source string, p *pendingSource) error {
	if p.seq == 0 {
		return nil
	}
	return k.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, c := range p.changes {
			q := "DELETE FROM authz_followed_roles WHERE source = ? AND user_id = ? AND role = ? AND domain = ?"
			if c.grant {
				q = "INSERT INTO authz_followed_roles (source, user_id, role, domain) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
			}
			if _, err := tx.ExecContext(ctx, q, source, c.a.UserID, c.a.Role, c.a.Domain); err != nil {
				return fmt.Errorf("keep %s followed role: %w", source, err)
			}
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO authz_follow_positions (source, seq) VALUES (?, ?) "+
			"ON CONFLICT (source) DO UPDATE SET seq = excluded.seq WHERE authz_follow_positions.seq < excluded.seq", source, int64(p.seq))
		if err != nil {
			return fmt.Errorf("keep %s follow position: %w", source, err)
		}
		return nil
	})
}

// run flushes every flushInterval until ctx ends, and once more then.
func (k *Keep) run(ctx context.Context, log interface{ Warn(string, ...any) }) {
	t := time.NewTicker(flushInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err := k.Flush(cctx); err != nil {
				log.Warn("keep followed roles at stop; the next start replays them", "err", err)
			}
			cancel()
			return
		case <-t.C:
			if err := k.Flush(ctx); err != nil && ctx.Err() == nil {
				log.Warn("keep followed roles; retrying", "err", err)
			}
		}
	}
}
