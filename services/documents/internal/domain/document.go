package domain

import (
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Status of a document, which follows its latest version.
type Status string

const (
	StatusUploaded Status = "uploaded"
	StatusVerified Status = "verified"
	StatusReturned Status = "returned"
	StatusDeleted  Status = "deleted"
)

// Statuses a list may filter on.
var Statuses = []string{string(StatusUploaded), string(StatusVerified), string(StatusReturned), string(StatusDeleted)}

// Enum lists every status (the OpenAPI document's closed set).
func (Status) Enum() []string { return Statuses }

// Document is one slot of a company's materials; each upload into it is a
// Version. CarrierID is empty for a company's own documents that belong to
// no carrier.
type Document struct {
	ID, RegionID, CarrierID, CompanyID string
	Type                               string
	ChecklistID                        string
	Status                             Status
	Comment                            string
	ReviewedBy                         string
	ReviewedAt                         *time.Time
	LatestVersion                      int
	CreatedBy                          string
	CreatedAt, UpdatedAt               time.Time
	DeletedAt                          *time.Time
	DeletedBy                          string
	Latest                             *Version // filled by reads
}

// Version is one stored upload. ObjectKey is
// <region>/<carrier>/<company>/<version id>, never the original name.
type Version struct {
	ID, DocumentID string
	Version        int
	ObjectKey      string
	Filename       string
	Size           int64
	SHA256         string
	ContentType    string
	UploadedBy     string
	UploadedAt     time.Time
	Status         Status
	Comment        string
	PurgedAt       *time.Time
	MissingAt      *time.Time
}

// NoCarrier stands for the carrier segment of a key when a document
// belongs to no carrier.
const NoCarrier = "_"

// ObjectKey builds the storage key of a version.
func ObjectKey(regionID, carrierID, companyID, versionID string) string {
	if carrierID == "" {
		carrierID = NoCarrier
	}
	return strings.Join([]string{regionID, carrierID, companyID, versionID}, "/")
}

// AddVersion makes v the latest version: the document is uploaded again,
// and a previous comment or review no longer applies.
func (d *Document) AddVersion(v *Version, now time.Time) error {
	if d.Status == StatusDeleted {
		return apperr.ConflictErr("document-deleted")
	}
	d.LatestVersion++
	v.Version = d.LatestVersion
	v.DocumentID = d.ID
	v.Status = StatusUploaded
	d.Status, d.Comment, d.ReviewedBy, d.ReviewedAt, d.UpdatedAt = StatusUploaded, "", "", nil, now
	d.Latest = v
	return nil
}

// Review verifies or returns the latest version. Returning needs a
// comment the startup will read; verifying what was returned needs a new
// version first.
func (d *Document) Review(verify bool, comment, by string, now time.Time) error {
	comment = strings.TrimSpace(comment)
	if !verify && comment == "" {
		return apperr.NewValidation("invalid-review").Add("comment", "required").Err()
	}
	if len([]rune(comment)) > 1000 {
		return apperr.NewValidation("invalid-review").Add("comment", "too_long", "max", 1000).Err()
	}
	switch {
	case d.Status == StatusDeleted:
		return apperr.ConflictErr("document-deleted")
	case verify && d.Status != StatusUploaded:
		return apperr.ConflictErr("document-bad-transition").With("status", string(d.Status)).With("action", "verify")
	case !verify && d.Status != StatusUploaded && d.Status != StatusVerified:
		return apperr.ConflictErr("document-bad-transition").With("status", string(d.Status)).With("action", "return")
	}
	d.Status = StatusReturned
	if verify {
		d.Status = StatusVerified
	}
	d.Comment, d.ReviewedBy, d.ReviewedAt, d.UpdatedAt = comment, by, &now, now
	if d.Latest != nil {
		d.Latest.Status, d.Latest.Comment = d.Status, comment
	}
	return nil
}

// Delete soft-deletes the document; a verified one stays, because a park
// has relied on it.
func (d *Document) Delete(by string, now time.Time) error {
	switch d.Status {
	case StatusDeleted:
		return apperr.ConflictErr("document-deleted")
	case StatusVerified:
		return apperr.ConflictErr("document-verified")
	}
	d.Status, d.DeletedBy, d.DeletedAt, d.UpdatedAt = StatusDeleted, by, &now, now
	return nil
}

// Checklist is the required material types an owner (an application, a
// milestone) asks a company for. Its id is "<owner kind>:<owner id>".
type Checklist struct {
	ID, OwnerKind, OwnerID         string
	RegionID, CarrierID, CompanyID string
	Required                       []string
	Open                           bool
	CreatedAt                      time.Time
}

// ChecklistID builds a checklist's id.
func ChecklistID(kind, ownerID string) string { return kind + ":" + ownerID }

// Fills reports whether a document in status s fills a required slot.
func Fills(s Status) bool { return s == StatusUploaded || s == StatusVerified }
