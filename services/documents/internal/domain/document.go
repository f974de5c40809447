package domain

import (
	"fmt"
	"regexp"
	"slices"
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

// MaxCommentRunes bounds a reviewer's comment.
const MaxCommentRunes = 1000

// Document is one slot of a company's materials; each upload into it is a
// Version. Its fields are private: it changes only through its
// transitions (AddVersion, Verify, Return, Delete), and the database
// loads it with DocumentFromDB. The carrier is empty for a company's own
// documents that belong to no carrier.
type Document struct {
	id string
	owned
	typ                  string
	checklistID          string
	status               Status // "" until its first version
	comment              string
	reviewedBy           string
	reviewedAt           *time.Time
	latestVersion        int
	createdBy            string
	createdAt, updatedAt time.Time
	deletedAt            *time.Time
	deletedBy            string
	latest               *Version
}

// DocumentRecord is a document as stored: what DocumentFromDB loads and
// the adapter writes back (Record).
type DocumentRecord struct {
	ID, RegionID, CarrierID, CompanyID string
	Type, ChecklistID                  string
	Status                             Status
	Comment, ReviewedBy                string
	ReviewedAt                         *time.Time
	LatestVersion                      int
	CreatedBy                          string
	CreatedAt, UpdatedAt               time.Time
	DeletedAt                          *time.Time
	DeletedBy                          string
}

// DocumentFromDB rebuilds a document from stored values without
// validation, with its latest version (nil when it was not read).
func DocumentFromDB(x DocumentRecord, latest *Version) *Document {
	return &Document{id: x.ID, owned: owned{DocumentOwner{x.RegionID, x.CarrierID, x.CompanyID}}, typ: x.Type, checklistID: x.ChecklistID,
		status: x.Status, comment: x.Comment, reviewedBy: x.ReviewedBy, reviewedAt: x.ReviewedAt, latestVersion: x.LatestVersion,
		createdBy: x.CreatedBy, createdAt: x.CreatedAt, updatedAt: x.UpdatedAt, deletedAt: x.DeletedAt, deletedBy: x.DeletedBy, latest: latest}
}

// Record is the document's stored values (the adapter writes them).
func (d *Document) Record() DocumentRecord {
	return DocumentRecord{ID: d.id, RegionID: d.RegionID(), CarrierID: d.CarrierID(), CompanyID: d.CompanyID(), Type: d.typ, ChecklistID: d.checklistID,
		Status: d.status, Comment: d.comment, ReviewedBy: d.reviewedBy, ReviewedAt: d.reviewedAt, LatestVersion: d.latestVersion,
		CreatedBy: d.createdBy, CreatedAt: d.createdAt, UpdatedAt: d.updatedAt, DeletedAt: d.deletedAt, DeletedBy: d.deletedBy}
}

// DocumentOwner is whose a document is: the company, its region, and the
// carrier it was handed to (empty for none).
type DocumentOwner struct{ RegionID, CarrierID, CompanyID string }

// owned gives a document and a checklist their owner's getters.
type owned struct{ owner DocumentOwner }

// RegionID returns the company's region.
func (o owned) RegionID() string { return o.owner.RegionID }

// CarrierID returns the carrier the materials are handed to ("" for none).
func (o owned) CarrierID() string { return o.owner.CarrierID }

// CompanyID returns the owning company.
func (o owned) CompanyID() string { return o.owner.CompanyID }

// NewDocument opens an empty slot of type typ for a company; it has no
// status until its first version (AddVersion). checklistID is the
// checklist whose slot it fills, if any.
func NewDocument(id string, owner DocumentOwner, typ, checklistID, createdBy string, now time.Time) (*Document, error) {
	var missing []string
	for name, s := range map[string]string{"id": id, "region": owner.RegionID, "company": owner.CompanyID, "type": typ, "created by": createdBy} {
		if s == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("new document: no %s", strings.Join(missing, ", "))
	}
	if _, ok := DefaultType(typ); !ok {
		return nil, fmt.Errorf("new document: unknown type %q", typ)
	}
	return &Document{id: id, owned: owned{owner}, typ: typ, checklistID: checklistID,
		createdBy: createdBy, createdAt: now, updatedAt: now}, nil
}

// ID returns the document's id.
func (d *Document) ID() string { return d.id }

// Type returns the document type's code.
func (d *Document) Type() string { return d.typ }

// ChecklistID returns the checklist whose slot it fills ("" for none).
func (d *Document) ChecklistID() string { return d.checklistID }

// Status returns where the document stands.
func (d *Document) Status() Status { return d.status }

// Deleted reports whether the document was soft-deleted.
func (d *Document) Deleted() bool { return d.status == StatusDeleted }

// Comment returns the reviewer's comment on the latest version.
func (d *Document) Comment() string { return d.comment }

// ReviewedBy returns who reviewed the latest version ("" before review).
func (d *Document) ReviewedBy() string { return d.reviewedBy }

// ReviewedAt returns when the latest version was reviewed (nil before review).
func (d *Document) ReviewedAt() *time.Time { return timeCopy(d.reviewedAt) }

// LatestVersion returns the number of the latest version.
func (d *Document) LatestVersion() int { return d.latestVersion }

// Latest returns the latest version when it was read with the document.
func (d *Document) Latest() *Version { return d.latest }

// CreatedBy returns who opened the document.
func (d *Document) CreatedBy() string { return d.createdBy }

// CreatedAt returns when the document was opened.
func (d *Document) CreatedAt() time.Time { return d.createdAt }

// UpdatedAt returns when the document last changed.
func (d *Document) UpdatedAt() time.Time { return d.updatedAt }

// DeletedAt returns when the document was deleted (nil while it is not).
func (d *Document) DeletedAt() *time.Time { return timeCopy(d.deletedAt) }

// DeletedBy returns who deleted the document.
func (d *Document) DeletedBy() string { return d.deletedBy }

// Fills reports whether the document fills a required checklist slot.
func (d *Document) Fills() bool { return Fills(d.status) }

func timeCopy(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// AddVersion makes v the latest version, uploaded at now: the document is
// uploaded again, and a previous comment or review no longer applies. A
// deleted document takes no new version, and a version belongs to one
// document only.
func (d *Document) AddVersion(v *Version, now time.Time) error {
	if d.status == StatusDeleted {
		return apperr.ConflictErr("document-deleted")
	}
	if v.documentID != "" || v.number != 0 {
		return fmt.Errorf("add version %s to document %s: already version %d of %s", v.id, d.id, v.number, v.documentID)
	}
	d.latestVersion++
	v.number, v.documentID, v.status, v.uploadedAt = d.latestVersion, d.id, StatusUploaded, now
	d.status, d.comment, d.reviewedBy, d.reviewedAt, d.updatedAt = StatusUploaded, "", "", nil, now
	d.latest = v
	return nil
}

// Verify records that a reviewer checked the latest version; comment is
// optional. Only an uploaded version can be verified: what was returned
// needs a new version first.
func (d *Document) Verify(comment, by string, now time.Time) error {
	return d.review(true, comment, by, now)
}

// Return sends the latest version back with a comment the startup will
// read. An uploaded or a verified version can be returned.
func (d *Document) Return(comment, by string, now time.Time) error {
	return d.review(false, comment, by, now)
}

func (d *Document) review(verify bool, comment, by string, now time.Time) error {
	comment = strings.TrimSpace(comment)
	if !verify && comment == "" {
		return apperr.NewValidation("invalid-review").Add("comment", "required").Err()
	}
	if len([]rune(comment)) > MaxCommentRunes {
		return apperr.NewValidation("invalid-review").Add("comment", "too_long", "max", MaxCommentRunes).Err()
	}
	switch {
	case d.status == StatusDeleted:
		return apperr.ConflictErr("document-deleted")
	case verify && d.status != StatusUploaded:
		return apperr.ConflictErr("document-bad-transition").With("status", string(d.status)).With("action", "verify")
	case !verify && d.status != StatusUploaded && d.status != StatusVerified:
		return apperr.ConflictErr("document-bad-transition").With("status", string(d.status)).With("action", "return")
	}
	d.status = StatusReturned
	if verify {
		d.status = StatusVerified
	}
	d.comment, d.reviewedBy, d.reviewedAt, d.updatedAt = comment, by, &now, now
	if d.latest != nil {
		d.latest.status, d.latest.comment = d.status, comment
	}
	return nil
}

// Delete soft-deletes the document; a verified one stays, because a park
// has relied on it.
func (d *Document) Delete(by string, now time.Time) error {
	switch d.status {
	case StatusDeleted:
		return apperr.ConflictErr("document-deleted")
	case StatusVerified:
		return apperr.ConflictErr("document-verified")
	}
	d.status, d.deletedBy, d.deletedAt, d.updatedAt = StatusDeleted, by, &now, now
	return nil
}

// ReusableAs refuses to let the document's latest version be copied into
// another checklist's slot of type typ: only a kept, verified material
// whose bytes are still stored is reused, and only as its own type.
func (d *Document) ReusableAs(typ string) error {
	switch {
	case d.status == StatusDeleted:
		return apperr.ConflictErr("document-deleted")
	case d.status != StatusVerified:
		return apperr.ConflictErr("document-not-verified").With("status", string(d.status))
	case d.latest != nil && !d.latest.Available():
		return apperr.NotFoundErr("content-missing")
	case d.typ != typ:
		src, _ := DefaultType(d.typ)
		want, _ := DefaultType(typ)
		return apperr.NewValidation("invalid-reuse").Add("type", "reuse_type_mismatch", "value", typ,
			"source_zh", src.NameZH, "source_en", src.NameEN, "type_zh", want.NameZH, "type_en", want.NameEN).Err()
	}
	return nil
}

// Downloadable refuses a download of a deleted document as if it did not
// exist: its content waits only for the purge.
func (d *Document) Downloadable() error {
	if d.status == StatusDeleted {
		return apperr.NotFoundErr("document-not-found")
	}
	return nil
}

// Version is one stored upload. Its object key is
// <region>/<carrier>/<company>/<version id>, never the original name. Its
// fields are private: a document numbers it (AddVersion) and reviews it,
// maintenance marks it purged or missing, and the database loads it with
// VersionFromDB.
type Version struct {
	id, documentID string
	number         int
	objectKey      string
	filename       string
	size           int64
	sha256         string
	contentType    string
	uploadedBy     string
	uploadedAt     time.Time
	status         Status
	comment        string
	purgedAt       *time.Time
	missingAt      *time.Time
	reusedFrom     *Reuse
}

// Reuse is where a reused version's bytes came from: a verified document
// of the same company in another checklist, and who verified it when. The
// receiving carrier reads it as a reviewer's note; it still reviews the
// version itself.
type Reuse struct {
	SourceDocumentID    string
	VerifiedAt          time.Time
	VerifiedByCarrierID string
	// VerifiedByCarrier is the carrier's name when the material was
	// reused: the name under which it verified.
	VerifiedByCarrier string
}

// VersionRecord is a version as stored: what VersionFromDB loads and the
// adapter writes back (Record).
type VersionRecord struct {
	ID, DocumentID                           string
	Number                                   int
	ObjectKey, Filename, SHA256, ContentType string
	Size                                     int64
	UploadedBy                               string
	UploadedAt                               time.Time
	Status                                   Status
	Comment                                  string
	PurgedAt, MissingAt                      *time.Time
	ReusedFrom                               *Reuse
}

// VersionFromDB rebuilds a version from stored values without validation.
func VersionFromDB(x VersionRecord) *Version {
	return &Version{id: x.ID, documentID: x.DocumentID, number: x.Number, objectKey: x.ObjectKey, filename: x.Filename, size: x.Size,
		sha256: x.SHA256, contentType: x.ContentType, uploadedBy: x.UploadedBy, uploadedAt: x.UploadedAt, status: x.Status,
		comment: x.Comment, purgedAt: x.PurgedAt, missingAt: x.MissingAt, reusedFrom: reuseCopy(x.ReusedFrom)}
}

// Record is the version's stored values (the adapter writes them).
func (v *Version) Record() VersionRecord {
	return VersionRecord{ID: v.id, DocumentID: v.documentID, Number: v.number, ObjectKey: v.objectKey, Filename: v.filename, Size: v.size,
		SHA256: v.sha256, ContentType: v.contentType, UploadedBy: v.uploadedBy, UploadedAt: v.uploadedAt, Status: v.status,
		Comment: v.comment, PurgedAt: v.purgedAt, MissingAt: v.missingAt, ReusedFrom: reuseCopy(v.reusedFrom)}
}

// StoredContent is what an upload left in the object store once it was
// checked: where, under which original name, how big, its digest and
// what its bytes are.
type StoredContent struct {
	ObjectKey, Filename, SHA256, ContentType string
	Size                                     int64
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// NewVersion is checked content that is no document's version yet;
// Document.AddVersion numbers it. The checks are the upload's own
// (a safe name, a known kind of file, not empty), so a failure here is a
// bug, not the uploader's mistake.
func NewVersion(id string, c StoredContent, uploadedBy string) (*Version, error) {
	var problems []string
	if id == "" {
		problems = append(problems, "no id")
	}
	if c.ObjectKey == "" {
		problems = append(problems, "no object key")
	}
	if reason := filenameProblem(c.Filename); reason != "" {
		problems = append(problems, "file name "+reason)
	}
	if c.Size < 1 {
		problems = append(problems, fmt.Sprintf("size %d", c.Size))
	}
	if !sha256Hex.MatchString(c.SHA256) {
		problems = append(problems, fmt.Sprintf("sha256 %q", c.SHA256))
	}
	if !slices.Contains(KnownContentTypes, c.ContentType) {
		problems = append(problems, fmt.Sprintf("content type %q", c.ContentType))
	}
	if uploadedBy == "" {
		problems = append(problems, "no uploader")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("new version %s: %s", id, strings.Join(problems, "; "))
	}
	return &Version{id: id, objectKey: c.ObjectKey, filename: c.Filename, size: c.Size, sha256: c.SHA256, contentType: c.ContentType,
		uploadedBy: uploadedBy}, nil
}

// NewReusedVersion is NewVersion for bytes copied from a verified
// document (Document.ReusableAs), remembering where they came from.
func NewReusedVersion(id string, c StoredContent, uploadedBy string, from Reuse) (*Version, error) {
	if from.SourceDocumentID == "" || from.VerifiedAt.IsZero() {
		return nil, fmt.Errorf("new version %s: a reuse needs its source document and when it was verified", id)
	}
	v, err := NewVersion(id, c, uploadedBy)
	if err != nil {
		return nil, err
	}
	v.reusedFrom = &from
	return v, nil
}

func reuseCopy(r *Reuse) *Reuse {
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

// ReusedFrom returns where the version's bytes were reused from (nil for
// an upload).
func (v *Version) ReusedFrom() *Reuse { return reuseCopy(v.reusedFrom) }

// ID returns the version's id (also the last segment of its object key).
func (v *Version) ID() string { return v.id }

// DocumentID returns the document it is a version of.
func (v *Version) DocumentID() string { return v.documentID }

// Number returns the version's number in its document, from 1.
func (v *Version) Number() int { return v.number }

// ObjectKey returns where the bytes are stored.
func (v *Version) ObjectKey() string { return v.objectKey }

// Filename returns the original file name (metadata only).
func (v *Version) Filename() string { return v.filename }

// Size returns the size in bytes.
func (v *Version) Size() int64 { return v.size }

// SHA256 returns the hex digest recorded at upload.
func (v *Version) SHA256() string { return v.sha256 }

// ContentType returns what the bytes were sniffed to be.
func (v *Version) ContentType() string { return v.contentType }

// UploadedBy returns the uploader.
func (v *Version) UploadedBy() string { return v.uploadedBy }

// UploadedAt returns when the version was recorded.
func (v *Version) UploadedAt() time.Time { return v.uploadedAt }

// Status returns the review status of this version.
func (v *Version) Status() Status { return v.status }

// Comment returns the reviewer's comment on this version.
func (v *Version) Comment() string { return v.comment }

// PurgedAt returns when its bytes were purged (nil while stored).
func (v *Version) PurgedAt() *time.Time { return timeCopy(v.purgedAt) }

// MissingAt returns when its bytes were found gone (nil while present).
func (v *Version) MissingAt() *time.Time { return timeCopy(v.missingAt) }

// Available reports whether its bytes can still be downloaded.
func (v *Version) Available() bool { return v.purgedAt == nil && v.missingAt == nil }

// Downloadable refuses a download of content that was purged or lost.
func (v *Version) Downloadable() error {
	if !v.Available() {
		return apperr.NotFoundErr("content-missing")
	}
	return nil
}

// Purge records that the version's bytes were removed after the
// retention period of its deleted document; it happens once.
func (v *Version) Purge(now time.Time) error {
	if v.purgedAt != nil {
		return apperr.ConflictErr("version-purged")
	}
	v.purgedAt = &now
	return nil
}

// MarkContentMissing records that reconciliation found the version's
// bytes gone from the store. A purged version's bytes are meant to be
// gone, so it is refused; one found missing again is marked again (a
// repair run records what it finds each time).
func (v *Version) MarkContentMissing(now time.Time) error {
	if v.purgedAt != nil {
		return apperr.ConflictErr("version-purged")
	}
	v.missingAt = &now
	return nil
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

// Fills reports whether a document in status s fills a required slot.
func Fills(s Status) bool { return s == StatusUploaded || s == StatusVerified }
