package events_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
)

// A declined promotion keeps its wire shape: the promotion's fields
// flattened beside the reason, which the sending carrier and the company
// read.
func TestPromotionDeclinedWireShape(t *testing.T) {
	p := events.PromotionDeclinedV1{PromotionV1: events.PromotionV1{PromotionID: "01HP", ResidencyID: "01HS", CompanyID: "01HC", RegionID: "01HR",
		FromCarrierID: "01HM", FromKind: "maker_space", FromChainOrder: 1, ToCarrierID: "01HI", ToKind: "incubator", ToChainOrder: 2,
		Status: "declined", Shared: []string{"profile", "documents"}}, Reason: "场地已满"}
	env, err := events.New(events.Scope{RegionID: "01HR", CarrierID: "01HM"}, "01HU", "01HP", p)
	if err != nil {
		t.Fatal(err)
	}
	if env.Type != "incubatees.promotion.declined" || events.Service(env.Type) != "incubatees" || env.Version != 1 {
		t.Fatalf("type %s v%d", env.Type, env.Version)
	}
	var raw map[string]any
	if err := json.Unmarshal(env.Data, &raw); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"promotion_id": "01HP", "residency_id": "01HS", "company_id": "01HC", "region_id": "01HR",
		"from_carrier_id": "01HM", "from_kind": "maker_space", "from_chain_order": float64(1),
		"to_carrier_id": "01HI", "to_kind": "incubator", "to_chain_order": float64(2),
		"status": "declined", "shared": []any{"profile", "documents"}, "reason": "场地已满"}
	if !reflect.DeepEqual(raw, want) {
		t.Fatalf("wire shape %v, want %v", raw, want)
	}
	var back events.PromotionDeclinedV1
	if err := env.Decode(&back); err != nil || !reflect.DeepEqual(back, p) {
		t.Fatalf("round trip %+v (%v), want %+v", back, err, p)
	}
}
