// Package app holds the rollups service's use cases: command (the
// projections that keep the read models from events) and query (the
// figures and the rows behind them), and the types they share.
package app

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/incuchain/incuchain/pkg/events"

	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// Actor is who asks.
type Actor struct{ UserID string }

// Faults are deliberate mistakes a projection can be told to make, so a
// test can show that the recount catches each; production never sets them.
type Faults struct {
	// SumEveryRevision counts every revision of a report, accepted or
	// not, instead of the latest accepted one.
	SumEveryRevision bool
	// AddOnRedelivery applies an event again when it is delivered again,
	// adding a revision's figures to what is there instead of replacing
	// them (a projection without dedup).
	AddOnRedelivery bool
}

// RebuildProgress is how far a rebuild has come in one source stream:
// events applied of those the stream held when it began.
type RebuildProgress struct {
	Stream  string `json:"stream"`
	Applied int    `json:"applied"`
	Total   int    `json:"total"`
}

// Stamped is a read-model row written from an event: Stamp orders it
// against the others of its aggregate (domain.Stamp).
type Stamped struct{ Stamp string }

// RegionRecord is a region as parks announced it.
type RegionRecord struct {
	Stamped
	ID, Code, NameZH string
}

// CarrierRecord is a carrier's state.
type CarrierRecord struct {
	Stamped
	ID, RegionID, Kind, NameZH, NameEN, Status string
	ChainOrder, Capacity                       int
	AreaM2                                     float64
}

// CompanyRecord is a company's state.
type CompanyRecord struct {
	Stamped
	ID, RegionID, USCC, NameZH, NameEN, IndustryCode string
}

// ResidencyRecord is a residency's state.
type ResidencyRecord struct {
	Stamped
	ID, CompanyID, RegionID, CarrierID, CarrierKind, Status string
	ChainOrder                                              int
	AdmittedOn, MovedInOn, EndedOn, TermEndOn               string
	AreaM2                                                  float64
	PromotedToCarrierID                                     string
	// RulePackVersion is the region's rule pack the residency was moved
	// in under (0 before): its reporting cadence.
	RulePackVersion int
}

// RulePackRecord is what the rollups keep of a region's rule pack: the
// reporting cadence it asks for and how many days after a period ends
// its report is due.
type RulePackRecord struct {
	Stamped
	RegionID  string
	Version   int
	Cadence   string
	GraceDays int
}

// MilestoneRecord is a milestone's state.
type MilestoneRecord struct {
	Stamped
	ID, RegionID, CarrierID, CompanyID, ResidencyID, TitleZH, Category, State, DueOn string
}

// LadderRecord is one ladder step's state.
type LadderRecord struct {
	Stamped
	EntryID, CompanyID, RegionID, Step, Status, StepOn, ExpiryOn, CertificateNo string
}

// ReportFigures is one submitted revision of a report, money in 元.
type ReportFigures struct {
	Stamped
	ReportID, CompanyID, RegionID, Period, Cadence string
	Revision                                       int
	CarrierIDs                                     []string
	Metrics                                        Metrics
}

// ReportReview is an operator's verdict on one revision.
type ReportReview struct {
	Stamped
	ReportID, CompanyID, RegionID, Period, Status string
	Revision                                      int
}

// DocumentRecord is a document's state.
type DocumentRecord struct {
	Stamped
	ID, RegionID, CarrierID, CompanyID, Type, Status string
	Version                                          int
}

// Metrics are a report's figures the rollups keep: money in 元, the rest
// counts.
type Metrics struct {
	RDExpenditure   int64 `json:"rd_expenditure" bun:"rd_expenditure"`
	Revenue         int64 `json:"revenue" bun:"revenue"`
	TaxesPaid       int64 `json:"taxes_paid" bun:"taxes_paid"`
	EmployeesTotal  int64 `json:"employees_total" bun:"employees_total"`
	IPFiled         int64 `json:"ip_filed" bun:"ip_filed"`
	IPGranted       int64 `json:"ip_granted" bun:"ip_granted"`
	FinancingAmount int64 `json:"financing_amount" bun:"financing_amount"`
}

// Add returns m + o.
func (m Metrics) Add(o Metrics) Metrics {
	return Metrics{m.RDExpenditure + o.RDExpenditure, m.Revenue + o.Revenue, m.TaxesPaid + o.TaxesPaid,
		m.EmployeesTotal + o.EmployeesTotal, m.IPFiled + o.IPFiled, m.IPGranted + o.IPGranted, m.FinancingAmount + o.FinancingAmount}
}

// MetricsFrom picks the kept figures from a report's metric map.
func MetricsFrom(m map[string]int64) Metrics {
	return Metrics{RDExpenditure: m["rd_expenditure"], Revenue: m["revenue"], TaxesPaid: m["taxes_paid"], EmployeesTotal: m["employees_total"],
		IPFiled: m["ip_filed"], IPGranted: m["ip_granted"], FinancingAmount: m["financing_amount"]}
}

// Projections are the writes of the read models. Every Put keeps the row
// whose stamp is the latest: an older event arriving late changes nothing.
type Projections interface {
	// FirstTime records that event id is applied; false when it was
	// already (a redelivery or a replay).
	FirstTime(ctx context.Context, eventID, eventType string) (bool, error)
	PutRegion(ctx context.Context, r RegionRecord) error
	PutCarrier(ctx context.Context, c CarrierRecord) error
	PutCompany(ctx context.Context, c CompanyRecord) error
	LinkUSCC(ctx context.Context, companyID, uscc, stamp string) error
	PutResidency(ctx context.Context, r ResidencyRecord) error
	PutLadderStep(ctx context.Context, l LadderRecord) error
	PutReportFigures(ctx context.Context, r ReportFigures, add bool) error
	PutReportReview(ctx context.Context, r ReportReview) error
	PutDocument(ctx context.Context, d DocumentRecord) error
	PutRulePack(ctx context.Context, p RulePackRecord) error
	PutMilestone(ctx context.Context, m MilestoneRecord) error
	// Reset empties every read model and the applied events, before a
	// rebuild replays the streams.
	Reset(ctx context.Context) error
}

// Tx is one transaction of the rollups store: its projections, its reads,
// its snapshots and the outbox of its own events.
type Tx interface {
	Projections
	Reader
	Snapshots
	Publish(ctx context.Context, evs ...events.Envelope) error
}

// SnapshotRecord is a region's figures of a period, frozen as filed.
type SnapshotRecord struct {
	ID       string `json:"id" bun:"id"`
	RegionID string `json:"region_id" bun:"region_id"`
	Period   string `json:"period" bun:"period"`
	// Figures is the frozen answer of every figure, as JSON.
	Figures  json.RawMessage `json:"-" bun:"-"`
	ETag     string          `json:"etag" bun:"etag"`
	FrozenBy string          `json:"frozen_by" bun:"frozen_by"`
	FrozenAt string          `json:"frozen_at" bun:"frozen_at"`
}

// Snapshots keeps frozen figures; a period is frozen once per region.
type Snapshots interface {
	// AddSnapshot stores s; a period already frozen is a conflict
	// (snapshot-exists).
	AddSnapshot(ctx context.Context, s SnapshotRecord) error
	Snapshot(ctx context.Context, regionID, period string) (SnapshotRecord, bool, error)
	ListSnapshots(ctx context.Context, regionID string) ([]SnapshotRecord, error)
}

// Store runs a function in a transaction of the rollups store.
type Store interface {
	Read(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	Write(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
}

// Scope is the part of a region a caller may see row by row: every
// carrier (All), or only Carriers (park staff), whose figures and the
// region's totals they see.
type Scope struct {
	All      bool
	Carriers []string
}

// Sees reports whether rows of carrier may be shown.
func (s Scope) Sees(carrier string) bool { return s.All || slices.Contains(s.Carriers, carrier) }

// SeesAny reports whether rows of any of carriers may be shown.
func (s Scope) SeesAny(carriers []string) bool {
	for _, c := range carriers {
		if s.Sees(c) {
			return true
		}
	}
	return false
}

// Collect gathers what each hands over (never nil), for a figure that
// aggregates every row or an answer that pages them.
func Collect[T any](each func(fn func(T) error) error) ([]T, error) {
	out := []T{}
	err := each(func(v T) error {
		out = append(out, v)
		return nil
	})
	return out, err
}

// Reader reads the read models for the figures; it never writes.
type Reader interface {
	Region(ctx context.Context, id string) (RegionRecord, bool, error)
	CarrierRegion(ctx context.Context, carrierID string) (string, bool, error)
	CompanyRegion(ctx context.Context, companyID string) (string, bool, error)
	Carriers(ctx context.Context, f domain.Filter) ([]CarrierRow, error)
	Residencies(ctx context.Context, f domain.Filter) ([]ResidencyRow, error)
	LadderSteps(ctx context.Context, f domain.Filter) ([]LadderRow, error)
	ReportRevisions(ctx context.Context, f domain.Filter, every bool) ([]ReportRow, error)
	// FlowCounts and LadderCounts are the flows and ladder figures counted
	// by the database over the same rows (and with the same rules) as
	// Residencies and LadderSteps return for their drill-downs.
	FlowCounts(ctx context.Context, f domain.Filter) (FlowCounts, error)
	LadderCounts(ctx context.Context, f domain.Filter, expiringBy string) ([]LadderCount, error)
	WaitingDocuments(ctx context.Context, f domain.Filter) ([]DocumentRow, error)
	// RulePacks are the region's rule packs by version.
	RulePacks(ctx context.Context, regionID string) (map[int]RulePackRecord, error)
	// The Each reads hand their rows over one at a time, as the database
	// returns them, so an export holds one row whatever the table's size;
	// the slice reads above are the same rows, gathered.
	EachCarrier(ctx context.Context, f domain.Filter, fn func(CarrierRow) error) error
	EachResidency(ctx context.Context, f domain.Filter, fn func(ResidencyRow) error) error
	EachLadderStep(ctx context.Context, f domain.Filter, fn func(LadderRow) error) error
	EachReportRevision(ctx context.Context, f domain.Filter, every bool, fn func(ReportRow) error) error
	// EachMilestone hands fn the milestones due in the window.
	EachMilestone(ctx context.Context, f domain.Filter, fn func(MilestoneRow) error) error
}

// MilestoneRow is one milestone of a residency's plan with its company
// and carrier.
type MilestoneRow struct {
	MilestoneID string `json:"milestone_id" bun:"milestone_id"`
	ResidencyID string `json:"residency_id" bun:"residency_id"`
	CompanyID   string `json:"company_id" bun:"company_id"`
	CompanyName string `json:"company_name" bun:"company_name"`
	USCC        string `json:"uscc" bun:"uscc"`
	CarrierID   string `json:"carrier_id" bun:"carrier_id"`
	CarrierName string `json:"carrier_name" bun:"carrier_name"`
	TitleZH     string `json:"title_zh" bun:"title_zh"`
	Category    string `json:"category" bun:"category"`
	State       string `json:"state" bun:"state"`
	DueOn       string `json:"due_on" bun:"due_on"`
}

// FlowCounts are the companies (each once) of every residency measure,
// and of every promotion from one carrier kind to another.
type FlowCounts struct {
	Companies  map[string]int
	Promotions []PromotionCount
}

// PromotionCount is how many companies moved from one kind of carrier to
// another.
type PromotionCount struct {
	FromKind  string `bun:"from_kind"`
	ToKind    string `bun:"to_kind"`
	Companies int    `bun:"companies"`
}

// LadderCount is one ladder step's companies holding it, new in the
// window and expiring soon.
type LadderCount struct {
	Step     string `bun:"step"`
	Holding  int    `bun:"holding"`
	New      int    `bun:"new"`
	Expiring int    `bun:"expiring"`
}

// CarrierRow is a carrier with what its residents use at the window's end.
type CarrierRow struct {
	CarrierID  string  `json:"carrier_id" bun:"carrier_id"`
	NameZH     string  `json:"name_zh" bun:"name_zh"`
	NameEN     string  `json:"name_en" bun:"name_en"`
	Kind       string  `json:"kind" bun:"kind"`
	Status     string  `json:"status" bun:"status"`
	Capacity   int     `json:"capacity" bun:"capacity"`
	AreaM2     float64 `json:"area_m2" bun:"area_m2"`
	AreaUsedM2 float64 `json:"area_used_m2" bun:"area_used_m2"`
	Residents  int     `json:"residents" bun:"residents"`
}

// ResidencyRow is one residency with its company and carrier.
type ResidencyRow struct {
	ResidencyID         string  `json:"residency_id" bun:"residency_id"`
	CompanyID           string  `json:"company_id" bun:"company_id"`
	CompanyName         string  `json:"company_name" bun:"company_name"`
	USCC                string  `json:"uscc" bun:"uscc"`
	Industry            string  `json:"industry" bun:"industry"`
	CarrierID           string  `json:"carrier_id" bun:"carrier_id"`
	CarrierName         string  `json:"carrier_name" bun:"carrier_name"`
	CarrierKind         string  `json:"carrier_kind" bun:"carrier_kind"`
	ChainOrder          int     `json:"chain_order" bun:"chain_order"`
	Status              string  `json:"status" bun:"status"`
	AdmittedOn          string  `json:"admitted_on" bun:"admitted_on"`
	MovedInOn           string  `json:"moved_in_on" bun:"moved_in_on"`
	EndedOn             string  `json:"ended_on" bun:"ended_on"`
	TermEndOn           string  `json:"term_end_on" bun:"term_end_on"`
	AreaM2              float64 `json:"area_m2" bun:"area_m2"`
	PromotedToCarrierID string  `json:"promoted_to_carrier_id" bun:"promoted_to_carrier_id"`
	PromotedToKind      string  `json:"promoted_to_kind" bun:"promoted_to_kind"`
	RulePackVersion     int     `json:"-" bun:"rule_pack_version"`
}

// CompanyKey is how a company is counted once: its USCC, or its id before
// it has one.
func (r ResidencyRow) CompanyKey() string { return CompanyKey(r.USCC, r.CompanyID) }

// CompanyKey counts a company once, whatever row names it: by its USCC,
// or by its id before it has one.
func CompanyKey(uscc, id string) string {
	if uscc != "" {
		return uscc
	}
	return id
}

// LadderRow is one verified ladder step with its company.
type LadderRow struct {
	EntryID       string `json:"entry_id" bun:"entry_id"`
	CompanyID     string `json:"company_id" bun:"company_id"`
	CompanyName   string `json:"company_name" bun:"company_name"`
	USCC          string `json:"uscc" bun:"uscc"`
	Step          string `json:"step" bun:"step"`
	StepOn        string `json:"step_on" bun:"step_on"`
	ExpiryOn      string `json:"expiry_on" bun:"expiry_on"`
	CertificateNo string `json:"certificate_no" bun:"certificate_no"`
	// Carriers are the carriers the company has resided in by the window's end.
	Carriers []string `json:"carrier_ids" bun:"-"`
}

// ReportRow is the counted revision of one report with its company.
type ReportRow struct {
	ReportID    string   `json:"report_id" bun:"report_id"`
	Revision    int      `json:"revision" bun:"revision"`
	CompanyID   string   `json:"company_id" bun:"company_id"`
	CompanyName string   `json:"company_name" bun:"company_name"`
	USCC        string   `json:"uscc" bun:"uscc"`
	Period      string   `json:"period" bun:"period"`
	PeriodEnd   string   `json:"-" bun:"-"`
	Status      string   `json:"status" bun:"status"`
	CarrierIDs  []string `json:"carrier_ids" bun:"-"`
	Metrics     Metrics  `json:"-" bun:"-"`
}

// DocumentRow is a document waiting for review.
type DocumentRow struct {
	DocumentID  string `json:"document_id" bun:"document_id"`
	CompanyID   string `json:"company_id" bun:"company_id"`
	CompanyName string `json:"company_name" bun:"company_name"`
	CarrierID   string `json:"carrier_id" bun:"carrier_id"`
	Type        string `json:"type" bun:"type"`
	Version     int    `json:"version" bun:"version"`
}
