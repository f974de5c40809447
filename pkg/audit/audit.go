// Package audit is a service's audit trail: who did what to which object,
// in which region, carrier and company, written in the transaction of the
// change it records (see bus.Unit). Every service keeps it in its own
// audit_log table of the same shape; a service whose table has no
// company_id column never sets CompanyID.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/events"
)

// Entry is one line of the audit trail.
type Entry struct {
	At                                                      time.Time // zero: when it is written
	Actor, Action, ObjectID, RegionID, CarrierID, CompanyID string
	Detail                                                  map[string]any
}

// Record is a stored entry with its id.
type Record struct {
	ID string
	Entry
}

// Row is the audit_log table, for a service's own queries of its trail.
type Row struct {
	bun.BaseModel `bun:"table:audit_log"`
	ID            string    `bun:"id,pk"`
	At            time.Time `bun:"at"`
	Actor         string    `bun:"actor"`
	Action        string    `bun:"action"`
	ObjectID      string    `bun:"object_id"`
	RegionID      string    `bun:"region_id"`
	CarrierID     string    `bun:"carrier_id"`
	CompanyID     string    `bun:"company_id"`
	Detail        string    `bun:"detail"`
}

// Record decodes the row.
func (r Row) Record() (Record, error) {
	out := Record{ID: r.ID, Entry: Entry{At: r.At, Actor: r.Actor, Action: r.Action, ObjectID: r.ObjectID,
		RegionID: r.RegionID, CarrierID: r.CarrierID, CompanyID: r.CompanyID}}
	if err := json.Unmarshal([]byte(r.Detail), &out.Detail); err != nil {
		return out, fmt.Errorf("decode audit %s: %w", r.ID, err)
	}
	return out, nil
}

// Write adds e to the trail in tx.
func Write(ctx context.Context, tx bun.IDB, e Entry) error {
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return err
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	q := tx.NewInsert().Model(&Row{ID: events.NewID(), At: e.At.UTC(), Actor: e.Actor, Action: e.Action, ObjectID: e.ObjectID,
		RegionID: e.RegionID, CarrierID: e.CarrierID, CompanyID: e.CompanyID, Detail: string(detail)})
	if e.CompanyID == "" {
		// Left to the column's default, so a table without it (parks')
		// takes the same insert.
		q = q.ExcludeColumn("company_id")
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	return nil
}
