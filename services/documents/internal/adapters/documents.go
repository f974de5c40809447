package adapters

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/documents/internal/app"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

type typeRow struct {
	bun.BaseModel `bun:"table:document_types"`
	RegionID      string    `bun:"region_id,pk"`
	Code          string    `bun:"code,pk"`
	NameZH        string    `bun:"name_zh"`
	NameEN        string    `bun:"name_en"`
	ContentTypes  string    `bun:"content_types"`
	MaxBytes      int64     `bun:"max_bytes"`
	UpdatedBy     string    `bun:"updated_by"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func (t *txStore) RegionTypes(ctx context.Context, regionID string) (map[string]domain.DocumentType, error) {
	var rows []typeRow
	if err := t.NewSelect().Model(&rows).Where("region_id = ?", regionID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("region document types: %w", err)
	}
	out := make(map[string]domain.DocumentType, len(rows))
	for _, r := range rows {
		dt := domain.DocumentType{Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, MaxBytes: r.MaxBytes}
		if err := json.Unmarshal([]byte(r.ContentTypes), &dt.ContentTypes); err != nil {
			return nil, fmt.Errorf("document type %s/%s: %w", regionID, r.Code, err)
		}
		out[r.Code] = dt
	}
	return out, nil
}

func (t *txStore) PutType(ctx context.Context, regionID string, dt domain.DocumentType, by string) error {
	cts, _ := json.Marshal(dt.ContentTypes)
	row := &typeRow{RegionID: regionID, Code: dt.Code, NameZH: dt.NameZH, NameEN: dt.NameEN,
		ContentTypes: string(cts), MaxBytes: dt.MaxBytes, UpdatedBy: by, UpdatedAt: time.Now().UTC()}
	return db.Exec(ctx, db.Upsert(t, row, "region_id, code", "name_zh", "name_en", "content_types", "max_bytes", "updated_by", "updated_at"), "put document type")
}

type checklistRow struct {
	bun.BaseModel `bun:"table:checklists"`
	ID            string    `bun:"id,pk"`
	OwnerKind     string    `bun:"owner_kind"`
	OwnerID       string    `bun:"owner_id"`
	RegionID      string    `bun:"region_id"`
	CarrierID     string    `bun:"carrier_id"`
	CompanyID     string    `bun:"company_id"`
	Required      string    `bun:"required"`
	Status        string    `bun:"status"`
	CreatedAt     time.Time `bun:"created_at"`
}

func checklistStatus(open bool) string {
	if open {
		return "open"
	}
	return "closed"
}

func (t *txStore) PutChecklist(ctx context.Context, c *domain.Checklist) error {
	x := c.Record()
	req, _ := json.Marshal(x.Required)
	row := &checklistRow{ID: x.ID, OwnerKind: x.OwnerKind, OwnerID: x.OwnerID, RegionID: x.RegionID, CarrierID: x.CarrierID,
		CompanyID: x.CompanyID, Required: string(req), Status: checklistStatus(x.Open), CreatedAt: x.CreatedAt.UTC()}
	return db.Exec(ctx, t.NewInsert().Model(row).On("CONFLICT (id) DO NOTHING"), "put checklist")
}

func (t *txStore) GetChecklist(ctx context.Context, id string) (*domain.Checklist, error) {
	return db.DecodeByID(ctx, t, id, "checklist-not-found", checklistRow.checklist)
}

func (r checklistRow) checklist() (*domain.Checklist, error) {
	x := domain.ChecklistRecord{ID: r.ID, OwnerKind: r.OwnerKind, OwnerID: r.OwnerID, RegionID: r.RegionID, CarrierID: r.CarrierID, CompanyID: r.CompanyID,
		Open: r.Status == "open", CreatedAt: r.CreatedAt}
	if err := json.Unmarshal([]byte(r.Required), &x.Required); err != nil {
		return nil, fmt.Errorf("checklist %s: %w", r.ID, err)
	}
	return domain.ChecklistFromDB(x), nil
}

// UpdateChecklist writes what a checklist's transitions change: whether it is open.
func (t *txStore) UpdateChecklist(ctx context.Context, c *domain.Checklist) error {
	x := c.Record()
	q := t.NewUpdate().Model((*checklistRow)(nil)).Set("status = ?", checklistStatus(x.Open)).Where("id = ?", x.ID)
	return db.Exec(ctx, q, "update checklist")
}

type documentRow struct {
	bun.BaseModel `bun:"table:documents,alias:d"`
	ID            string     `bun:"id,pk"`
	RegionID      string     `bun:"region_id"`
	CarrierID     string     `bun:"carrier_id"`
	CompanyID     string     `bun:"company_id"`
	Type          string     `bun:"type"`
	ChecklistID   string     `bun:"checklist_id"`
	Status        string     `bun:"status"`
	Comment       string     `bun:"comment"`
	ReviewedBy    string     `bun:"reviewed_by"`
	ReviewedAt    *time.Time `bun:"reviewed_at"`
	LatestVersion int        `bun:"latest_version"`
	CreatedBy     string     `bun:"created_by"`
	CreatedAt     time.Time  `bun:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at"`
	DeletedAt     *time.Time `bun:"deleted_at"`
	DeletedBy     string     `bun:"deleted_by"`
}

func toDocumentRow(d *domain.Document) *documentRow {
	x := d.Record()
	return &documentRow{ID: x.ID, RegionID: x.RegionID, CarrierID: x.CarrierID, CompanyID: x.CompanyID, Type: x.Type, ChecklistID: x.ChecklistID,
		Status: string(x.Status), Comment: x.Comment, ReviewedBy: x.ReviewedBy, ReviewedAt: x.ReviewedAt, LatestVersion: x.LatestVersion,
		CreatedBy: x.CreatedBy, CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt, DeletedAt: x.DeletedAt, DeletedBy: x.DeletedBy}
}

func (r *documentRow) record() domain.DocumentRecord {
	return domain.DocumentRecord{ID: r.ID, RegionID: r.RegionID, CarrierID: r.CarrierID, CompanyID: r.CompanyID, Type: r.Type, ChecklistID: r.ChecklistID,
		Status: domain.Status(r.Status), Comment: r.Comment, ReviewedBy: r.ReviewedBy, ReviewedAt: r.ReviewedAt, LatestVersion: r.LatestVersion,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, DeletedAt: r.DeletedAt, DeletedBy: r.DeletedBy}
}

func (t *txStore) InsertDocument(ctx context.Context, d *domain.Document) error {
	return db.ExecUnique(ctx, t.NewInsert().Model(toDocumentRow(d)), "insert document", apperr.ConflictErr("slot-taken"))
}

func (t *txStore) UpdateDocument(ctx context.Context, d *domain.Document) error {
	return db.Exec(ctx, t.NewUpdate().Model(toDocumentRow(d)).WherePK(), "update document")
}

// documents loads each row's document with its latest version.
func (t *txStore) documents(ctx context.Context, docs []documentRow) ([]*domain.Document, error) {
	out := make([]*domain.Document, len(docs))
	if len(docs) == 0 {
		return out, nil
	}
	ids := db.MapRows(docs, func(d documentRow) string { return d.ID })
	var rows []versionRow
	if err := t.NewSelect().Model(&rows).Where("document_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("latest versions: %w", err)
	}
	byDoc := map[string]map[int]*versionRow{}
	for i := range rows {
		r := &rows[i]
		if byDoc[r.DocumentID] == nil {
			byDoc[r.DocumentID] = map[int]*versionRow{}
		}
		byDoc[r.DocumentID][r.Version] = r
	}
	for i := range docs {
		var latest *domain.Version
		if r := byDoc[docs[i].ID][docs[i].LatestVersion]; r != nil {
			latest = r.domain()
		}
		out[i] = domain.DocumentFromDB(docs[i].record(), latest)
	}
	return out, nil
}

func (t *txStore) document(ctx context.Context, r documentRow) (*domain.Document, error) {
	ds, err := t.documents(ctx, []documentRow{r})
	if err != nil {
		return nil, err
	}
	return ds[0], nil
}

func (t *txStore) GetDocument(ctx context.Context, id string) (*domain.Document, error) {
	var r documentRow
	if err := t.NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, db.NotFound(err, "document-not-found")
	}
	return t.document(ctx, r)
}

func (t *txStore) SlotDocument(ctx context.Context, checklistID, typ string) (*domain.Document, error) {
	var rows []documentRow
	err := t.NewSelect().Model(&rows).Where("checklist_id = ? AND type = ? AND deleted_at IS NULL", checklistID, typ).Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("slot document: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return t.document(ctx, rows[0])
}

// documentOrder: newest change first unless asked otherwise; every sort
// column is NOT NULL, so each pages by cursor too.
var documentOrder = db.Order{
	Columns: map[string]string{"updated_at": "d.updated_at", "created_at": "d.created_at", "type": "d.type", "status": "d.status"},
	Default: "d.updated_at", DefaultDesc: true, Tiebreak: "d.id",
}

func (t *txStore) ListDocuments(ctx context.Context, f app.DocumentFilter, p list.Params) ([]*domain.Document, int, error) {
	var rows []documentRow
	q := t.NewSelect().Model(&rows)
	q = db.Filter(q, "d.region_id = ?", f.RegionID)
	q = db.Filter(q, "d.company_id = ?", f.CompanyID)
	q = db.Filter(q, "d.carrier_id = ?", f.CarrierID)
	if f.CarrierIDs != nil {
		if len(f.CarrierIDs) == 0 {
			return []*domain.Document{}, 0, nil
		}
		q = q.Where("d.carrier_id IN (?)", bun.List(f.CarrierIDs))
	}
	q = db.Filter(q, "d.checklist_id = ?", f.ChecklistID)
	q = db.Filter(q, "d.type = ?", f.Type)
	if f.Status != "" {
		q = q.Where("d.status = ?", f.Status)
	} else {
		q = q.Where("d.deleted_at IS NULL")
	}
	if f.Query != "" {
		q = q.Where("d.id IN (SELECT document_id FROM document_versions WHERE LOWER(filename) LIKE ? ESCAPE '\\')", db.LikePattern(f.Query))
	}
	total, err := db.ScanSorted(ctx, q, documentOrder, p, &rows)
	if err != nil {
		return nil, 0, db.WrapList(err, "list documents")
	}
	out, err := t.documents(ctx, rows)
	return out, total, err
}

func (t *txStore) ChecklistDocuments(ctx context.Context, checklistID string) ([]*domain.Document, error) {
	var rows []documentRow
	if err := t.NewSelect().Model(&rows).Where("checklist_id = ? AND deleted_at IS NULL", checklistID).Order("type").Scan(ctx); err != nil {
		return nil, fmt.Errorf("checklist documents: %w", err)
	}
	return t.documents(ctx, rows)
}

func (t *txStore) VerifiedDocuments(ctx context.Context, companyID, typ string) ([]*domain.Document, error) {
	var rows []documentRow
	q := t.NewSelect().Model(&rows).Where("d.company_id = ? AND d.status = ?", companyID, string(domain.StatusVerified))
	q = db.Filter(q, "d.type = ?", typ)
	if err := q.Order("d.reviewed_at DESC", "d.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("verified documents: %w", err)
	}
	return t.documents(ctx, rows)
}

// HoldVerified touches the row only while it is verified: the UPDATE
// takes the row's lock and, under READ COMMITTED, re-reads a row another
// transaction changed before deciding, so what it answers stays true until
// this transaction ends.
func (t *txStore) HoldVerified(ctx context.Context, id string) (bool, error) {
	q := t.NewUpdate().Model((*documentRow)(nil)).Set("status = status").
		Where("id = ? AND status = ?", id, string(domain.StatusVerified))
	n, err := db.Affected(ctx, q, "hold verified document")
	return n == 1, err
}

type versionRow struct {
	bun.BaseModel `bun:"table:document_versions,alias:v"`
	ID            string     `bun:"id,pk"`
	DocumentID    string     `bun:"document_id"`
	Version       int        `bun:"version"`
	ObjectKey     string     `bun:"object_key"`
	Filename      string     `bun:"filename"`
	Size          int64      `bun:"size"`
	SHA256        string     `bun:"sha256"`
	ContentType   string     `bun:"content_type"`
	UploadedBy    string     `bun:"uploaded_by"`
	UploadedAt    time.Time  `bun:"uploaded_at"`
	Status        string     `bun:"status"`
	Comment       string     `bun:"comment"`
	PurgedAt      *time.Time `bun:"purged_at"`
	MissingAt     *time.Time `bun:"missing_at"`
	ReusedFrom    string     `bun:"reused_from"`
	ReusedAt      *time.Time `bun:"reused_verified_at"`
	ReusedCarrier string     `bun:"reused_carrier_id"`
	ReusedName    string     `bun:"reused_carrier_name"`
}

func (r versionRow) domain() *domain.Version {
	x := domain.VersionRecord{ID: r.ID, DocumentID: r.DocumentID, Number: r.Version, ObjectKey: r.ObjectKey, Filename: r.Filename,
		Size: r.Size, SHA256: r.SHA256, ContentType: r.ContentType, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt, Status: domain.Status(r.Status),
		Comment: r.Comment, PurgedAt: r.PurgedAt, MissingAt: r.MissingAt}
	if r.ReusedFrom != "" && r.ReusedAt != nil {
		x.ReusedFrom = &domain.Reuse{SourceDocumentID: r.ReusedFrom, VerifiedAt: *r.ReusedAt, VerifiedByCarrierID: r.ReusedCarrier, VerifiedByCarrier: r.ReusedName}
	}
	return domain.VersionFromDB(x)
}

func toVersionRow(v *domain.Version) *versionRow {
	x := v.Record()
	row := &versionRow{ID: x.ID, DocumentID: x.DocumentID, Version: x.Number, ObjectKey: x.ObjectKey, Filename: x.Filename, Size: x.Size,
		SHA256: x.SHA256, ContentType: x.ContentType, UploadedBy: x.UploadedBy, UploadedAt: x.UploadedAt, Status: string(x.Status),
		Comment: x.Comment, PurgedAt: x.PurgedAt, MissingAt: x.MissingAt}
	if f := x.ReusedFrom; f != nil {
		at := f.VerifiedAt.UTC()
		row.ReusedFrom, row.ReusedAt, row.ReusedCarrier, row.ReusedName = f.SourceDocumentID, &at, f.VerifiedByCarrierID, f.VerifiedByCarrier
	}
	return row
}

func (t *txStore) InsertVersion(ctx context.Context, v *domain.Version) error {
	return db.Exec(ctx, t.NewInsert().Model(toVersionRow(v)), "insert version")
}

func (t *txStore) UpdateVersion(ctx context.Context, v *domain.Version) error {
	return db.Exec(ctx, t.NewUpdate().Model(toVersionRow(v)).WherePK(), "update version")
}

func (t *txStore) Versions(ctx context.Context, documentID string) ([]*domain.Version, error) {
	var rows []versionRow
	q := t.NewSelect().Model(&rows).Where("document_id = ?", documentID).Order("version DESC")
	return db.MapAll(ctx, q, &rows, "versions", versionRow.domain)
}

func (t *txStore) GetVersion(ctx context.Context, documentID string, n int) (*domain.Version, error) {
	var r versionRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("document_id = ? AND version = ?", documentID, n), &r, "version-not-found", versionRow.domain)
}

func (t *txStore) CarrierUsage(ctx context.Context, carrierID string) (int64, error) {
	return db.Values[int64](ctx, t.NewSelect().Model((*versionRow)(nil)).ColumnExpr("COALESCE(SUM(v.size), 0)").
		Join("JOIN documents AS d ON d.id = v.document_id").Where("d.carrier_id = ? AND v.purged_at IS NULL", carrierID), "carrier usage")
}

func (t *txStore) PurgeableVersions(ctx context.Context, deletedBefore time.Time) ([]*domain.Version, error) {
	var rows []versionRow
	q := t.NewSelect().Model(&rows).Join("JOIN documents AS d ON d.id = v.document_id").
		Where("d.deleted_at IS NOT NULL AND d.deleted_at < ? AND v.purged_at IS NULL", deletedBefore).Order("v.id")
	return db.MapAll(ctx, q, &rows, "purgeable versions", versionRow.domain)
}

func (t *txStore) LiveVersions(ctx context.Context) ([]*domain.Version, error) {
	var rows []versionRow
	q := t.NewSelect().Model(&rows).Where("purged_at IS NULL").Order("id")
	return db.MapAll(ctx, q, &rows, "live versions", versionRow.domain)
}

type uploadRow struct {
	bun.BaseModel `bun:"table:uploads"`
	ID            string    `bun:"id,pk"`
	RegionID      string    `bun:"region_id"`
	CarrierID     string    `bun:"carrier_id"`
	CompanyID     string    `bun:"company_id"`
	Type          string    `bun:"type"`
	ChecklistID   string    `bun:"checklist_id"`
	DocumentID    string    `bun:"document_id"`
	Filename      string    `bun:"filename"`
	Size          int64     `bun:"size"`
	SHA256        string    `bun:"sha256"`
	ObjectKey     string    `bun:"object_key"`
	State         string    `bun:"state"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	ExpiresAt     time.Time `bun:"expires_at"`
}

func (r uploadRow) app() *app.Upload {
	return &app.Upload{ID: r.ID, RegionID: r.RegionID, CarrierID: r.CarrierID, CompanyID: r.CompanyID, Type: r.Type, ChecklistID: r.ChecklistID,
		DocumentID: r.DocumentID, Filename: r.Filename, SHA256: r.SHA256, ObjectKey: r.ObjectKey, State: r.State, CreatedBy: r.CreatedBy,
		Size: r.Size, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt}
}

func (t *txStore) InsertUpload(ctx context.Context, u *app.Upload) error {
	return db.Exec(ctx, t.NewInsert().Model(&uploadRow{ID: u.ID, RegionID: u.RegionID, CarrierID: u.CarrierID, CompanyID: u.CompanyID, Type: u.Type,
		ChecklistID: u.ChecklistID, DocumentID: u.DocumentID, Filename: u.Filename, Size: u.Size, SHA256: u.SHA256, ObjectKey: u.ObjectKey,
		State: u.State, CreatedBy: u.CreatedBy, CreatedAt: u.CreatedAt, ExpiresAt: u.ExpiresAt}), "insert upload")
}

func (t *txStore) GetUpload(ctx context.Context, id string) (*app.Upload, error) {
	return db.MapByID(ctx, t, id, "upload-not-found", uploadRow.app)
}

func (t *txStore) SetUploadState(ctx context.Context, id, state string) error {
	return db.Exec(ctx, t.NewUpdate().Model((*uploadRow)(nil)).Set("state = ?", state).Where("id = ?", id), "set upload state")
}

func (t *txStore) StaleUploads(ctx context.Context, before time.Time) ([]*app.Upload, error) {
	var rows []uploadRow
	q := t.NewSelect().Model(&rows).Where("state = ? AND expires_at < ?", app.UploadPending, before).Order("id")
	return db.MapAll(ctx, q, &rows, "stale uploads", uploadRow.app)
}

func (t *txStore) PendingUploadKeys(ctx context.Context) (map[string]bool, error) {
	keys, err := db.Values[[]string](ctx, t.NewSelect().Model((*uploadRow)(nil)).Column("object_key").Where("state = ?", app.UploadPending), "pending uploads")
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, nil
}
