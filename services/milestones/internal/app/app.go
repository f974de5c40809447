// Package app holds what the milestones use cases share: who calls them,
// the store they run in (one transaction per use case, with the outbox
// and the audit trail), the read models kept from other services' events,
// the rules of who may see and change what, and the event payloads. The
// use cases themselves are in app/command (they change state) and
// app/query (they only read).
package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/audit"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// Actor is who calls a use case; UserID is empty for anonymous callers.
type Actor struct{ UserID string }

// System is the actor of what the service does by itself (the deadline scan).
var System = Actor{UserID: "system"}

// Store is the service's unit of work: one transaction per use case.
type Store interface {
	Read(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	Write(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
}

// AuditEntry is one line of the audit trail.
type AuditEntry = audit.Entry

// Carrier, Company and Region are the copies of parks' and incubatees'
// data this service keeps.
type (
	Carrier struct{ ID, RegionID, Kind, NameZH, NameEN string }
	Company struct{ ID, RegionID, NameZH, NameEN string }
)

// Tx is what use cases can do inside a transaction.
type Tx interface {
	ReadModels
	Plans
	Templates
	Reads
	Publish(ctx context.Context, evs ...events.Envelope) error
	Audit(ctx context.Context, e AuditEntry) error
	// MarkReminder records that a reminder of kind for milestone id due
	// on due is sent; false when it was already.
	MarkReminder(ctx context.Context, id, kind string, due time.Time, at time.Time) (bool, error)
}

// ReadModels keep the copies of other services' data.
type ReadModels interface {
	UpsertRegion(ctx context.Context, id, code string) error
	RegionExists(ctx context.Context, id string) (bool, error)
	UpsertCarrier(ctx context.Context, c Carrier) error
	GetCarrier(ctx context.Context, id string) (Carrier, error)
	RegionCarriers(ctx context.Context, regionID string) ([]Carrier, error)
	UpsertCompany(ctx context.Context, c Company) error
	GetCompany(ctx context.Context, id string) (Company, error)
	UpsertDocument(ctx context.Context, d domain.EvidenceDoc, filename string) error
	UpsertUser(ctx context.Context, u User) error
	// UserNames maps each known id of ids to its user's name (display
	// name, else email); unknown users are absent.
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
	Documents(ctx context.Context, ids []string) (map[string]domain.EvidenceDoc, error)
}

// Plans store residencies' plans with their milestones.
type Plans interface {
	// GetPlan loads a plan and its milestones (404 residency-not-found).
	GetPlan(ctx context.Context, residencyID string) (*domain.Plan, error)
	// LockPlan holds the plan's row until the transaction ends, so a
	// command and a residency event never save over each other (SQLite's
	// write transactions are serial already); a missing plan locks nothing.
	LockPlan(ctx context.Context, residencyID string) error
	// PlanOfMilestone is the residency id of a milestone (404 milestone-not-found).
	PlanOfMilestone(ctx context.Context, milestoneID string) (string, error)
	// SavePlan writes the plan and every milestone change it holds:
	// changed and new milestones, their history lines and updates, and
	// removed milestones.
	SavePlan(ctx context.Context, p *domain.Plan) error
}

// Templates store templates.
type Templates interface {
	// Template is the template of kind of a region (carrierID empty) or a
	// carrier's own; 404 template-not-found when there is none.
	Template(ctx context.Context, regionID, carrierID, kind string) (*domain.Template, error)
	RegionTemplates(ctx context.Context, regionID string) ([]*domain.Template, error)
	PutTemplate(ctx context.Context, t *domain.Template) error
}

// User is a parks user as the read model keeps it.
type User struct {
	ID          string
	DisplayName string
	Email       string
}

// Name is what the console shows for u: the display name, else the email.
func (u User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Email
}

// MilestoneFilter narrows a list of milestones.
type MilestoneFilter struct {
	ResidencyID string
	CarrierID   string
	CarrierIn   []string // with OnlyCarriers: only these carriers (none: no rows)
	CompanyID   string
	State       domain.State
	Category    string
	OverdueOn   time.Time // set: only milestones overdue on that day, in open plans
	OpenPlans   bool
	// OnlyCarriers narrows the list to CarrierIn.
	OnlyCarriers bool
}

// MilestoneView is a milestone with its plan's carrier and company names.
type MilestoneView struct {
	*domain.Milestone
	CarrierKind   string
	CarrierNameZH string
	CarrierNameEN string
	ChainOrder    int
	CompanyNameZH string
	PlanStatus    string
	Outcome       string
}

// CarrierCounts are a carrier's milestones by state, and how many are overdue.
type CarrierCounts struct {
	Carrier
	ByState map[domain.State]int
	Overdue int
	Total   int
}

// Due is a milestone a reminder may be due for, with its plan's facts.
type Due struct {
	*domain.Milestone
	CarrierKind string
}

// Reads are the queries of lists and detail.
type Reads interface {
	ListMilestones(ctx context.Context, f MilestoneFilter, p list.Params) ([]MilestoneView, int, error)
	Updates(ctx context.Context, milestoneID string) ([]domain.Update, error)
	History(ctx context.Context, milestoneID string) ([]domain.Change, error)
	CompanyCarriers(ctx context.Context, companyID string) ([]string, error)
	CountByCarrier(ctx context.Context, regionID string, today time.Time) ([]CarrierCounts, error)
	// DueBy lists open plans' milestones not final and due on or before
	// until, with no reminder of the kind that their due date calls for
	// on today, oldest due first, at most limit.
	DueBy(ctx context.Context, today, until time.Time, limit int) ([]Due, error)
}

// Clock is the time now; tests set their own.
type Clock func() time.Time

// UTCNow is the real clock.
func UTCNow() time.Time { return time.Now().UTC() }
