package authn

import "time"

// SetSessionClock lets tests move a Sessions' clock.
func SetSessionClock(s *Sessions, now func() time.Time) { s.now = now }

// CachedSessions is how many sessions the Lookup cache of s holds.
func CachedSessions(s *Sessions) int { return s.cache.len() }
