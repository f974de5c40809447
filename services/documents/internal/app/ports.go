package app

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/incuchain/incuchain/pkg/audit"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// Store is the service's persistence, one transaction per use case.
type Store = bus.Store[Tx]

// Blob is the object store (MinIO, or the in-process S3 server).
type Blob interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (blob.Info, error)
	// PutSHA256 stores bytes whose SHA-256 is known, in one pass.
	PutSHA256(ctx context.Context, key string, r io.Reader, size int64, contentType, digest string) (blob.Info, error)
	Get(ctx context.Context, key string) (io.ReadCloser, blob.Info, error)
	Stat(ctx context.Context, key string) (blob.Info, error)
	// Copy copies an object inside the store, with its metadata.
	Copy(ctx context.Context, src, dst string) (blob.Info, error)
	Delete(ctx context.Context, key string) error
	List(ctx context.Context, prefix string) ([]blob.Info, error)
	PresignPut(ctx context.Context, key string, ttl time.Duration, size int64, contentType string) (*url.URL, http.Header, error)
	PresignGet(ctx context.Context, key string, ttl time.Duration, downloadName string) (*url.URL, error)
}

// Tx is what use cases can do inside a transaction.
type Tx interface {
	ReadModelTx
	DocumentTx
	Publish(ctx context.Context, evs ...events.Envelope) error
	Audit(ctx context.Context, e AuditEntry) error
	AuditOf(ctx context.Context, objectID string, p list.Params) ([]AuditEntry, int, error)
}

// AuditEntry is one line of the audit trail.
type AuditEntry = audit.Entry

// Carrier and Company are the read models this service keeps.
type (
	Carrier struct{ ID, RegionID, NameZH string }
	Company struct{ ID, RegionID, NameZH string }
)

// ReadModelTx keeps the copies of other services' data.
type ReadModelTx interface {
	UpsertRegion(ctx context.Context, id, code string) error
	RegionExists(ctx context.Context, id string) (bool, error)
	UpsertCarrier(ctx context.Context, c Carrier) error
	GetCarrier(ctx context.Context, id string) (Carrier, error)
	UpsertCompany(ctx context.Context, c Company) error
	GetCompany(ctx context.Context, id string) (Company, error)
	LinkCarrier(ctx context.Context, companyID, carrierID string) error
	CompanyCarriers(ctx context.Context, companyID string) ([]string, error)
}

// DocumentFilter narrows a document list.
type DocumentFilter struct {
	RegionID, CompanyID, CarrierID, ChecklistID string
	CarrierIDs                                  []string // when non-nil, only documents of these carriers
	Type, Status, Query                         string
}

// Upload is a presigned upload between issue and completion.
type Upload struct {
	ID, RegionID, CarrierID, CompanyID, Type, ChecklistID, DocumentID string
	Filename, SHA256, ObjectKey, State, CreatedBy                     string
	Size                                                              int64
	CreatedAt, ExpiresAt                                              time.Time
}

// Upload states.
const (
	UploadPending   = "pending"
	UploadCompleted = "completed"
	UploadFailed    = "failed"
	UploadExpired   = "expired"
)

// DocumentTx stores types, checklists, documents, versions and uploads.
type DocumentTx interface {
	RegionTypes(ctx context.Context, regionID string) (map[string]domain.DocumentType, error)
	PutType(ctx context.Context, regionID string, t domain.DocumentType, by string) error

	PutChecklist(ctx context.Context, c *domain.Checklist) error
	GetChecklist(ctx context.Context, id string) (*domain.Checklist, error)
	UpdateChecklist(ctx context.Context, c *domain.Checklist) error

	InsertDocument(ctx context.Context, d *domain.Document) error
	UpdateDocument(ctx context.Context, d *domain.Document) error
	GetDocument(ctx context.Context, id string) (*domain.Document, error)
	SlotDocument(ctx context.Context, checklistID, typ string) (*domain.Document, error)
	ListDocuments(ctx context.Context, f DocumentFilter, p list.Params) ([]*domain.Document, int, error)
	ChecklistDocuments(ctx context.Context, checklistID string) ([]*domain.Document, error)
	// VerifiedDocuments are a company's verified documents (of type typ,
	// or every type when it is empty), newest review first.
	VerifiedDocuments(ctx context.Context, companyID, typ string) ([]*domain.Document, error)
	// HoldVerified answers whether document id is still verified and, when
	// it is, keeps it so until the transaction ends (a row lock on
	// PostgreSQL; SQLite has one writer): a reuse copies nothing that was
	// returned, replaced or deleted while its object was being copied.
	HoldVerified(ctx context.Context, id string) (bool, error)

	InsertVersion(ctx context.Context, v *domain.Version) error
	UpdateVersion(ctx context.Context, v *domain.Version) error
	Versions(ctx context.Context, documentID string) ([]*domain.Version, error)
	GetVersion(ctx context.Context, documentID string, n int) (*domain.Version, error)
	CarrierUsage(ctx context.Context, carrierID string) (int64, error)

	InsertUpload(ctx context.Context, u *Upload) error
	GetUpload(ctx context.Context, id string) (*Upload, error)
	SetUploadState(ctx context.Context, id, state string) error
	StaleUploads(ctx context.Context, before time.Time) ([]*Upload, error)

	PurgeableVersions(ctx context.Context, deletedBefore time.Time) ([]*domain.Version, error)
	LiveVersions(ctx context.Context) ([]*domain.Version, error)
	PendingUploadKeys(ctx context.Context) (map[string]bool, error)
}
