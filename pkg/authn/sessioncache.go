package authn

import (
	"sync"
	"time"
)

// sessionCache keeps sessions found by Lookup for a short while, so that
// a busy console does not read the sessions table on every request. It
// is bounded, and forgets a session as soon as this process revokes it;
// a revocation by another gateway replica is seen within ttl.
type sessionCache struct {
	ttl time.Duration
	max int

	mu      sync.Mutex
	entries map[string]cachedSession // by token hash
	// gen counts revocations: a Lookup that read the database before a
	// revocation must not cache what it read, or the revoked session
	// would be served again until ttl.
	gen uint64
}

type cachedSession struct {
	sess Session
	at   time.Time // when it was read from the database
}

func (c *sessionCache) get(hash string, now time.Time) (Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok {
		return Session{}, false
	}
	if now.Sub(e.at) >= c.ttl || now.Before(e.at) {
		delete(c.entries, hash)
		return Session{}, false
	}
	return e.sess, true
}

// generation is the revocation count before a database read whose
// result may be put.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps sess unless a revocation happened since generation gen.
func (c *sessionCache) put(hash string, sess Session, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.entries[hash]; !ok && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[hash] = cachedSession{sess: sess, at: now}
}

// evict drops the stale entries or, when none is stale, the oldest one, so
// the cache never holds more than max sessions.
func (c *sessionCache) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for h, e := range c.entries {
		if now.Sub(e.at) >= c.ttl {
			delete(c.entries, h)
			continue
		}
		if oldest == "" || e.at.Before(oldestAt) {
			oldest, oldestAt = h, e.at
		}
	}
	if len(c.entries) >= c.max && oldest != "" {
		delete(c.entries, oldest)
	}
}

func (c *sessionCache) forget(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.entries, hash)
}

func (c *sessionCache) forgetUser(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, e := range c.entries {
		if e.sess.UserID == userID {
			delete(c.entries, h)
		}
	}
}

func (c *sessionCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Cached makes Lookup answer from memory for up to ttl after it last read
// a session from the database, keeping at most max sessions. Revoke and
// RevokeAllForUser forget what they end at once; expiry is checked on
// every Lookup. With several gateway replicas, a logout on one is honoured
// by the others within ttl, so keep ttl to seconds. It returns s.
func (s *Sessions) Cached(ttl time.Duration, max int) *Sessions {
	if ttl > 0 && max > 0 {
		s.cache = &sessionCache{ttl: ttl, max: max, entries: map[string]cachedSession{}}
	}
	return s
}
