// Package events defines the one envelope every Incuchain event travels in,
// and the versioned payload types that services publish.
//
// Subjects follow incuchain.<service>.<entity>.<verb>; the envelope carries
// the region and carrier ids so that consumers can scope without decoding
// the payload.
package events

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// Header names set on every published NATS message.
const (
	HeaderMsgID   = "Nats-Msg-Id"
	HeaderType    = "Incuchain-Type"
	HeaderRegion  = "Incuchain-Region"
	HeaderCarrier = "Incuchain-Carrier"
	HeaderVersion = "Incuchain-Version"
	SubjectPrefix = "incuchain"
)

// Envelope is the wire form of every event.
type Envelope struct {
	ID          string          `json:"id"`
	Type        string          `json:"type"` // e.g. "parks.carrier.created"
	Version     int             `json:"version"`
	OccurredAt  time.Time       `json:"occurred_at"`
	RegionID    string          `json:"region_id,omitempty"`
	CarrierID   string          `json:"carrier_id,omitempty"`
	AggregateID string          `json:"aggregate_id"`
	Actor       string          `json:"actor,omitempty"`
	Data        json.RawMessage `json:"data"`
}

// Subject is the NATS subject the envelope is published on.
func (e Envelope) Subject() string { return SubjectPrefix + "." + e.Type }

// Decode unmarshals the payload into v.
func (e Envelope) Decode(v any) error {
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("decode %s v%d payload: %w", e.Type, e.Version, err)
	}
	return nil
}

// Scope names the tenant an event belongs to.
type Scope struct {
	RegionID  string
	CarrierID string
}

// Payload is implemented by every versioned payload type.
type Payload interface {
	EventType() string
	EventVersion() int
}

// New builds an envelope for payload p about aggregateID, stamped now.
func New(scope Scope, actor, aggregateID string, p Payload) (Envelope, error) {
	data, err := json.Marshal(p)
	if err != nil {
		return Envelope{}, fmt.Errorf("encode %s payload: %w", p.EventType(), err)
	}
	return Envelope{
		ID:          NewID(),
		Type:        p.EventType(),
		Version:     p.EventVersion(),
		OccurredAt:  time.Now().UTC(),
		RegionID:    scope.RegionID,
		CarrierID:   scope.CarrierID,
		AggregateID: aggregateID,
		Actor:       actor,
		Data:        data,
	}, nil
}

// NewID returns a new ULID string, the id format of events and entities.
func NewID() string {
	return ulid.MustNew(ulid.Timestamp(time.Now()), rand.Reader).String()
}

// Service returns the owning service of an event type ("parks" for
// "parks.carrier.created").
func Service(eventType string) string {
	s, _, _ := strings.Cut(eventType, ".")
	return s
}
