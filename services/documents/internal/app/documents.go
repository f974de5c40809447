package app

import (
	"context"
	"io"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// GetDocument returns a document with its versions, newest first.
func (a *App) GetDocument(ctx context.Context, actor Actor, id string) (*domain.Document, []*domain.Version, error) {
	var (
		d  *domain.Document
		vs []*domain.Version
	)
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if d, err = a.document(ctx, tx, actor, id, "read"); err != nil {
			return err
		}
		vs, err = tx.Versions(ctx, id)
		return err
	})
	return d, vs, err
}

// CompanyDocuments lists a company's documents the caller may read.
func (a *App) CompanyDocuments(ctx context.Context, actor Actor, companyID string, f DocumentFilter, p list.Params) ([]*domain.Document, int, error) {
	return page(ctx, a, func(ctx context.Context, tx Tx) ([]*domain.Document, int, error) {
		co, carriers, err := a.companyView(ctx, tx, actor, companyID)
		if err != nil {
			return nil, 0, err
		}
		f.CompanyID, f.RegionID, f.CarrierIDs = co.ID, co.RegionID, carriers
		return tx.ListDocuments(ctx, f, p)
	})
}

// CarrierDocuments lists the documents handed to one carrier.
func (a *App) CarrierDocuments(ctx context.Context, actor Actor, carrierID string, f DocumentFilter, p list.Params) ([]*domain.Document, int, error) {
	return page(ctx, a, func(ctx context.Context, tx Tx) ([]*domain.Document, int, error) {
		c, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "document", "read")
		if err != nil {
			return nil, 0, err
		}
		f.CarrierID, f.RegionID = c.ID, c.RegionID
		return tx.ListDocuments(ctx, f, p)
	})
}

// RegionDocuments lists the metadata of a region's documents (district).
func (a *App) RegionDocuments(ctx context.Context, actor Actor, regionID string, f DocumentFilter, p list.Params) ([]*domain.Document, int, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, 0, err
	}
	return page(ctx, a, func(ctx context.Context, tx Tx) ([]*domain.Document, int, error) {
		ok, err := tx.RegionExists(ctx, regionID)
		if err != nil {
			return nil, 0, err
		}
		if err := a.authorizeRegion(ctx, tx, actor, regionID, ok, "document", "read"); err != nil {
			return nil, 0, err
		}
		f.RegionID = regionID
		return tx.ListDocuments(ctx, f, p)
	})
}

// page runs fetch, a list and its total behind the caller's checks, in a
// read transaction.
func page[T any](ctx context.Context, a *App, fetch func(ctx context.Context, tx Tx) ([]T, int, error)) ([]T, int, error) {
	return bus.FetchPage(ctx, a.store.Read, fetch)
}

// Review verifies (verify true) or returns the latest version.
func (a *App) Review(ctx context.Context, actor Actor, id string, verify bool, comment string) (*domain.Document, error) {
	var d *domain.Document
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if d, err = a.document(ctx, tx, actor, id, "verify"); err != nil {
			return err
		}
		review := d.Return
		if verify {
			review = d.Verify
		}
		if err := review(comment, actor.UserID, a.now()); err != nil {
			return err
		}
		if err := tx.UpdateDocument(ctx, d); err != nil {
			return err
		}
		if err := tx.UpdateVersion(ctx, d.Latest()); err != nil {
			return err
		}
		action, p := "document.return", events.Payload(events.DocumentReturnedV1{DocumentV1: payload(d, d.Latest(), d.Comment())})
		if verify {
			action, p = "document.verify", events.DocumentVerifiedV1{DocumentV1: payload(d, d.Latest(), d.Comment())}
		}
		if err := tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: action, ObjectID: d.ID(), RegionID: d.RegionID(), CarrierID: d.CarrierID(),
			CompanyID: d.CompanyID(), Detail: map[string]any{"version": d.LatestVersion(), "comment": d.Comment()}}); err != nil {
			return err
		}
		return a.publish(ctx, tx, actor, d, p)
	})
	return d, err
}

// Delete soft-deletes a document; its objects are purged after the
// retention period.
func (a *App) Delete(ctx context.Context, actor Actor, id string) error {
	return a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		d, err := a.document(ctx, tx, actor, id, "delete")
		if err != nil {
			return err
		}
		if err := d.Delete(actor.UserID, a.now()); err != nil {
			return err
		}
		if err := tx.UpdateDocument(ctx, d); err != nil {
			return err
		}
		if err := tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "document.delete", ObjectID: d.ID(), RegionID: d.RegionID(), CarrierID: d.CarrierID(),
			CompanyID: d.CompanyID(), Detail: map[string]any{"versions": d.LatestVersion(), "purge_after": a.now().Add(a.s.Retention).Format(time.RFC3339)}}); err != nil {
			return err
		}
		return a.publish(ctx, tx, actor, d, events.DocumentDeletedV1{DocumentV1: payload(d, d.Latest(), "")})
	})
}

// version authorizes a download of version n and writes it to the audit
// trail before any byte leaves.
func (a *App) version(ctx context.Context, actor Actor, id string, n int, how string) (*domain.Version, error) {
	var v *domain.Version
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		d, err := a.document(ctx, tx, actor, id, "download")
		if err != nil {
			return err
		}
		if err := d.Downloadable(); err != nil {
			return err
		}
		if v, err = tx.GetVersion(ctx, id, n); err != nil {
			return err
		}
		if err := v.Downloadable(); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "document.download", ObjectID: d.ID(), RegionID: d.RegionID(), CarrierID: d.CarrierID(),
			CompanyID: d.CompanyID(), Detail: map[string]any{"version": n, "via": how}})
	})
	return v, err
}

// OpenContent streams version n of a document (the reader checks the
// SHA-256 recorded at upload as it goes).
func (a *App) OpenContent(ctx context.Context, actor Actor, id string, n int) (io.ReadCloser, *domain.Version, error) {
	v, err := a.version(ctx, actor, id, n, "proxy")
	if err != nil {
		return nil, nil, err
	}
	rc, _, err := a.blob.Get(ctx, v.ObjectKey())
	if err != nil {
		return nil, nil, storageDown(err)
	}
	return rc, v, nil
}

// DownloadURL issues a presigned GET for version n, valid at most 15 minutes.
func (a *App) DownloadURL(ctx context.Context, actor Actor, id string, n int) (string, time.Time, error) {
	v, err := a.version(ctx, actor, id, n, "presigned")
	if err != nil {
		return "", time.Time{}, err
	}
	u, err := a.blob.PresignGet(ctx, v.ObjectKey(), a.s.PresignTTL, v.Filename())
	if err != nil {
		return "", time.Time{}, storageDown(err)
	}
	return u.String(), a.now().Add(a.s.PresignTTL), nil
}

// DocumentAudit lists a document's audit trail.
func (a *App) DocumentAudit(ctx context.Context, actor Actor, id string, p list.Params) ([]AuditEntry, int, error) {
	return page(ctx, a, func(ctx context.Context, tx Tx) ([]AuditEntry, int, error) {
		if _, err := a.document(ctx, tx, actor, id, "read"); err != nil {
			return nil, 0, err
		}
		return tx.AuditOf(ctx, id, p)
	})
}

// Usage is a carrier's stored bytes against its quota.
type Usage struct{ Used, Quota int64 }

// CarrierUsage reports a carrier's storage use.
func (a *App) CarrierUsage(ctx context.Context, actor Actor, carrierID string) (Usage, error) {
	var u Usage
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "storage", "read"); err != nil {
			return err
		}
		used, err := tx.CarrierUsage(ctx, carrierID)
		u = Usage{Used: used, Quota: a.s.CarrierQuota}
		return err
	})
	return u, err
}

// ChecklistView is a checklist with the document in each slot.
type ChecklistView struct {
	*domain.Checklist
	Slots    []Slot
	Complete bool
}

// Slot is one required type and what fills it.
type Slot struct {
	Type     string
	Document *domain.Document
}

// checklist loads checklist id when the caller may act on its documents
// (read, upload): 404 when they cannot read them, 403 when they can.
func (a *App) checklist(ctx context.Context, tx Tx, actor Actor, id, act string) (*domain.Checklist, error) {
	c, err := tx.GetChecklist(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{scopeOf(c)}, Object: "document", Action: act, NotFound: "checklist-not-found"}); err != nil {
		return nil, err
	}
	return c, nil
}

// Checklist returns a checklist and how far it is filled.
func (a *App) Checklist(ctx context.Context, actor Actor, id string) (*ChecklistView, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	var out *ChecklistView
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		c, err := a.checklist(ctx, tx, actor, id, "read")
		if err != nil {
			return err
		}
		docs, err := tx.ChecklistDocuments(ctx, id)
		if err != nil {
			return err
		}
		byType := map[string]*domain.Document{}
		for _, d := range docs {
			byType[d.Type()] = d
		}
		out = &ChecklistView{Checklist: c, Complete: c.FilledBy(byType)}
		for _, t := range c.Required() {
			out.Slots = append(out.Slots, Slot{Type: t, Document: byType[t]})
		}
		return nil
	})
	return out, err
}
