package domain

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestApplicationMaterialsFollowDocuments(t *testing.T) {
	call := intakeTestCall(t)
	at := func(min int) time.Time { return intakeNow.Add(time.Duration(min) * time.Minute) }
	doc := func(id string, s MaterialStatus, version, min int) DocumentChange {
		return DocumentChange{Type: "business_plan", DocumentID: id, Status: s, Version: version, Filename: id + ".pdf", At: at(min)}
	}
	type step struct {
		change  DocumentChange
		ignored string // "" when applied
		want    MaterialSlot
	}
	empty := MaterialSlot{Type: "business_plan"}
	slot := func(id string, s MaterialStatus, version, min int) MaterialSlot {
		return MaterialSlot{Type: "business_plan", DocumentID: id, Status: s, Version: version, Filename: id + ".pdf", At: at(min)}
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"upload, verify, new version", []step{
			{doc("A", MaterialUploaded, 1, 1), "", slot("A", MaterialUploaded, 1, 1)},
			{doc("A", MaterialVerified, 1, 2), "", slot("A", MaterialVerified, 1, 2)},
			{doc("A", MaterialUploaded, 2, 3), "", slot("A", MaterialUploaded, 2, 3)},
		}},
		{"an older version after a newer one", []step{
			{doc("A", MaterialUploaded, 2, 3), "", slot("A", MaterialUploaded, 2, 3)},
			{doc("A", MaterialReturned, 1, 2), DocIgnoredOlderVersion, slot("A", MaterialUploaded, 2, 3)},
			{doc("A", MaterialUploaded, 1, 1), DocIgnoredOlderVersion, slot("A", MaterialUploaded, 2, 3)},
		}},
		{"the upload of a version after its review", []step{
			{doc("A", MaterialReturned, 1, 2), "", slot("A", MaterialReturned, 1, 2)},
			{doc("A", MaterialUploaded, 1, 1), DocIgnoredOlderVersion, slot("A", MaterialReturned, 1, 2)},
		}},
		{"two reviews of one version: the later holds", []step{
			{doc("A", MaterialReturned, 1, 3), "", slot("A", MaterialReturned, 1, 3)},
			{doc("A", MaterialVerified, 1, 2), DocIgnoredStale, slot("A", MaterialReturned, 1, 3)},
		}},
		{"deletion empties; late events of the deleted document stay out", []step{
			{doc("A", MaterialUploaded, 1, 1), "", slot("A", MaterialUploaded, 1, 1)},
			{doc("A", MaterialDeleted, 1, 5), "", MaterialSlot{Type: "business_plan", At: at(5)}},
			{doc("A", MaterialVerified, 1, 2), DocIgnoredStale, MaterialSlot{Type: "business_plan", At: at(5)}},
			{doc("B", MaterialUploaded, 1, 6), "", slot("B", MaterialUploaded, 1, 6)},
		}},
		{"a late deletion of the replaced document", []step{
			{doc("B", MaterialUploaded, 1, 6), "", slot("B", MaterialUploaded, 1, 6)},
			{doc("A", MaterialUploaded, 3, 1), DocIgnoredStale, slot("B", MaterialUploaded, 1, 6)},
			{doc("A", MaterialDeleted, 3, 5), DocIgnoredOtherDeleted, slot("B", MaterialUploaded, 1, 6)},
		}},
		{"unknown type or status", []step{
			{DocumentChange{Type: "rd_ledger", DocumentID: "X", Status: MaterialUploaded, Version: 1, At: at(1)}, DocIgnoredNoSlot, empty},
			{doc("A", "archived", 1, 1), DocIgnoredBadStatus, empty},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewApplication("a1", call, "co1", "u1", map[string]json.RawMessage{}, intakeNow)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range c.steps {
				if got := a.ApplyDocument(s.change, intakeNow); got != s.ignored {
					t.Fatalf("step %d: ignored %q, want %q", i, got, s.ignored)
				}
				if a.Materials[1] != s.want || a.Materials[0] != (MaterialSlot{Type: "business_licence"}) {
					t.Fatalf("step %d: slots %+v, want business_plan %+v", i, a.Materials, s.want)
				}
			}
		})
	}
}

func TestApplicationSubmitNeedsMaterials(t *testing.T) {
	call := intakeTestCall(t)
	answers := map[string]json.RawMessage{
		"pitch": json.RawMessage(`"x"`), "revenue": json.RawMessage(`{"amount":5,"unit":"thousand_yuan"}`), "stage": json.RawMessage(`"idea"`),
	}
	up := func(a *Application, typ string, s MaterialStatus) {
		t.Helper()
		if why := a.ApplyDocument(DocumentChange{Type: typ, DocumentID: "d-" + typ, Status: s, Version: 1, At: time.Now()}, intakeNow); why != "" {
			t.Fatalf("%s %s ignored: %s", typ, s, why)
		}
	}
	for _, c := range []struct {
		name    string
		licence MaterialStatus // "" leaves the slot empty
		plan    MaterialStatus
		want    []string
	}{
		{"nothing uploaded", "", "", []string{"materials.business_licence=material_missing", "materials.business_plan=material_missing"}},
		{"one returned", MaterialVerified, MaterialReturned, []string{"materials.business_plan=material_returned"}},
		{"one deleted", MaterialDeleted, MaterialUploaded, []string{"materials.business_licence=material_missing"}},
		{"uploaded and verified", MaterialUploaded, MaterialVerified, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewApplication("a1", call, "co1", "u1", answers, intakeNow)
			if err != nil {
				t.Fatal(err)
			}
			if c.licence == MaterialDeleted {
				up(a, "business_licence", MaterialUploaded)
			}
			if c.licence != "" {
				up(a, "business_licence", c.licence)
			}
			if c.plan != "" {
				up(a, "business_plan", c.plan)
			}
			got := intakeFieldCodes(t, a.Submit(call, intakeNow))
			if !slices.Equal(got, c.want) {
				t.Fatalf("submit: %v, want %v", got, c.want)
			}
			if (a.Status == AppSubmitted) != (c.want == nil) {
				t.Fatalf("status %s", a.Status)
			}
		})
	}

	// A call without materials submits on its answers alone.
	bare := *call
	bare.Fields.Materials = []string{}
	a, err := NewApplication("a2", &bare, "co1", "u1", answers, intakeNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Submit(&bare, intakeNow); err != nil {
		t.Fatalf("submit without materials: %v", err)
	}
}
