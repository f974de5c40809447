package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Checklist is the required material types an owner (an application, a
// milestone) asks a company for. Its id is "<owner kind>:<owner id>". Its
// fields are private: it opens with NewChecklist, closes with Close once
// the owner is decided, and the database loads it with ChecklistFromDB.
type Checklist struct {
	id, ownerKind, ownerID string
	owned
	required  []string
	open      bool
	createdAt time.Time
}

// ChecklistRecord is a checklist as stored: what ChecklistFromDB loads
// and the adapter writes back (Record).
type ChecklistRecord struct {
	ID, OwnerKind, OwnerID         string
	RegionID, CarrierID, CompanyID string
	Required                       []string
	Open                           bool
	CreatedAt                      time.Time
}

// ChecklistFromDB rebuilds a checklist from stored values without validation.
func ChecklistFromDB(x ChecklistRecord) *Checklist {
	return &Checklist{id: x.ID, ownerKind: x.OwnerKind, ownerID: x.OwnerID, owned: owned{DocumentOwner{x.RegionID, x.CarrierID, x.CompanyID}},
		required: slices.Clone(x.Required), open: x.Open, createdAt: x.CreatedAt}
}

// Record is the checklist's stored values (the adapter writes them).
func (c *Checklist) Record() ChecklistRecord {
	return ChecklistRecord{ID: c.id, OwnerKind: c.ownerKind, OwnerID: c.ownerID, RegionID: c.RegionID(), CarrierID: c.CarrierID(), CompanyID: c.CompanyID(),
		Required: c.Required(), Open: c.open, CreatedAt: c.createdAt}
}

// ChecklistID builds a checklist's id.
func ChecklistID(kind, ownerID string) string { return kind + ":" + ownerID }

// NewChecklist opens the checklist of an owner: the company it asks, in
// its region and the carrier that reads it, and the types it requires in
// the owner's order (none is a checklist too: nothing to hand in).
func NewChecklist(ownerKind, ownerID string, owner DocumentOwner, required []string, createdAt time.Time) (*Checklist, error) {
	var missing []string
	for _, f := range [][2]string{{"owner kind", ownerKind}, {"owner id", ownerID}, {"region", owner.RegionID}, {"company", owner.CompanyID}} {
		if f[1] == "" {
			missing = append(missing, f[0])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("new checklist %s: no %s", ChecklistID(ownerKind, ownerID), strings.Join(missing, ", "))
	}
	if required == nil {
		required = []string{}
	}
	return &Checklist{id: ChecklistID(ownerKind, ownerID), ownerKind: ownerKind, ownerID: ownerID, owned: owned{owner},
		required: slices.Clone(required), open: true, createdAt: createdAt}, nil
}

// ID returns "<owner kind>:<owner id>".
func (c *Checklist) ID() string { return c.id }

// OwnerKind returns what asks for the materials (an application, …).
func (c *Checklist) OwnerKind() string { return c.ownerKind }

// OwnerID returns the id of what asks for the materials.
func (c *Checklist) OwnerID() string { return c.ownerID }

// Required returns the required types, in order.
func (c *Checklist) Required() []string { return slices.Clone(c.required) }

// Requires reports whether the checklist asks for type typ.
func (c *Checklist) Requires(typ string) bool { return slices.Contains(c.required, typ) }

// Open reports whether its materials may still change.
func (c *Checklist) Open() bool { return c.open }

// CreatedAt returns when the checklist was opened.
func (c *Checklist) CreatedAt() time.Time { return c.createdAt }

// TakesUploads refuses an upload into a closed checklist: the owner was
// decided, its materials are settled.
func (c *Checklist) TakesUploads() error {
	if !c.open {
		return apperr.ConflictErr("checklist-closed")
	}
	return nil
}

// Close settles the materials once the owner is decided. Closing a
// closed checklist changes nothing: the decision may arrive twice.
func (c *Checklist) Close() { c.open = false }

// FilledBy reports whether every required type has a document that fills
// it, given the checklist's documents by type.
func (c *Checklist) FilledBy(byType map[string]*Document) bool {
	for _, t := range c.required {
		if d := byType[t]; d == nil || !d.Fills() {
			return false
		}
	}
	return true
}
