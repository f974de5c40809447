package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// ReusableDocument is a company's verified material that a later
// checklist may reuse, with the name of the carrier that verified it.
type ReusableDocument struct {
	*domain.Document
	VerifiedByCarrier string
}

// reuseSource is what a reuse copies: a verified document and where its
// verification came from.
type reuseSource struct {
	doc  *domain.Document
	from domain.Reuse
}

// Reuse copies a company's verified document into a slot of another of
// its open checklists, instead of an upload. The object is copied inside
// the store to the receiving carrier's key, so every version still owns
// exactly one object (purge, quota and reconciliation stay as they are),
// and the copy is recorded as a fresh upload: the receiving carrier
// reviews it itself, reading where it was verified before.
func (a *App) Reuse(ctx context.Context, actor Actor, checklistID, sourceID, typ string) (*domain.Document, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	var (
		r   resolved
		src reuseSource
	)
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		c, err := a.checklist(ctx, tx, actor, checklistID, "upload")
		if err != nil {
			return err
		}
		if r, err = a.resolve(ctx, tx, actor, Target{CompanyID: c.CompanyID(), Type: typ, ChecklistID: c.ID()}); err != nil {
			return err
		}
		if src, err = a.reuseSource(ctx, tx, c, sourceID, typ); err != nil {
			return err
		}
		return a.checkSize(ctx, tx, r, src.doc.Latest().Size())
	})
	if err != nil {
		return nil, err
	}
	from := src.doc.Latest()
	versionID := events.NewID()
	key := domain.ObjectKey(r.regionID, r.carrierID, r.companyID, versionID)
	info, err := a.blob.Copy(ctx, from.ObjectKey(), key)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, apperr.NotFoundErr("content-missing")
	}
	if err != nil {
		return nil, storageDown(err)
	}
	// An object from a presigned PUT carries no digest of its own; its
	// version's was checked at completion, and the copy is the same bytes.
	if info.Size != from.Size() || (info.SHA256 != "" && info.SHA256 != from.SHA256()) {
		a.removeObject(ctx, key)
		return nil, fmt.Errorf("reuse: copy of %s is %d bytes sha256 %s, want %d bytes %s", from.ObjectKey(), info.Size, info.SHA256, from.Size(), from.SHA256())
	}
	v, err := domain.NewReusedVersion(versionID, domain.StoredContent{ObjectKey: key, Filename: from.Filename(), Size: from.Size(), SHA256: from.SHA256(),
		ContentType: from.ContentType()}, actor.UserID, src.from)
	if err != nil {
		a.removeObject(ctx, key)
		return nil, err
	}
	d, err := a.record(ctx, actor, Target{}, r, v, nil)
	if err != nil {
		a.removeObject(ctx, key)
		return nil, err
	}
	return d, nil
}

// reuseSource loads the document to reuse into checklist c as typ: the
// same company's (another company's is as unknown as a missing one),
// verified, kept, of that type, and from another checklist.
func (a *App) reuseSource(ctx context.Context, tx Tx, c *domain.Checklist, sourceID, typ string) (reuseSource, error) {
	if sourceID == "" {
		return reuseSource{}, apperr.NewValidation("invalid-reuse").Add("source_document_id", "required").Err()
	}
	d, err := tx.GetDocument(ctx, sourceID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && d.CompanyID() != c.CompanyID()) {
		return reuseSource{}, apperr.NotFoundErr("reuse-source-not-found")
	}
	if err != nil {
		return reuseSource{}, err
	}
	if err := d.ReusableAs(typ); err != nil {
		return reuseSource{}, err
	}
	if d.ChecklistID() == c.ID() {
		return reuseSource{}, apperr.ConflictErr("reuse-same-checklist")
	}
	if d.Latest() == nil || d.ReviewedAt() == nil {
		return reuseSource{}, fmt.Errorf("reuse: verified document %s without its latest version or review time", d.ID())
	}
	name, err := carrierName(ctx, tx, d.CarrierID())
	if err != nil {
		return reuseSource{}, err
	}
	return reuseSource{doc: d, from: domain.Reuse{SourceDocumentID: d.ID(), VerifiedAt: *d.ReviewedAt(), VerifiedByCarrierID: d.CarrierID(),
		VerifiedByCarrier: name}}, nil
}

// carrierName is a carrier's name, "" for no carrier.
func carrierName(ctx context.Context, tx Tx, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	c, err := tx.GetCarrier(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return "", nil
	}
	return c.NameZH, err
}

// ReusableDocuments lists a company's verified materials (of type typ,
// or all) that it may reuse, to whoever may reuse them: its members and
// the platform. Those who only see the company are refused (403).
func (a *App) ReusableDocuments(ctx context.Context, actor Actor, companyID, typ string) ([]ReusableDocument, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	var out []ReusableDocument
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		co, err := tx.GetCompany(ctx, companyID)
		if err != nil {
			return err
		}
		s := authz.Scope{RegionID: co.RegionID, CompanyID: co.ID}
		err = a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{s}, Object: "document", Action: "upload", NotFound: "company-not-found",
			CanSee: func() (bool, error) {
				_, _, err := a.companyView(ctx, tx, actor, companyID)
				if apperr.Is(err, apperr.NotFound) {
					return false, nil
				}
				return err == nil, err
			}})
		if err != nil {
			return err
		}
		docs, err := tx.VerifiedDocuments(ctx, co.ID, typ)
		if err != nil {
			return err
		}
		names := map[string]string{}
		for _, d := range docs {
			if d.Latest() == nil || !d.Latest().Available() {
				continue
			}
			name, ok := names[d.CarrierID()]
			if !ok {
				if name, err = carrierName(ctx, tx, d.CarrierID()); err != nil {
					return err
				}
				names[d.CarrierID()] = name
			}
			out = append(out, ReusableDocument{Document: d, VerifiedByCarrier: name})
		}
		return nil
	})
	return out, err
}

// holdReuseSource checks again, in the transaction that records the copy,
// that the source is still verified, and keeps it so until the copy is
// recorded: it may have been returned, replaced by a new version or
// deleted while its object was being copied. A source no longer reusable
// answers as the request would have at its start.
func holdReuseSource(ctx context.Context, tx Tx, sourceID, typ string) error {
	ok, err := tx.HoldVerified(ctx, sourceID)
	if err != nil || ok {
		return err
	}
	d, err := tx.GetDocument(ctx, sourceID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.NotFoundErr("reuse-source-not-found")
	}
	if err != nil {
		return err
	}
	if err := d.ReusableAs(typ); err != nil {
		return err
	}
	return apperr.ConflictErr("document-not-verified").With("status", string(d.Status()))
}
