package authn

import (
	"strings"
	"sync"
	"time"
)

// Limiter throttles login attempts with a sliding window of failures, per
// account and per client IP. The account limit stops guessing one user's
// password; the IP limit stops one client spraying many accounts. It is in
// memory: each gateway replica counts on its own, which bounds an attacker
// to replicas × limit attempts per window.
//
// Time is passed in by the caller, so tests drive it with a fake clock.
type Limiter struct {
	perAccount int
	perIP      int
	window     time.Duration

	mu        sync.Mutex
	accounts  map[string][]time.Time // recent failures, oldest first
	ips       map[string][]time.Time
	lastSweep time.Time
}

// NewLimiter allows perAccount failed logins per account and perIP per
// client IP within any window; a limit <= 0 disables that dimension.
func NewLimiter(perAccount, perIP int, window time.Duration) *Limiter {
	return &Limiter{
		perAccount: perAccount,
		perIP:      perIP,
		window:     window,
		accounts:   map[string][]time.Time{},
		ips:        map[string][]time.Time{},
	}
}

// Allow reports whether a login for account from ip may be attempted now;
// when not, retryAfter says how long until the oldest counted failure
// leaves the window. Check before verifying the password, so a locked
// account costs no hashing.
func (l *Limiter) Allow(account, ip string, now time.Time) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	account = normalizeAccount(account)
	wait := l.blockedFor(l.accounts, account, l.perAccount, now)
	if w := l.blockedFor(l.ips, ip, l.perIP, now); w > wait {
		wait = w
	}
	return wait == 0, wait
}

// Fail counts a failed attempt against both the account and the IP.
func (l *Limiter) Fail(account, ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.record(l.accounts, normalizeAccount(account), l.perAccount, now)
	l.record(l.ips, ip, l.perIP, now)
}

// Succeed clears the account's failures after a correct password. The IP's
// count stays: a client that owns one account must not use it to reset its
// budget for guessing others.
func (l *Limiter) Succeed(account, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts, normalizeAccount(account))
}

// blockedFor returns how long key stays blocked, 0 when it is not.
func (l *Limiter) blockedFor(m map[string][]time.Time, key string, limit int, now time.Time) time.Duration {
	if limit <= 0 || key == "" {
		return 0
	}
	fails := l.prune(m, key, now)
	if len(fails) < limit {
		return 0
	}
	// Only the last limit failures are kept, so the oldest kept one is the
	// one whose expiry brings the count below the limit.
	return fails[len(fails)-limit].Add(l.window).Sub(now)
}

func (l *Limiter) record(m map[string][]time.Time, key string, limit int, now time.Time) {
	if limit <= 0 || key == "" {
		return
	}
	fails := append(l.prune(m, key, now), now)
	if len(fails) > limit {
		// Older failures can never matter again: keep memory per key bounded.
		fails = append(fails[:0], fails[len(fails)-limit:]...)
	}
	m[key] = fails
}

// prune drops failures that left the window and returns the rest.
func (l *Limiter) prune(m map[string][]time.Time, key string, now time.Time) []time.Time {
	fails := m[key]
	i := 0
	for i < len(fails) && !now.Before(fails[i].Add(l.window)) {
		i++
	}
	if i == len(fails) {
		delete(m, key)
		return nil
	}
	if i > 0 {
		fails = append(fails[:0], fails[i:]...)
		m[key] = fails
	}
	return fails
}

// sweep forgets keys whose failures all left the window, once per window,
// so that attempts against many accounts or from many IPs do not pile up.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < l.window {
		return
	}
	l.lastSweep = now
	for _, m := range []map[string][]time.Time{l.accounts, l.ips} {
		for k := range m {
			l.prune(m, k, now)
		}
	}
}

// normalizeAccount makes "Alice@Example.com " and "alice@example.com" one
// account, as login treats them.
func normalizeAccount(account string) string {
	return strings.ToLower(strings.TrimSpace(account))
}
