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
	HeaderSource  = "Incuchain-Source"
	SubjectPrefix = "incuchain"
)

// Envelope is the wire form of every event.
type Envelope struct {
	ID      string `json:"id"`
	Type    string `json:"type"` // e.g. "parks.carrier.created"
	Version int    `json:"version"`
	// Source is the service that published the event; the outbox sets it
	// from the type's service and the relay publishes it only on that
	// service's own connection. Consumers refuse an event whose subject,
	// source and type name different services (see CheckOrigin).
	Source      string          `json:"source,omitempty"`
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

// CheckOrigin reports why an event delivered on subject (without any
// namespace, e.g. "incuchain.parks.member.role_granted") must not be
// trusted: the subject must be the one of its type, and the envelope's
// source, when present, must be the service named by both. The subject is
// what NATS permissions guard (each service may publish only
// incuchain.<its service>.>), so an event that claims another service in
// its type or source is a forgery or a bug and is never applied. Events
// published before sources existed carry none; they are accepted on the
// subject check alone, which is the guarded part.
func CheckOrigin(subject string, ev Envelope) error {
	svc := Service(ev.Type)
	if svc == "" || ev.Type == "" {
		return fmt.Errorf("event %s: no type", ev.ID)
	}
	if subject != ev.Subject() {
		return fmt.Errorf("event %s of type %s arrived on subject %s: the subject's service %q is not the type's %q",
			ev.ID, ev.Type, subject, subjectService(subject), svc)
	}
	if ev.Source != "" && ev.Source != svc {
		return fmt.Errorf("event %s of type %s on %s claims source %q", ev.ID, ev.Type, subject, ev.Source)
	}
	return nil
}

func subjectService(subject string) string {
	rest, ok := strings.CutPrefix(subject, SubjectPrefix+".")
	if !ok {
		return ""
	}
	return Service(rest)
}

// Service returns the owning service of an event type ("parks" for
// "parks.carrier.created").
func Service(eventType string) string {
	s, _, _ := strings.Cut(eventType, ".")
	return s
}
