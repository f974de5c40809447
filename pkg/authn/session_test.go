package authn_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// fakeClock is a settable clock shared by a test and the code under test.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const sessionTTL = 12 * time.Hour

func newSessions(t *testing.T, bdb *bun.DB) (*authn.Sessions, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := authn.NewSessions(bdb, sessionTTL)
	authn.SetSessionClock(s, clock.Now)
	return s, clock
}

func mustCreate(t *testing.T, s *authn.Sessions, userID string) authn.Session {
	t.Helper()
	sess, err := s.Create(context.Background(), userID, "Mozilla/5.0 test", "192.0.2.1")
	if err != nil {
		t.Fatalf("create session for %s: %v", userID, err)
	}
	return sess
}

func wantUnauthenticated(t *testing.T, err error, slug string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Category != apperr.Unauthenticated || e.Slug != slug {
		t.Fatalf("error = %v, want apperr unauthenticated/%s", err, slug)
	}
}

// flipLast changes the last character of a base64url token.
func flipLast(tok string) string {
	last := byte('A')
	if tok[len(tok)-1] == 'A' {
		last = 'B'
	}
	return tok[:len(tok)-1] + string(last)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestSessionCreateLookup(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, clock := newSessions(t, bdb)
		created := mustCreate(t, s, "user-1")

		if created.ID == "" || created.UserID != "user-1" {
			t.Fatalf("created = %+v", created)
		}
		// 32 random bytes in unpadded base64url.
		for name, tok := range map[string]string{"token": created.Token, "csrf token": created.CSRFToken} {
			if len(tok) != 43 {
				t.Fatalf("%s %q has %d characters, want 43", name, tok, len(tok))
			}
		}
		if created.Token == created.CSRFToken {
			t.Fatal("token and CSRF token are equal")
		}
		if want := clock.Now().Add(sessionTTL); !created.ExpiresAt.Equal(want) {
			t.Fatalf("expires at %v, want %v", created.ExpiresAt, want)
		}
		other := mustCreate(t, s, "user-1")
		if other.Token == created.Token || other.ID == created.ID {
			t.Fatal("two sessions share a token or id")
		}

		// Only hashes are stored.
		var row struct {
			TokenHash string `bun:"token_hash"`
			CSRFHash  string `bun:"csrf_hash"`
			UserAgent string `bun:"user_agent"`
			IP        string `bun:"ip"`
		}
		if err := bdb.NewSelect().Table("sessions").Column("token_hash", "csrf_hash", "user_agent", "ip").
			Where("id = ?", created.ID).Scan(ctx, &row); err != nil {
			t.Fatalf("read row: %v", err)
		}
		if row.TokenHash != sha256Hex(created.Token) || row.CSRFHash != sha256Hex(created.CSRFToken) {
			t.Fatalf("stored hashes %q, %q are not the SHA-256 of the tokens", row.TokenHash, row.CSRFHash)
		}
		if row.UserAgent != "Mozilla/5.0 test" || row.IP != "192.0.2.1" {
			t.Fatalf("stored user agent %q, ip %q", row.UserAgent, row.IP)
		}

		got, err := s.Lookup(ctx, created.Token)
		if err != nil {
			t.Fatalf("lookup: %v", err)
		}
		if got.ID != created.ID || got.UserID != "user-1" || !got.ExpiresAt.Equal(created.ExpiresAt) {
			t.Fatalf("lookup = %+v, want id %s user-1 expiring %v", got, created.ID, created.ExpiresAt)
		}
		if got.Token != "" || got.CSRFToken != "" {
			t.Fatal("lookup returned the secret tokens")
		}

		for _, tok := range []string{"", "unknown-token", created.Token + "x", strings.Repeat("a", 1000)} {
			_, err := s.Lookup(ctx, tok)
			wantUnauthenticated(t, err, "invalid-session")
		}
	}, authn.Migrations)
}

func TestSessionLookupSlidesLastSeen(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, clock := newSessions(t, bdb)
		created := mustCreate(t, s, "user-1")
		start := clock.Now()

		lastSeen := func() time.Time {
			t.Helper()
			var ts time.Time
			if err := bdb.NewSelect().Table("sessions").Column("last_seen_at").
				Where("id = ?", created.ID).Scan(ctx, &ts); err != nil {
				t.Fatalf("read last_seen_at: %v", err)
			}
			return ts
		}
		lookup := func() {
			t.Helper()
			if _, err := s.Lookup(ctx, created.Token); err != nil {
				t.Fatalf("lookup: %v", err)
			}
		}

		clock.Advance(10 * time.Second)
		lookup()
		if got := lastSeen(); !got.Equal(start) {
			t.Fatalf("last_seen_at = %v after 10s, want unchanged %v (written at most once a minute)", got, start)
		}
		clock.Advance(2 * time.Minute)
		lookup()
		if got, want := lastSeen(), clock.Now(); !got.Equal(want) {
			t.Fatalf("last_seen_at = %v, want %v", got, want)
		}
	}, authn.Migrations)
}

func TestSessionExpires(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, clock := newSessions(t, bdb)
		created := mustCreate(t, s, "user-1")

		clock.Advance(sessionTTL - time.Microsecond)
		if _, err := s.Lookup(ctx, created.Token); err != nil {
			t.Fatalf("lookup just before expiry: %v", err)
		}
		clock.Advance(time.Microsecond)
		_, err := s.Lookup(ctx, created.Token)
		wantUnauthenticated(t, err, "session-expired")

		// Expired sessions are pruned; live ones stay.
		live := mustCreate(t, s, "user-2")
		n, err := s.DeleteExpired(ctx, clock.Now().Add(time.Microsecond))
		if err != nil {
			t.Fatalf("delete expired: %v", err)
		}
		if n != 1 {
			t.Fatalf("deleted %d sessions, want 1", n)
		}
		if _, err := s.Lookup(ctx, live.Token); err != nil {
			t.Fatalf("live session after pruning: %v", err)
		}
		_, err = s.Lookup(ctx, created.Token)
		wantUnauthenticated(t, err, "invalid-session")
	}, authn.Migrations)
}

func TestSessionRevoke(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, _ := newSessions(t, bdb)
		a := mustCreate(t, s, "user-1")
		b := mustCreate(t, s, "user-1")

		if err := s.Revoke(ctx, a.Token); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		_, err := s.Lookup(ctx, a.Token)
		wantUnauthenticated(t, err, "invalid-session")
		if _, err := s.Lookup(ctx, b.Token); err != nil {
			t.Fatalf("other session of the same user after revoke: %v", err)
		}
		// Logout is idempotent.
		for _, tok := range []string{a.Token, "unknown", ""} {
			if err := s.Revoke(ctx, tok); err != nil {
				t.Fatalf("revoke %q again: %v", tok, err)
			}
		}
	}, authn.Migrations)
}

func TestSessionRevokeAllForUser(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, _ := newSessions(t, bdb)
		mine := []authn.Session{mustCreate(t, s, "user-1"), mustCreate(t, s, "user-1"), mustCreate(t, s, "user-1")}
		theirs := mustCreate(t, s, "user-2")

		if err := s.RevokeAllForUser(ctx, "user-1"); err != nil {
			t.Fatalf("revoke all: %v", err)
		}
		for i, sess := range mine {
			_, err := s.Lookup(ctx, sess.Token)
			if !apperr.Is(err, apperr.Unauthenticated) {
				t.Fatalf("session %d of user-1 after revoke-all: err = %v, want unauthenticated", i, err)
			}
		}
		if got, err := s.Lookup(ctx, theirs.Token); err != nil || got.UserID != "user-2" {
			t.Fatalf("user-2's session after revoking user-1's: %+v, %v", got, err)
		}
		// A new login after revoke-all works.
		fresh := mustCreate(t, s, "user-1")
		if _, err := s.Lookup(ctx, fresh.Token); err != nil {
			t.Fatalf("new session after revoke-all: %v", err)
		}
	}, authn.Migrations)
}

func TestSessionCheckCSRF(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, _ := newSessions(t, bdb)
		created := mustCreate(t, s, "user-1")
		other := mustCreate(t, s, "user-2")
		looked, err := s.Lookup(ctx, created.Token)
		if err != nil {
			t.Fatalf("lookup: %v", err)
		}
		// A Session carrying only its ID makes CheckCSRF read the database.
		byID := authn.Session{ID: created.ID, UserID: created.UserID}

		tests := []struct {
			name  string
			sess  authn.Session
			token string
			want  bool
		}{
			{"looked-up session, right token", looked, created.CSRFToken, true},
			{"created session, right token", created, created.CSRFToken, true},
			{"session by id, right token", byID, created.CSRFToken, true},
			{"wrong token", looked, flipLast(created.CSRFToken), false},
			{"another session's token", looked, other.CSRFToken, false},
			{"session token instead of CSRF token", looked, created.Token, false},
			{"empty token", looked, "", false},
			{"unknown session id", authn.Session{ID: "nope"}, created.CSRFToken, false},
			{"zero session", authn.Session{}, created.CSRFToken, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := s.CheckCSRF(ctx, tt.sess, tt.token); got != tt.want {
					t.Fatalf("CheckCSRF = %v, want %v", got, tt.want)
				}
			})
		}
	}, authn.Migrations)
}

func TestSessionCreateStoresAwkwardClientText(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, _ := newSessions(t, bdb)
		ua := "bad\xff\x00agent " + strings.Repeat("浏", 400) // invalid UTF-8, NUL, 1200+ bytes
		sess, err := s.Create(ctx, "user-1", ua, "2001:db8::1")
		if err != nil {
			t.Fatalf("create with awkward user agent: %v", err)
		}
		var stored string
		if err := bdb.NewSelect().Table("sessions").Column("user_agent").Where("id = ?", sess.ID).Scan(ctx, &stored); err != nil {
			t.Fatalf("read user agent: %v", err)
		}
		if len(stored) > 512 || !strings.HasPrefix(stored, "bad\uFFFDagent 浏") || strings.ContainsRune(stored, 0) {
			t.Fatalf("stored user agent %q (%d bytes)", stored, len(stored))
		}
		if _, err := s.Create(ctx, "", "ua", "ip"); err == nil {
			t.Fatal("session created for an empty user id")
		}
	}, authn.Migrations)
}

func TestSessionConcurrentCreateLookup(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s, _ := newSessions(t, bdb)
		const n = 16
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sess, err := s.Create(ctx, "user-"+string(rune('a'+i)), "ua", "ip")
				if err == nil {
					_, err = s.Lookup(ctx, sess.Token)
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent create/lookup: %v", err)
			}
		}
	}, authn.Migrations)
}
