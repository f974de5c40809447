package bus

import (
	"time"

	"github.com/incuchain/incuchain/pkg/events"
)

// WithTestHooks sets a short ack wait and a hook run after the commit and
// before the ack; returning false skips the ack, as if the process died
// right after its commit.
func WithTestHooks(spec ConsumerSpec, ackWait time.Duration, afterCommit func(ev events.Envelope, delivered uint64) (ack bool)) ConsumerSpec {
	spec.ackWait = ackWait
	spec.afterCommit = afterCommit
	return spec
}

// Duplicates is how many of r's publishes JetStream reported as already
// stored.
func (r *Relay) Duplicates() int64 { return r.duplicates.Load() }
