package adapters

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

type intakeCallRow struct {
	bun.BaseModel `bun:"table:intake_calls"`
	ID            string    `bun:"id,pk"`
	RegionID      string    `bun:"region_id"`
	CarrierID     string    `bun:"carrier_id"`
	TitleZH       string    `bun:"title_zh"`
	TitleEN       string    `bun:"title_en"`
	OpensOn       string    `bun:"opens_on"`
	ClosesOn      string    `bun:"closes_on"`
	Eligibility   string    `bun:"eligibility"`
	Materials     string    `bun:"materials"`
	Questions     string    `bun:"questions"`
	Criteria      string    `bun:"criteria"`
	Capacity      int       `bun:"capacity"`
	MinReviews    int       `bun:"min_reviews"`
	Status        string    `bun:"status"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func intakeCallToRow(c *domain.IntakeCall) intakeCallRow {
	return intakeCallRow{ID: c.ID, RegionID: c.RegionID, CarrierID: c.CarrierID, TitleZH: c.Fields.TitleZH, TitleEN: c.Fields.TitleEN,
		OpensOn: c.Fields.OpensOn.Format(time.DateOnly), ClosesOn: c.Fields.ClosesOn.Format(time.DateOnly), Eligibility: c.Fields.Eligibility,
		Materials: db.JSONText(c.Fields.Materials), Questions: db.JSONText(c.Fields.Questions), Criteria: db.JSONText(c.Fields.Criteria),
		Capacity: c.Fields.Capacity, MinReviews: c.Fields.MinReviews, Status: string(c.Status), CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

func intakeCallFrom(r intakeCallRow) (*domain.IntakeCall, error) {
	c := &domain.IntakeCall{ID: r.ID, RegionID: r.RegionID, CarrierID: r.CarrierID, Status: domain.CallStatus(r.Status),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Fields: domain.CallFields{TitleZH: r.TitleZH, TitleEN: r.TitleEN,
			Eligibility: r.Eligibility, Capacity: r.Capacity, MinReviews: r.MinReviews}}
	var err error
	if c.Fields.OpensOn, err = time.Parse(time.DateOnly, r.OpensOn); err != nil {
		return nil, fmt.Errorf("intake call %s opens_on: %w", r.ID, err)
	}
	if c.Fields.ClosesOn, err = time.Parse(time.DateOnly, r.ClosesOn); err != nil {
		return nil, fmt.Errorf("intake call %s closes_on: %w", r.ID, err)
	}
	for _, x := range []struct {
		raw string
		dst any
	}{{r.Materials, &c.Fields.Materials}, {r.Questions, &c.Fields.Questions}, {r.Criteria, &c.Fields.Criteria}} {
		if err := json.Unmarshal([]byte(x.raw), x.dst); err != nil {
			return nil, fmt.Errorf("intake call %s: %w", r.ID, err)
		}
	}
	return c, nil
}

func (t *txStore) InsertIntakeCall(ctx context.Context, c *domain.IntakeCall, createdBy string) error {
	row := intakeCallToRow(c)
	row.CreatedBy = createdBy
	return db.Exec(ctx, t.NewInsert().Model(&row), "insert intake call")
}

func (t *txStore) UpdateIntakeCall(ctx context.Context, c *domain.IntakeCall) error {
	row := intakeCallToRow(c)
	q := t.NewUpdate().Model(&row).WherePK().ExcludeColumn("id", "region_id", "carrier_id", "created_by", "created_at")
	return db.Exec(ctx, q, "update intake call")
}

func (t *txStore) GetIntakeCall(ctx context.Context, id string) (*domain.IntakeCall, error) {
	var r intakeCallRow
	return db.DecodeOne(ctx, t.NewSelect().Model(&r).Where("id = ?", id), &r, "intake-call-not-found", intakeCallFrom)
}

// IntakeCallSortFields lists the sortable fields of call lists.
func IntakeCallSortFields() []string { return []string{"opens_on", "closes_on", "title"} }

var intakeCallSorts = map[string]string{"opens_on": "opens_on", "closes_on": "closes_on", "title": "title_zh"}

func (t *txStore) ListIntakeCalls(ctx context.Context, f app.CallFilter, p list.Params) ([]*domain.IntakeCall, int, error) {
	var rows []intakeCallRow
	q := t.NewSelect().Model(&rows)
	q = db.Filter(q, "region_id = ?", f.RegionID)
	q = db.Filter(q, "carrier_id = ?", f.CarrierID)
	q = db.Filter(q, "status = ?", string(f.Status))
	if f.OpenOn != nil {
		d := f.OpenOn.UTC().Format(time.DateOnly)
		q = q.Where("opens_on <= ? AND closes_on >= ?", d, d)
	}
	q = db.Search(q, p.Q, "title_zh", "title_en")
	return db.DecodePage(ctx, db.OrderBy(q, intakeCallSorts, p.Sort, p.Desc, "opens_on", "id ASC"), p, &rows, "list intake calls", intakeCallFrom)
}

type applicationRow struct {
	bun.BaseModel `bun:"table:applications,alias:a"`
	ID            string     `bun:"id,pk"`
	CallID        string     `bun:"call_id"`
	CarrierID     string     `bun:"carrier_id"`
	RegionID      string     `bun:"region_id"`
	CompanyID     string     `bun:"company_id"`
	Status        string     `bun:"status"`
	Answers       string     `bun:"answers"`
	Materials     string     `bun:"materials"`
	Reason        string     `bun:"reason"`
	Override      string     `bun:"override_reason"`
	ReturnedFor   string     `bun:"returned_for"`
	Conflicts     string     `bun:"conflicts"`
	DecidedBy     string     `bun:"decided_by"`
	DecidedAt     *time.Time `bun:"decided_at"`
	SubmittedAt   *time.Time `bun:"submitted_at"`
	CreatedBy     string     `bun:"created_by"`
	CreatedAt     time.Time  `bun:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at"`
}

func applicationToRow(x *domain.Application) applicationRow {
	return applicationRow{ID: x.ID, CallID: x.CallID, CarrierID: x.CarrierID, RegionID: x.RegionID, CompanyID: x.CompanyID,
		Status: string(x.Status), Answers: db.JSONText(x.Answers), Materials: db.JSONText(x.Materials), Reason: x.Reason, Override: x.Override, ReturnedFor: x.ReturnedFor, Conflicts: db.JSONText(x.Conflicts), DecidedBy: x.DecidedBy,
		DecidedAt: utcp(x.DecidedAt), SubmittedAt: utcp(x.SubmittedAt), CreatedBy: x.CreatedBy, CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}
}

func applicationFrom(r applicationRow) (*domain.Application, error) {
	x := &domain.Application{ID: r.ID, CallID: r.CallID, CarrierID: r.CarrierID, RegionID: r.RegionID, CompanyID: r.CompanyID,
		Status: domain.AppStatus(r.Status), Reason: r.Reason, Override: r.Override, ReturnedFor: r.ReturnedFor, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, SubmittedAt: r.SubmittedAt,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal([]byte(r.Answers), &x.Answers); err != nil {
		return nil, fmt.Errorf("application %s answers: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Materials), &x.Materials); err != nil {
		return nil, fmt.Errorf("application %s materials: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Conflicts), &x.Conflicts); err != nil {
		return nil, fmt.Errorf("application %s conflicts: %w", r.ID, err)
	}
	if x.Answers == nil {
		x.Answers = map[string]json.RawMessage{}
	}
	if x.Materials == nil {
		x.Materials = []domain.MaterialSlot{}
	}
	return x, nil
}

func (t *txStore) InsertApplication(ctx context.Context, x *domain.Application) error {
	row := applicationToRow(x)
	if _, err := t.NewInsert().Model(&row).Exec(ctx); err != nil {
		// A concurrent apply that passed the app's check loses here, on
		// the partial unique index (PostgreSQL names it, SQLite its columns).
		if msg := err.Error(); strings.Contains(msg, "applications_live") || strings.Contains(msg, "UNIQUE constraint failed: applications.call_id") {
			return apperr.ConflictErr("application-exists").Wrap(err)
		}
		return fmt.Errorf("insert application: %w", err)
	}
	return nil
}

// UpdateApplication leaves the materials alone: after the insert only the
// documents consumer writes them (UpdateApplicationMaterials), and a use
// case writing back the copy it read would undo a change committed since.
func (t *txStore) UpdateApplication(ctx context.Context, x *domain.Application) error {
	row := applicationToRow(x)
	return db.Exec(ctx, t.NewUpdate().Model(&row).WherePK().
		ExcludeColumn("id", "call_id", "carrier_id", "region_id", "company_id", "materials", "created_by", "created_at"), "update application")
}

func (t *txStore) UpdateApplicationMaterials(ctx context.Context, x *domain.Application) error {
	if _, err := t.NewUpdate().Model((*applicationRow)(nil)).
		Set("materials = ?", db.JSONText(x.Materials)).Set("updated_at = ?", x.UpdatedAt.UTC()).
		Where("id = ?", x.ID).Exec(ctx); err != nil {
		return fmt.Errorf("update application %s materials: %w", x.ID, err)
	}
	return nil
}

func (t *txStore) GetApplication(ctx context.Context, id string) (*domain.Application, error) {
	var r applicationRow
	return db.DecodeOne(ctx, t.NewSelect().Model(&r).Where("id = ?", id), &r, "application-not-found", applicationFrom)
}

// LockApplication reads an application and holds its row until the
// transaction ends.
func (t *txStore) LockApplication(ctx context.Context, id string) (*domain.Application, error) {
	var r applicationRow
	return db.DecodeOne(ctx, forUpdate(t.NewSelect().Model(&r).Where("id = ?", id)), &r, "application-not-found", applicationFrom)
}

// ApplicationSortFields lists the sortable fields of application lists.
func ApplicationSortFields() []string { return []string{"submitted_at", "created_at", "status"} }

// applicationOrder: submitted_at is NULL on drafts, so that sort pages by
// offset only.
var applicationOrder = db.Order{
	Columns: map[string]string{"submitted_at": "a.submitted_at", "created_at": "a.created_at", "status": "a.status"},
	Default: "a.created_at", Tiebreak: "a.id", OffsetOnly: []string{"a.submitted_at"},
}

type applicationItemRow struct {
	applicationRow `bun:",extend"`
	CompanyNameZH  string `bun:"company_name_zh"`
	CallTitleZH    string `bun:"call_title_zh"`
}

func (t *txStore) ListApplications(ctx context.Context, f app.ApplicationFilter, p list.Params) ([]app.ApplicationItem, int, error) {
	var rows []applicationItemRow
	q := t.NewSelect().Model(&rows).ColumnExpr("a.*").
		ColumnExpr("co.name_zh AS company_name_zh").ColumnExpr("ic.title_zh AS call_title_zh").
		Join("JOIN companies AS co ON co.id = a.company_id").Join("JOIN intake_calls AS ic ON ic.id = a.call_id")
	q = db.Filter(q, "a.carrier_id = ?", f.CarrierID)
	q = db.Filter(q, "a.company_id = ?", f.CompanyID)
	q = db.Filter(q, "a.call_id = ?", f.CallID)
	q = db.Filter(q, "a.status = ?", string(f.Status))
	if f.ExcludeDraft {
		q = q.Where("a.status <> ?", string(domain.AppDraft))
	}
	q = db.Search(q, p.Q, "co.name_zh", "co.name_en", "co.uscc", "ic.title_zh")
	return db.SortedPage(ctx, q, applicationOrder, p, &rows, "list applications", func(r applicationItemRow) (app.ApplicationItem, error) {
		x, err := applicationFrom(r.applicationRow)
		return app.ApplicationItem{Application: x, CompanyNameZH: r.CompanyNameZH, CallTitleZH: r.CallTitleZH}, err
	})
}

func (t *txStore) CountApplications(ctx context.Context, callID string, status domain.AppStatus) (int, error) {
	return db.Count(ctx, t.NewSelect().Model((*applicationRow)(nil)).Where("call_id = ? AND status = ?", callID, string(status)), "count applications")
}

func (t *txStore) LiveApplication(ctx context.Context, callID, companyID string) (bool, error) {
	ok, err := t.NewSelect().Model((*applicationRow)(nil)).Where("call_id = ? AND company_id = ?", callID, companyID).
		Where("status IN (?)", bun.List([]string{string(domain.AppDraft), string(domain.AppSubmitted), string(domain.AppReviewing)})).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("live application: %w", err)
	}
	return ok, nil
}

type applicationReviewRow struct {
	bun.BaseModel `bun:"table:application_reviews"`
	ApplicationID string    `bun:"application_id,pk"`
	ReviewerID    string    `bun:"reviewer_id,pk"`
	Scores        string    `bun:"scores"`
	Comment       string    `bun:"comment"`
	At            time.Time `bun:"at"`
}

func (t *txStore) PutReview(ctx context.Context, r domain.ApplicationReview) error {
	return db.Exec(ctx, db.Upsert(t, &applicationReviewRow{ApplicationID: r.ApplicationID, ReviewerID: r.ReviewerID,
		Scores: db.JSONText(r.Scores), Comment: r.Comment, At: r.At.UTC()}, "application_id, reviewer_id", "scores", "comment", "at"), "put review")
}

func (t *txStore) ListReviews(ctx context.Context, applicationID string) ([]domain.ApplicationReview, error) {
	var rows []applicationReviewRow
	q := t.NewSelect().Model(&rows).Where("application_id = ?", applicationID).Order("at ASC", "reviewer_id ASC")
	return db.DecodeAll(ctx, q, &rows, "list reviews", func(r applicationReviewRow) (domain.ApplicationReview, error) {
		rv := domain.ApplicationReview{ApplicationID: r.ApplicationID, ReviewerID: r.ReviewerID, Comment: r.Comment, At: r.At}
		if err := json.Unmarshal([]byte(r.Scores), &rv.Scores); err != nil {
			return rv, fmt.Errorf("review %s/%s: %w", r.ApplicationID, r.ReviewerID, err)
		}
		return rv, nil
	})
}

type companyDocumentRow struct {
	bun.BaseModel `bun:"table:company_documents,alias:cd"`
	DocumentID    string     `bun:"document_id,pk"`
	CompanyID     string     `bun:"company_id"`
	RegionID      string     `bun:"region_id"`
	Type          string     `bun:"type"`
	Filename      string     `bun:"filename"`
	Status        string     `bun:"status"`
	UpdatedAt     time.Time  `bun:"updated_at"`
	VerifiedAt    *time.Time `bun:"verified_at"`
}

func (r companyDocumentRow) document() app.CompanyDocument {
	return app.CompanyDocument{ID: r.DocumentID, CompanyID: r.CompanyID, RegionID: r.RegionID, Type: r.Type, Filename: r.Filename,
		Status: domain.MaterialStatus(r.Status), At: r.UpdatedAt, VerifiedAt: r.VerifiedAt}
}

func (t *txStore) PutCompanyDocument(ctx context.Context, d app.CompanyDocument) error {
	var verified *time.Time
	if d.VerifiedAt != nil {
		at := d.VerifiedAt.UTC()
		verified = &at
	}
	_, err := db.Upsert(t, &companyDocumentRow{DocumentID: d.ID, CompanyID: d.CompanyID, RegionID: d.RegionID, Type: d.Type, Filename: d.Filename,
		Status: string(d.Status), UpdatedAt: d.At.UTC(), VerifiedAt: verified}, "document_id", "type", "filename", "status", "updated_at", "verified_at").
		Where("cd.status <> ? AND cd.updated_at <= EXCLUDED.updated_at", string(domain.MaterialDeleted)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("put company document %s: %w", d.ID, err)
	}
	return nil
}

func (t *txStore) CompanyDocument(ctx context.Context, id string) (app.CompanyDocument, error) {
	var r companyDocumentRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("document_id = ?", id), &r, "document-not-found", companyDocumentRow.document)
}

func (t *txStore) VerifiedDocuments(ctx context.Context, companyID string) ([]app.CompanyDocument, error) {
	var rows []companyDocumentRow
	q := t.NewSelect().Model(&rows).Where("company_id = ? AND status = ?", companyID, string(domain.MaterialVerified)).
		Order("verified_at", "document_id")
	return db.MapAll(ctx, q, &rows, "verified documents", companyDocumentRow.document)
}
