package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// Target says where an upload goes: a new document of a company (in a
// checklist slot or not), or a new version of an existing document.
type Target struct {
	CompanyID   string
	Type        string
	ChecklistID string
	CarrierID   string
	DocumentID  string // a new version of this document; the other fields then come from it
	Filename    string
}

// resolved is a target checked against the tables.
type resolved struct {
	regionID, carrierID, companyID, checklistID string
	typ                                         domain.DocumentType
	existing                                    *domain.Document
}

// resolve checks the target and the caller's right to upload into it.
func (a *App) resolve(ctx context.Context, tx Tx, actor Actor, t Target) (resolved, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return resolved{}, err
	}
	var r resolved
	if t.DocumentID != "" {
		d, err := a.document(ctx, tx, actor, t.DocumentID, "upload")
		if err != nil {
			return r, err
		}
		if d.Deleted() {
			return r, apperr.ConflictErr("document-deleted")
		}
		if d.ChecklistID() != "" {
			c, err := tx.GetChecklist(ctx, d.ChecklistID())
			if err != nil {
				return r, err
			}
			if err := c.TakesUploads(); err != nil {
				return r, err
			}
		}
		typ, err := typeOf(ctx, tx, d.RegionID(), d.Type())
		if err != nil {
			return r, err
		}
		return resolved{regionID: d.RegionID(), carrierID: d.CarrierID(), companyID: d.CompanyID(), checklistID: d.ChecklistID(), typ: typ, existing: d}, nil
	}
	co, err := tx.GetCompany(ctx, t.CompanyID)
	if err != nil {
		return r, err
	}
	r = resolved{regionID: co.RegionID, companyID: co.ID, carrierID: t.CarrierID}
	v := apperr.NewValidation("invalid-upload")
	if t.ChecklistID != "" {
		c, err := tx.GetChecklist(ctx, t.ChecklistID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return r, err
		}
		if err != nil || c.CompanyID() != co.ID {
			// Another company's checklist is as unknown as a missing one.
			if err := a.mayUpload(actor, r); err != nil {
				return r, err
			}
			return r, apperr.NotFoundErr("checklist-not-found")
		}
		r.carrierID, r.checklistID = c.CarrierID(), c.ID()
		if err := a.mayUpload(actor, r); err != nil {
			return r, err
		}
		if err := c.TakesUploads(); err != nil {
			return r, err
		}
		if t.Type != "" && !c.Requires(t.Type) {
			v.Add("type", "not_in_checklist", "value", t.Type)
		}
	} else if r.carrierID != "" {
		carriers, err := tx.CompanyCarriers(ctx, co.ID)
		if err != nil {
			return r, err
		}
		if !slices.Contains(carriers, r.carrierID) {
			r.carrierID = ""
			if err := a.mayUpload(actor, r); err != nil {
				return r, err
			}
			v.Add("carrier", "not_linked")
		}
	}
	if err := a.mayUpload(actor, r); err != nil {
		return r, err
	}
	if t.Type == "" {
		v.Add("type", "required")
	} else if typ, err := typeOf(ctx, tx, r.regionID, t.Type); err != nil {
		if !apperr.Is(err, apperr.IncorrectInput) {
			return r, err
		}
		v.Add("type", "unknown_document_type", "value", t.Type)
	} else {
		r.typ = typ
	}
	if err := v.Err(); err != nil {
		return r, err
	}
	if r.checklistID != "" {
		if r.existing, err = tx.SlotDocument(ctx, r.checklistID, t.Type); err != nil {
			return r, err
		}
	}
	return r, nil
}

func (a *App) mayUpload(actor Actor, r resolved) error {
	s := authz.Scope{RegionID: r.regionID, CarrierID: r.carrierID, CompanyID: r.companyID}
	return a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{s}, Object: "document", Action: "upload", NotFound: "company-not-found"})
}

// checkSize refuses a size over the type's limit or the carrier's quota.
func (a *App) checkSize(ctx context.Context, tx Tx, r resolved, size int64) error {
	if size > r.typ.MaxBytes {
		return apperr.New(apperr.TooLarge, "file-too-large").With("max_bytes", r.typ.MaxBytes).With("max", humanBytes(r.typ.MaxBytes))
	}
	if r.carrierID == "" || a.s.CarrierQuota <= 0 {
		return nil
	}
	used, err := tx.CarrierUsage(ctx, r.carrierID)
	if err != nil {
		return err
	}
	if used+size > a.s.CarrierQuota {
		return apperr.New(apperr.TooLarge, "quota-exceeded").With("quota", humanBytes(a.s.CarrierQuota)).With("used", humanBytes(used))
	}
	return nil
}

// Upload streams body (declared bytes long, or -1 when unknown) into a new
// version of the target. The bytes are spooled to disk while they are
// hashed and counted, refused past the type's limit without reading on,
// checked for what they really are, stored under a key made of ids, and
// only then recorded. Whatever fails, nothing is left behind.
func (a *App) Upload(ctx context.Context, actor Actor, t Target, declared int64, body io.Reader) (*domain.Document, error) {
	if err := domain.CheckFilename("filename", t.Filename); err != nil {
		return nil, err
	}
	var r resolved
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if r, err = a.resolve(ctx, tx, actor, t); err != nil {
			return err
		}
		if declared >= 0 {
			return a.checkSize(ctx, tx, r, declared)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	spool, size, digest, err := a.spool(body, r.typ.MaxBytes)
	defer discard(spool)
	if err != nil {
		if errors.Is(err, errOverLimit) {
			return nil, apperr.New(apperr.TooLarge, "file-too-large").With("max_bytes", r.typ.MaxBytes).With("max", humanBytes(r.typ.MaxBytes))
		}
		return nil, err
	}
	if declared >= 0 && size != declared {
		return nil, apperr.New(apperr.Malformed, "upload-incomplete").With("declared", declared).With("received", size)
	}
	ct, err := a.check(r.typ, spool, size)
	if err != nil {
		return nil, err
	}
	versionID := events.NewID()
	key := domain.ObjectKey(r.regionID, r.carrierID, r.companyID, versionID)
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("upload: rewind spool: %w", err)
	}
	if err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error { return a.checkSize(ctx, tx, r, size) }); err != nil {
		return nil, err
	}
	// The spool's digest goes up with the bytes: the store checks them
	// against it, so nothing is hashed twice and nothing is copied.
	info, err := a.blob.PutSHA256(ctx, key, spool, size, ct, digest)
	if err != nil {
		return nil, storageDown(err)
	}
	if info.SHA256 != digest {
		a.removeObject(ctx, key)
		return nil, fmt.Errorf("upload: stored digest %s differs from received %s", info.SHA256, digest)
	}
	v, err := domain.NewVersion(versionID, domain.StoredContent{ObjectKey: key, Filename: t.Filename, Size: size, SHA256: digest, ContentType: ct}, actor.UserID)
	if err != nil {
		a.removeObject(ctx, key)
		return nil, err
	}
	d, err := a.record(ctx, actor, t, r, v, nil)
	if err != nil {
		a.removeObject(ctx, key)
		return nil, err
	}
	return d, nil
}

var errOverLimit = errors.New("over the size limit")

// spool copies at most limit bytes of body to a temporary file, hashing
// them; one byte more is errOverLimit, found without reading further.
func (a *App) spool(body io.Reader, limit int64) (*os.File, int64, string, error) {
	f, n, digest, err := a.spoolFile("upload-*", io.LimitReader(body, limit+1))
	if f == nil {
		return nil, 0, "", fmt.Errorf("upload: spool: %w", err)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return f, n, "", errOverLimit
		}
		return f, n, "", apperr.New(apperr.Malformed, "upload-incomplete").Wrap(err)
	}
	if n > limit {
		return f, n, "", errOverLimit
	}
	return f, n, digest, nil
}

// spoolFile copies r to a new temporary file in the spool directory
// (named after pattern), hashing the bytes on the way: an upload and a
// presigned object are both checked from such a file. The file is nil
// when it could not be made; after a failed copy it is returned with the
// error, for the caller to discard.
func (a *App) spoolFile(pattern string, r io.Reader) (*os.File, int64, string, error) {
	f, err := os.CreateTemp(a.s.SpoolDir, pattern)
	if err != nil {
		return nil, 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return f, n, "", err
	}
	return f, n, hex.EncodeToString(h.Sum(nil)), nil
}

// discard closes and removes a spooled file, if there is one.
func discard(f *os.File) {
	if f != nil {
		f.Close()
		os.Remove(f.Name())
	}
}

// check sniffs the spooled bytes and holds them, and the files inside a
// ZIP, against the type.
func (a *App) check(t domain.DocumentType, f *os.File, size int64) (string, error) {
	in, err := domain.Inspect(f, size, a.s.ArchiveLimits)
	if err != nil {
		return "", err // executables, also inside archives: refused whatever the type allows
	}
	if size == 0 {
		return "", apperr.NewValidation("invalid-upload").Add("file", "empty").Err()
	}
	if err := t.Admit(in); err != nil {
		return "", err
	}
	return in.ContentType, nil
}

// record writes the new version, its document, the audit line and the
// event in one transaction. The slot is read again inside it, so two
// uploads into one slot become two versions of one document.
func (a *App) record(ctx context.Context, actor Actor, t Target, r resolved, v *domain.Version, upload *Upload) (*domain.Document, error) {
	var d *domain.Document
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		now := a.now()
		var err error
		switch {
		case r.existing != nil && r.checklistID == "":
			d, err = tx.GetDocument(ctx, r.existing.ID())
		case r.checklistID != "":
			d, err = tx.SlotDocument(ctx, r.checklistID, r.typ.Code)
		}
		if err != nil {
			return err
		}
		if from := v.ReusedFrom(); from != nil {
			if err := holdReuseSource(ctx, tx, from.SourceDocumentID, r.typ.Code); err != nil {
				return err
			}
		}
		isNew := d == nil
		if isNew {
			owner := domain.DocumentOwner{RegionID: r.regionID, CarrierID: r.carrierID, CompanyID: r.companyID}
			if d, err = domain.NewDocument(events.NewID(), owner, r.typ.Code, r.checklistID, actor.UserID, now); err != nil {
				return err
			}
		}
		if err := d.AddVersion(v, now); err != nil {
			return err
		}
		if isNew {
			err = tx.InsertDocument(ctx, d)
		} else {
			err = tx.UpdateDocument(ctx, d)
		}
		if err != nil {
			return err
		}
		if err := tx.InsertVersion(ctx, v); err != nil {
			return err
		}
		if upload != nil {
			if err := tx.SetUploadState(ctx, upload.ID, UploadCompleted); err != nil {
				return err
			}
		}
		detail := map[string]any{"version": v.Number(), "size": v.Size(), "sha256": v.SHA256(), "content_type": v.ContentType(), "filename": v.Filename()}
		if upload != nil {
			detail["presigned"] = true
		}
		action := "document.upload"
		if from := v.ReusedFrom(); from != nil {
			action = "document.reuse"
			detail["reused_from"], detail["verified_at"], detail["verified_by_carrier"] = from.SourceDocumentID, from.VerifiedAt, from.VerifiedByCarrierID
		}
		if err := tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: action, ObjectID: d.ID(), RegionID: d.RegionID(),
			CarrierID: d.CarrierID(), CompanyID: d.CompanyID(), Detail: detail}); err != nil {
			return err
		}
		return a.publish(ctx, tx, actor, d, events.DocumentUploadedV1{DocumentV1: payload(d, v, "")})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func payload(d *domain.Document, v *domain.Version, comment string) events.DocumentV1 {
	p := events.DocumentV1{DocumentID: d.ID(), RegionID: d.RegionID(), CarrierID: d.CarrierID(), CompanyID: d.CompanyID(), Type: d.Type(),
		ChecklistID: d.ChecklistID(), Status: string(d.Status()), Version: d.LatestVersion(), Comment: comment}
	if v != nil {
		p.VersionID, p.Size, p.SHA256, p.ContentType, p.Filename = v.ID(), v.Size(), v.SHA256(), v.ContentType(), v.Filename()
	}
	return p
}

// removeObject deletes an object that must not stay, whatever ctx is
// doing; a failure is logged and left to reconciliation.
func (a *App) removeObject(ctx context.Context, key string) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := a.blob.Delete(cctx, key); err != nil {
		a.log.Warn("remove object after a failed upload; reconciliation will find it", "key", key, "err", err)
	}
}

func storageDown(err error) error {
	return apperr.New(apperr.Unavailable, "storage-unavailable").Wrap(err)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
