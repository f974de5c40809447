package authn_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// The Lookup cache answers from memory for its ttl (shown by deleting the
// row behind it), is bounded, and never serves a session after this
// process revoked it (logout, every session of a user) or after it
// expired.
func TestSessionCache(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, clock := newSessions(t, bdb)
		s.Cached(5*time.Second, 2)

		a := mustCreate(t, s, "u1")
		if _, err := s.Lookup(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		// Within ttl the cache answers: the row is gone, the session is not.
		if _, err := bdb.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", a.ID); err != nil {
			t.Fatal(err)
		}
		clock.Advance(4 * time.Second)
		if got, err := s.Lookup(ctx, a.Token); err != nil || got.UserID != "u1" {
			t.Fatalf("cached lookup = %+v, %v; want u1's session", got, err)
		}
		// After ttl the database answers again.
		clock.Advance(time.Second)
		_, err := s.Lookup(ctx, a.Token)
		wantUnauthenticated(t, err, "invalid-session")

		// Logout is honoured at once, though the session was cached.
		b := mustCreate(t, s, "u2")
		if _, err := s.Lookup(ctx, b.Token); err != nil {
			t.Fatal(err)
		}
		if err := s.Revoke(ctx, b.Token); err != nil {
			t.Fatal(err)
		}
		_, err = s.Lookup(ctx, b.Token)
		wantUnauthenticated(t, err, "invalid-session")

		// So is revoking every session of a user.
		c1, c2 := mustCreate(t, s, "u3"), mustCreate(t, s, "u3")
		for _, c := range []authn.Session{c1, c2} {
			if _, err := s.Lookup(ctx, c.Token); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RevokeAllForUser(ctx, "u3"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []authn.Session{c1, c2} {
			_, err = s.Lookup(ctx, c.Token)
			wantUnauthenticated(t, err, "invalid-session")
		}

		// Bounded: three live sessions looked up, at most two kept.
		var live []authn.Session
		for range 3 {
			x := mustCreate(t, s, "u4")
			if _, err := s.Lookup(ctx, x.Token); err != nil {
				t.Fatal(err)
			}
			live = append(live, x)
		}
		if n := authn.CachedSessions(s); n > 2 {
			t.Fatalf("cache holds %d sessions, want at most 2", n)
		}
		for _, x := range live {
			if got, err := s.Lookup(ctx, x.Token); err != nil || got.ID != x.ID {
				t.Fatalf("lookup after eviction = %+v, %v", got, err)
			}
		}

		// Expiry is checked on a cached session too.
		e := mustCreate(t, s, "u5")
		if _, err := s.Lookup(ctx, e.Token); err != nil {
			t.Fatal(err)
		}
		clock.Advance(sessionTTL - 2*time.Second)
		if _, err := s.Lookup(ctx, e.Token); err != nil { // read again: the old entry is past ttl
			t.Fatal(err)
		}
		clock.Advance(3 * time.Second)
		_, err = s.Lookup(ctx, e.Token)
		wantUnauthenticated(t, err, "session-expired")
	}, authn.Migrations)
}

// Lookups racing a logout never put the revoked session back in the
// cache: once Revoke has returned, every Lookup refuses the token.
func TestSessionCacheLogoutRacingLookups(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s := authn.NewSessions(bdb, sessionTTL).Cached(time.Minute, 100)
		for range 20 {
			x := mustCreate(t, s, "racer")
			stop := make(chan struct{})
			done := make(chan struct{})
			for range 4 {
				go func() {
					defer func() { done <- struct{}{} }()
					for {
						select {
						case <-stop:
							return
						default:
							_, _ = s.Lookup(ctx, x.Token)
						}
					}
				}()
			}
			if err := s.Revoke(ctx, x.Token); err != nil {
				t.Fatal(err)
			}
			for range 50 {
				_, err := s.Lookup(ctx, x.Token)
				wantUnauthenticated(t, err, "invalid-session")
			}
			close(stop)
			for range 4 {
				<-done
			}
			_, err := s.Lookup(ctx, x.Token)
			wantUnauthenticated(t, err, "invalid-session")
		}
	}, authn.Migrations)
}
