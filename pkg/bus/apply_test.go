package bus

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
)

// A payload that decodes reaches the handler, whose own error and result
// come back as they are; one that does not is permanent and never reaches
// it.
func TestApplyDecodesOrFailsForGood(t *testing.T) {
	good := events.Envelope{Type: events.RegionCreated, Data: json.RawMessage(`{"region_id":"r1","code":"lixia"}`)}
	var got events.RegionCreatedV1
	if err := Apply(good, func(p events.RegionCreatedV1) error { got = p; return nil }); err != nil || got.RegionID != "r1" || got.Code != "lixia" {
		t.Fatalf("Apply = %v, handed %+v", err, got)
	}
	boom := errors.New("database down")
	if err := Apply(good, func(events.RegionCreatedV1) error { return boom }); err != boom {
		t.Errorf("the handler's own error: %v", err)
	}
	if n, err := Decoded(good, func(p events.RegionCreatedV1) (int, error) { return len(p.Code), nil }); err != nil || n != 5 {
		t.Errorf("Decoded = %d, %v", n, err)
	}

	bad := events.Envelope{Type: events.RegionCreated, Data: json.RawMessage(`{"region_id":`)}
	called := false
	err := Apply(bad, func(events.RegionCreatedV1) error { called = true; return nil })
	var perm *permanentError
	if called || !errors.As(err, &perm) {
		t.Errorf("undecodable payload: handler called %v, error %v (want permanent)", called, err)
	}
	if n, err := Decoded(bad, func(events.RegionCreatedV1) (int, error) { return 1, nil }); n != 0 || !errors.As(err, &perm) {
		t.Errorf("Decoded on an undecodable payload = %d, %v", n, err)
	}
}
