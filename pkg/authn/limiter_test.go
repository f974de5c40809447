package authn_test

import (
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authn"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func wantAllowed(t *testing.T, l *authn.Limiter, account, ip string, now time.Time) {
	t.Helper()
	if ok, retry := l.Allow(account, ip, now); !ok || retry != 0 {
		t.Fatalf("Allow(%q, %q) = %v, %v; want allowed", account, ip, ok, retry)
	}
}

func wantBlocked(t *testing.T, l *authn.Limiter, account, ip string, now time.Time, retryAfter time.Duration) {
	t.Helper()
	if ok, retry := l.Allow(account, ip, now); ok || retry != retryAfter {
		t.Fatalf("Allow(%q, %q) = %v, %v; want blocked for %v", account, ip, ok, retry, retryAfter)
	}
}

func TestLimiterLocksAccountAfterFailures(t *testing.T) {
	l := authn.NewLimiter(3, 100, 15*time.Minute)
	for i := range 3 {
		wantAllowed(t, l, "alice@example.com", "198.51.100.1", t0)
		l.Fail("alice@example.com", "198.51.100.1", t0.Add(time.Duration(i)*time.Minute))
	}
	now := t0.Add(3 * time.Minute)
	// Blocked until the first failure (t0) leaves the window.
	wantBlocked(t, l, "alice@example.com", "198.51.100.1", now, 12*time.Minute)
	// From any IP, and spelled differently.
	wantBlocked(t, l, " Alice@Example.COM", "203.0.113.9", now, 12*time.Minute)
	// Other accounts from the same IP are not affected by the account lock.
	wantAllowed(t, l, "bob@example.com", "198.51.100.1", now)
}

func TestLimiterLimitsIPAcrossAccounts(t *testing.T) {
	l := authn.NewLimiter(100, 4, 10*time.Minute)
	accounts := []string{"a@x.cn", "b@x.cn", "c@x.cn", "d@x.cn"}
	for i, acc := range accounts {
		wantAllowed(t, l, acc, "198.51.100.7", t0)
		l.Fail(acc, "198.51.100.7", t0.Add(time.Duration(i)*time.Second))
	}
	now := t0.Add(time.Minute)
	// A fresh account from the spraying IP is refused...
	wantBlocked(t, l, "e@x.cn", "198.51.100.7", now, 9*time.Minute)
	// ...while the same accounts from another IP are fine.
	wantAllowed(t, l, "a@x.cn", "198.51.100.8", now)
}

func TestLimiterWindowExpires(t *testing.T) {
	const window = 10 * time.Minute
	l := authn.NewLimiter(2, 100, window)
	l.Fail("alice", "ip1", t0)
	l.Fail("alice", "ip1", t0.Add(4*time.Minute))

	wantBlocked(t, l, "alice", "ip1", t0.Add(5*time.Minute), 5*time.Minute)
	wantBlocked(t, l, "alice", "ip1", t0.Add(window-time.Nanosecond), time.Nanosecond)
	// The first failure leaves the window: one failure counted, one attempt allowed.
	wantAllowed(t, l, "alice", "ip1", t0.Add(window))
	l.Fail("alice", "ip1", t0.Add(window))
	wantBlocked(t, l, "alice", "ip1", t0.Add(window), 4*time.Minute)
	// Long after everything: clean slate.
	later := t0.Add(time.Hour)
	wantAllowed(t, l, "alice", "ip1", later)
	l.Fail("alice", "ip1", later)
	wantAllowed(t, l, "alice", "ip1", later)
}

func TestLimiterKeepsCountingWhileBlocked(t *testing.T) {
	// Failures beyond the limit push the unlock time out: an attacker who
	// keeps hammering (if the caller records them) stays locked.
	l := authn.NewLimiter(2, 100, 10*time.Minute)
	l.Fail("alice", "ip1", t0)
	l.Fail("alice", "ip1", t0.Add(time.Minute))
	l.Fail("alice", "ip1", t0.Add(2*time.Minute))
	wantBlocked(t, l, "alice", "ip1", t0.Add(3*time.Minute), 8*time.Minute)
}

func TestLimiterSuccessResetsAccount(t *testing.T) {
	l := authn.NewLimiter(3, 5, 15*time.Minute)
	for range 2 {
		l.Fail("alice", "ip1", t0)
	}
	l.Succeed("ALICE", "ip1")
	// Account counter is back to zero: three more failures are needed to lock.
	for range 2 {
		l.Fail("alice", "ip1", t0)
	}
	wantAllowed(t, l, "alice", "ip1", t0)
	// The IP counter was not reset by the success: 4 failures so far, one more blocks it.
	l.Fail("mallory", "ip1", t0)
	wantBlocked(t, l, "carol", "ip1", t0, 15*time.Minute)
}

func TestLimiterDisabledDimensions(t *testing.T) {
	l := authn.NewLimiter(0, 0, time.Minute)
	for range 100 {
		l.Fail("alice", "ip1", t0)
	}
	wantAllowed(t, l, "alice", "ip1", t0)

	// An empty IP (unknown) is not one shared bucket.
	l = authn.NewLimiter(100, 1, time.Minute)
	l.Fail("alice", "", t0)
	wantAllowed(t, l, "bob", "", t0)
}
