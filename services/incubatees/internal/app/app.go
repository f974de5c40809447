// Package app holds what the incubatees use cases share: the rules that
// decide who may see and act on companies, residencies, intake calls,
// applications and reports, the payloads and audit lines of their events,
// and the store's interfaces. The use cases themselves are the command
// and query handlers of app/command and app/query.
package app

import (
	"sync/atomic"
	"time"

	"github.com/incuchain/incuchain/pkg/calendar"
)

// Actor is who calls a use case; UserID is empty for anonymous callers.
type Actor struct{ UserID string }

// Clock is the service's time, which tests of dated rules replace.
type Clock struct {
	now atomic.Pointer[func() time.Time]
}

// NewClock returns a clock reading the time in UTC.
func NewClock() *Clock {
	c := &Clock{}
	c.Set(func() time.Time { return time.Now().UTC() })
	return c
}

// Set replaces the clock's source of time.
func (c *Clock) Set(now func() time.Time) { c.now.Store(&now) }

// Now is the clock's time.
func (c *Clock) Now() time.Time { return (*c.now.Load())() }

// Today is the date in China by the clock (overstaying is judged on it).
func (c *Clock) Today() time.Time { return calendar.Today(c.Now()) }
