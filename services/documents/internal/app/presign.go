package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// Presigned is an issued presigned upload: PUT the bytes to URL with
// Header, which the signature covers.
type Presigned struct {
	Upload *Upload
	URL    string
	Header http.Header
}

// presignedContentType is the only Content-Type a presigned PUT may carry.
// What the bytes are is decided by sniffing at completion and recorded
// with the version; the stored object's type is not the uploader's to
// choose (a text/html object served from the store's origin is a page).
const presignedContentType = "application/octet-stream"

var hexDigest = regexp.MustCompile(`^[0-9a-f]{64}$`)

// BeginUpload checks what the client says it will upload and issues a
// short-lived presigned PUT for it. The client's size and digest are
// promises the service checks when the upload is completed.
func (a *App) BeginUpload(ctx context.Context, actor Actor, t Target, size int64, digest string) (*Presigned, error) {
	v := apperr.NewValidation("invalid-upload")
	if err := domain.CheckFilename("filename", t.Filename); err != nil {
		ae, _ := apperr.As(err)
		v.Add(ae.Fields[0].Field, ae.Fields[0].Code)
	}
	v.Check(size < 1, "size", "out_of_range", "min", 1)
	v.Check(digest != "" && !hexDigest.MatchString(digest), "sha256", "sha256_format")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var u *Upload
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		r, err := a.resolve(ctx, tx, actor, t)
		if err != nil {
			return err
		}
		if err := a.checkSize(ctx, tx, r, size); err != nil {
			return err
		}
		now := a.now()
		id := events.NewID()
		u = &Upload{ID: id, RegionID: r.regionID, CarrierID: r.carrierID, CompanyID: r.companyID, Type: r.typ.Code, ChecklistID: r.checklistID,
			Filename: t.Filename, Size: size, SHA256: digest, ObjectKey: domain.ObjectKey(r.regionID, r.carrierID, r.companyID, id),
			State: UploadPending, CreatedBy: actor.UserID, CreatedAt: now, ExpiresAt: now.Add(a.s.PresignTTL)}
		if r.existing != nil && r.checklistID == "" {
			u.DocumentID = r.existing.ID()
		}
		return tx.InsertUpload(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	// The store refuses a body of another length or type: the size
	// promised is signed, not only checked at completion.
	url, header, err := a.blob.PresignPut(ctx, u.ObjectKey, a.s.PresignTTL, u.Size, presignedContentType)
	if err != nil {
		return nil, storageDown(err)
	}
	return &Presigned{Upload: u, URL: url.String(), Header: header}, nil
}

// CompleteUpload checks the object a presigned PUT left (its size, its
// SHA-256 and what its bytes are) and records it as a new version. An
// upload that fails a check is removed; one completed late is expired.
func (a *App) CompleteUpload(ctx context.Context, actor Actor, uploadID string) (*domain.Document, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	var (
		u *Upload
		r resolved
	)
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if u, err = tx.GetUpload(ctx, uploadID); err != nil {
			return err
		}
		if u.CreatedBy != actor.UserID {
			return apperr.NotFoundErr("upload-not-found") // someone else's upload does not exist for you
		}
		if u.State != UploadPending {
			return apperr.ConflictErr("upload-not-pending").With("state", u.State)
		}
		r, err = a.resolve(ctx, tx, actor, Target{CompanyID: u.CompanyID, Type: u.Type, ChecklistID: u.ChecklistID, CarrierID: u.CarrierID, DocumentID: u.DocumentID, Filename: u.Filename})
		return err
	})
	if err != nil {
		return nil, err
	}
	fail := func(state string, err error) (*domain.Document, error) {
		a.removeObject(ctx, u.ObjectKey)
		if serr := a.store.Write(ctx, func(ctx context.Context, tx Tx) error { return tx.SetUploadState(ctx, u.ID, state) }); serr != nil {
			return nil, errors.Join(err, serr)
		}
		return nil, err
	}
	if a.now().After(u.ExpiresAt) {
		return fail(UploadExpired, apperr.New(apperr.Gone, "upload-expired"))
	}
	info, err := a.blob.Stat(ctx, u.ObjectKey)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, apperr.NewValidation("upload-missing").Add("file", "not_uploaded").Err()
	}
	if err != nil {
		return nil, storageDown(err)
	}
	if info.Size != u.Size {
		return fail(UploadFailed, apperr.NewValidation("upload-size-mismatch").Add("file", "size_mismatch", "declared", u.Size, "received", info.Size).Err())
	}
	f, digest, err := a.fetch(ctx, u.ObjectKey)
	defer discard(f)
	if err != nil {
		return nil, err
	}
	if u.SHA256 != "" && digest != u.SHA256 {
		return fail(UploadFailed, apperr.NewValidation("checksum-mismatch").Add("sha256", "checksum_mismatch").Err())
	}
	ct, err := a.check(r.typ, f, info.Size)
	if err != nil {
		return fail(UploadFailed, err)
	}
	v, err := domain.NewVersion(u.ID, domain.StoredContent{ObjectKey: u.ObjectKey, Filename: u.Filename, Size: info.Size, SHA256: digest, ContentType: ct}, actor.UserID)
	if err != nil {
		return fail(UploadFailed, err)
	}
	return a.record(ctx, actor, Target{}, r, v, u)
}

// fetch copies an object to a temporary file, hashing it.
func (a *App) fetch(ctx context.Context, key string) (*os.File, string, error) {
	rc, _, err := a.blob.Get(ctx, key)
	if err != nil {
		return nil, "", storageDown(err)
	}
	defer rc.Close()
	f, _, digest, err := a.spoolFile("verify-*", rc)
	if f == nil {
		return nil, "", fmt.Errorf("complete upload: spool: %w", err)
	}
	if err != nil {
		return f, "", storageDown(err)
	}
	return f, digest, nil
}
