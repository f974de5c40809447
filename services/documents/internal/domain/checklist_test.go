package domain

import (
	"reflect"
	"strings"
	"testing"
)

func TestNewChecklist(t *testing.T) {
	owner := DocumentOwner{RegionID: "r", CarrierID: "c", CompanyID: "co"}
	req := []string{TypeBusinessLicence, TypeBusinessPlan}
	c, err := NewChecklist("application", "a1", owner, req, docT0)
	if err != nil {
		t.Fatal(err)
	}
	want := ChecklistRecord{ID: "application:a1", OwnerKind: "application", OwnerID: "a1", RegionID: "r", CarrierID: "c", CompanyID: "co",
		Required: req, Open: true, CreatedAt: docT0}
	if got := c.Record(); !reflect.DeepEqual(got, want) {
		t.Fatalf("new checklist %+v, want %+v", got, want)
	}
	req[0] = TypeOther
	c.Required()[1] = TypeOther
	if !c.Requires(TypeBusinessLicence) || !c.Requires(TypeBusinessPlan) || c.Requires(TypeOther) {
		t.Fatalf("the caller's slices changed the checklist: %v", c.Required())
	}
	if got := ChecklistFromDB(c.Record()).Record(); !reflect.DeepEqual(got, c.Record()) {
		t.Fatalf("round trip %+v", got)
	}
	if c, err := NewChecklist("application", "a2", owner, nil, docT0); err != nil || c.Required() == nil || len(c.Required()) != 0 {
		t.Fatalf("a checklist that asks for nothing: %v %v", c, err)
	}
	for name, x := range map[string]struct {
		kind, id string
		owner    DocumentOwner
		want     string
	}{
		"no owner kind": {"", "a", owner, "no owner kind"},
		"no owner id":   {"application", "", owner, "no owner id"},
		"no region":     {"application", "a", DocumentOwner{CompanyID: "co"}, "no region"},
		"no company":    {"application", "a", DocumentOwner{RegionID: "r"}, "no company"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := NewChecklist(x.kind, x.id, x.owner, req, docT0)
			if err == nil || c != nil || !strings.Contains(err.Error(), x.want) {
				t.Fatalf("got %v, %v; want an error saying %q", c, err, x.want)
			}
		})
	}
}

// An open checklist takes uploads until it closes; closing again changes
// nothing, because the decision may be delivered twice.
func TestChecklistTransitions(t *testing.T) {
	for _, c := range []struct {
		name   string
		open   bool
		closes int
		slug   string // of TakesUploads afterwards
	}{
		{"open", true, 0, ""},
		{"open, closed", true, 1, "checklist-closed"},
		{"open, closed twice", true, 2, "checklist-closed"},
		{"stored closed", false, 0, "checklist-closed"},
		{"stored closed, closed again", false, 1, "checklist-closed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := ChecklistFromDB(ChecklistRecord{ID: "application:a", OwnerKind: "application", OwnerID: "a", RegionID: "r", CompanyID: "co",
				Required: []string{TypeOther}, Open: c.open, CreatedAt: docT0})
			for i := 0; i < c.closes; i++ {
				cl.Close()
			}
			if got := slugOf(cl.TakesUploads()); got != c.slug || cl.Open() != (c.slug == "") || cl.Record().Open != cl.Open() {
				t.Fatalf("takes uploads: %q, open %v; want %q", got, cl.Open(), c.slug)
			}
		})
	}
}

func TestChecklistFilledBy(t *testing.T) {
	cl := ChecklistFromDB(ChecklistRecord{ID: "application:a", Required: []string{TypeBusinessLicence, TypeBusinessPlan}, Open: true})
	in := func(s Status) *Document { return storedDocument(s) }
	for _, c := range []struct {
		name   string
		byType map[string]*Document
		want   bool
	}{
		{"nothing handed in", map[string]*Document{}, false},
		{"one slot empty", map[string]*Document{TypeBusinessLicence: in(StatusVerified)}, false},
		{"uploaded and verified", map[string]*Document{TypeBusinessLicence: in(StatusVerified), TypeBusinessPlan: in(StatusUploaded)}, true},
		{"one returned", map[string]*Document{TypeBusinessLicence: in(StatusReturned), TypeBusinessPlan: in(StatusUploaded)}, false},
		{"one deleted", map[string]*Document{TypeBusinessLicence: in(StatusDeleted), TypeBusinessPlan: in(StatusUploaded)}, false},
		{"extra types do not count", map[string]*Document{TypeOther: in(StatusVerified), TypeBusinessLicence: in(StatusVerified)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := cl.FilledBy(c.byType); got != c.want {
				t.Fatalf("filled %v, want %v", got, c.want)
			}
		})
	}
	if empty := ChecklistFromDB(ChecklistRecord{ID: "application:b", Required: []string{}}); !empty.FilledBy(nil) {
		t.Error("a checklist that asks for nothing is not filled")
	}
}
