package authn

import "time"

// SetSessionClock lets tests move a Sessions' clock.
func SetSessionClock(s *Sessions, now func() time.Time) { s.now = now }
