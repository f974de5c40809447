package events_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/incuchain/incuchain/pkg/events"
)

func TestNewFillsEnvelope(t *testing.T) {
	before := time.Now()
	p := events.CarrierCreatedV1{CarrierV1: events.CarrierV1{
		CarrierID: "01HCARRIER", RegionID: "01HREGION", Kind: "park", ChainOrder: 2, NameZH: "一号园区", NameEN: "Park One",
		AreaM2: 1234.5, FocusIndustries: []string{"biotech", "ai"}, Capacity: 40, Status: "active",
	}}
	env, err := events.New(events.Scope{RegionID: "01HREGION", CarrierID: "01HCARRIER"}, "01HACTOR", "01HCARRIER", p)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	after := time.Now()

	id, err := ulid.ParseStrict(env.ID)
	if err != nil {
		t.Fatalf("ID %q is not a ULID: %v", env.ID, err)
	}
	idTime := ulid.Time(id.Time())
	if idTime.Before(before.Truncate(time.Millisecond)) || idTime.After(after) {
		t.Fatalf("ULID time %v outside [%v, %v]", idTime, before, after)
	}
	if env.Type != events.CarrierCreated || env.Version != 1 {
		t.Fatalf("type/version = %s/%d, want %s/1", env.Type, env.Version, events.CarrierCreated)
	}
	if env.OccurredAt.Location() != time.UTC {
		t.Fatalf("OccurredAt location = %v, want UTC", env.OccurredAt.Location())
	}
	if env.OccurredAt.Before(before) || env.OccurredAt.After(after) {
		t.Fatalf("OccurredAt %v outside [%v, %v]", env.OccurredAt, before, after)
	}
	if env.RegionID != "01HREGION" || env.CarrierID != "01HCARRIER" || env.Actor != "01HACTOR" || env.AggregateID != "01HCARRIER" {
		t.Fatalf("scope/actor/aggregate not copied: %+v", env)
	}
	// The embedded CarrierV1 is flattened on the wire.
	var raw map[string]any
	if err := json.Unmarshal(env.Data, &raw); err != nil {
		t.Fatalf("data is not JSON: %v", err)
	}
	if raw["carrier_id"] != "01HCARRIER" || raw["name_zh"] != "一号园区" {
		t.Fatalf("data = %s, want flattened carrier fields", env.Data)
	}

	var back events.CarrierCreatedV1
	if err := env.Decode(&back); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Fatalf("Decode = %+v, want %+v", back, p)
	}
}

func TestEnvelopeJSONRoundTrip(t *testing.T) {
	p := events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{UserID: "01HUSER", Role: "carrier_admin", Domain: "carrier:01HC"}}
	env, err := events.New(events.Scope{RegionID: "01HR"}, "01HACTOR", "01HUSER", p)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	wire, err := json.Marshal(env)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if strings.Contains(string(wire), `"carrier_id"`) {
		t.Fatalf("empty carrier_id should be omitted: %s", wire)
	}
	var got events.Envelope
	if err := json.Unmarshal(wire, &got); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if got.ID != env.ID || got.Type != env.Type || got.Version != env.Version || !got.OccurredAt.Equal(env.OccurredAt) ||
		got.RegionID != env.RegionID || got.AggregateID != env.AggregateID || got.Actor != env.Actor {
		t.Fatalf("round trip = %+v, want %+v", got, env)
	}
	var back events.RoleGrantedV1
	if err := got.Decode(&back); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if back != p {
		t.Fatalf("Decode = %+v, want %+v", back, p)
	}
}

func TestDecodeErrorNamesEvent(t *testing.T) {
	env := events.Envelope{Type: events.UserCreated, Version: 1, Data: json.RawMessage(`{"user_id": 42}`)}
	var u events.UserCreatedV1
	err := env.Decode(&u)
	if err == nil {
		t.Fatal("Decode of a number into a string field succeeded")
	}
	if !strings.Contains(err.Error(), "parks.user.created v1") {
		t.Fatalf("error %q does not name the event type and version", err)
	}
}

type badPayload struct{ C chan int }

func (badPayload) EventType() string { return "test.bad.payload" }
func (badPayload) EventVersion() int { return 1 }

func TestNewRejectsUnencodablePayload(t *testing.T) {
	_, err := events.New(events.Scope{}, "", "x", badPayload{C: make(chan int)})
	if err == nil || !strings.Contains(err.Error(), "test.bad.payload") {
		t.Fatalf("New error = %v, want an encode error naming the type", err)
	}
}

func TestSubjectAndService(t *testing.T) {
	env := events.Envelope{Type: events.CarrierUpdated}
	if got := env.Subject(); got != "incuchain.parks.carrier.updated" {
		t.Fatalf("Subject = %q", got)
	}
	tests := map[string]string{
		"parks.carrier.created":  "parks",
		"gateway.session.opened": "gateway",
		"nodots":                 "nodots",
		"":                       "",
	}
	for in, want := range tests {
		if got := events.Service(in); got != want {
			t.Errorf("Service(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every published payload type names a parks.* type, a version, and a
// distinct subject.
func TestParksPayloadTypes(t *testing.T) {
	payloads := []events.Payload{
		events.RegionCreatedV1{}, events.CarrierCreatedV1{}, events.CarrierUpdatedV1{}, events.UserCreatedV1{},
		events.InvitationCreatedV1{}, events.InvitationAcceptedV1{}, events.RoleGrantedV1{}, events.RoleRevokedV1{},
	}
	seen := map[string]bool{}
	for _, p := range payloads {
		typ := p.EventType()
		if events.Service(typ) != "parks" || strings.Count(typ, ".") != 2 {
			t.Errorf("%T type %q does not follow parks.<entity>.<verb>", p, typ)
		}
		if p.EventVersion() < 1 {
			t.Errorf("%T version %d < 1", p, p.EventVersion())
		}
		if seen[typ] {
			t.Errorf("type %q used twice", typ)
		}
		seen[typ] = true
		env, err := events.New(events.Scope{}, "a", "b", p)
		if err != nil {
			t.Fatalf("New(%T): %v", p, err)
		}
		back := reflect.New(reflect.TypeOf(p))
		if err := env.Decode(back.Interface()); err != nil {
			t.Fatalf("Decode(%T): %v", p, err)
		}
		if !reflect.DeepEqual(back.Elem().Interface(), p) {
			t.Errorf("%T round trip = %+v", p, back.Elem().Interface())
		}
	}
}

// The rollups service's snapshot event keeps its wire shape.
func TestSnapshotFrozenWireShape(t *testing.T) {
	p := events.SnapshotFrozenV1{SnapshotID: "01HS", RegionID: "01HR", Period: "2026-Q3", FrozenBy: "01HU", ETag: `"abc"`}
	env, err := events.New(events.Scope{RegionID: "01HR"}, "01HU", "01HS", p)
	if err != nil {
		t.Fatal(err)
	}
	if env.Type != "rollups.snapshot.frozen" || events.Service(env.Type) != "rollups" || env.Version != 1 {
		t.Fatalf("type %s v%d", env.Type, env.Version)
	}
	var raw map[string]any
	if err := json.Unmarshal(env.Data, &raw); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"snapshot_id": "01HS", "region_id": "01HR", "period": "2026-Q3", "frozen_by": "01HU", "etag": `"abc"`}
	if !reflect.DeepEqual(raw, want) {
		t.Fatalf("wire shape %v, want %v", raw, want)
	}
}

func TestNewIDUniqueAndSortable(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		id := events.NewID()
		if _, err := ulid.ParseStrict(id); err != nil {
			t.Fatalf("NewID() = %q: %v", id, err)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
	// ULIDs from later milliseconds sort after earlier ones.
	first := events.NewID()
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		next := events.NewID()
		if next[:10] != first[:10] {
			if next <= first {
				t.Fatalf("later id %s sorts before %s", next, first)
			}
			return
		}
	}
	t.Fatal("clock did not advance a millisecond within a second")
}
