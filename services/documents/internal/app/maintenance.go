package app

import (
	"context"
	"errors"
	"strings"

	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// PurgeReport says what a purge removed.
type PurgeReport struct {
	Versions int      `json:"purged_versions"`
	Uploads  int      `json:"expired_uploads"`
	Failed   []string `json:"failed_keys"`
}

// Purge removes the objects of documents deleted longer ago than the
// retention period, and those of presigned uploads never completed.
func (a *App) Purge(ctx context.Context) (PurgeReport, error) {
	rep := PurgeReport{Failed: []string{}}
	now := a.now()
	var (
		versions []*domain.Version
		uploads  []*Upload
	)
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		vs, err := tx.PurgeableVersions(ctx, now.Add(-a.s.Retention))
		if err != nil {
			return err
		}
		versions = vs
		uploads, err = tx.StaleUploads(ctx, now)
		return err
	})
	if err != nil {
		return rep, err
	}
	for _, v := range versions {
		if err := a.blob.Delete(ctx, v.ObjectKey()); err != nil {
			rep.Failed = append(rep.Failed, v.ObjectKey())
			continue
		}
		if err := v.Purge(now); err != nil {
			return rep, err
		}
		if err := a.saveVersion(ctx, v, "document.purge", map[string]any{"version": v.Number()}); err != nil {
			return rep, err
		}
		rep.Versions++
	}
	for _, u := range uploads {
		if err := a.blob.Delete(ctx, u.ObjectKey); err != nil {
			rep.Failed = append(rep.Failed, u.ObjectKey)
			continue
		}
		if err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error { return tx.SetUploadState(ctx, u.ID, UploadExpired) }); err != nil {
			return rep, err
		}
		rep.Uploads++
	}
	return rep, nil
}

// ReconcileReport compares the bucket with the tables.
type ReconcileReport struct {
	Objects        int      `json:"objects"`
	Versions       int      `json:"versions"`
	Orphans        []string `json:"orphan_objects"`  // objects no version or pending upload names
	Missing        []string `json:"missing_objects"` // versions whose object is gone
	Repaired       bool     `json:"repaired"`
	RemovedOrphans int      `json:"removed_orphans"`
	MarkedMissing  int      `json:"marked_missing"`
}

// Reconcile finds objects without metadata and metadata without objects.
// With repair it removes the orphans (older than the grace period, so an
// upload between its object and its row is not one) and marks the
// versions whose object is gone, so downloads answer "content missing".
func (a *App) Reconcile(ctx context.Context, repair bool) (ReconcileReport, error) {
	rep := ReconcileReport{Orphans: []string{}, Missing: []string{}, Repaired: repair}
	now := a.now()
	objects, err := a.blob.List(ctx, "")
	if err != nil {
		return rep, storageDown(err)
	}
	var (
		versions []*domain.Version
		pending  map[string]bool
	)
	err = a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if versions, err = tx.LiveVersions(ctx); err != nil {
			return err
		}
		pending, err = tx.PendingUploadKeys(ctx)
		return err
	})
	if err != nil {
		return rep, err
	}
	known := make(map[string]bool, len(versions))
	for _, v := range versions {
		known[v.ObjectKey()] = true
	}
	present := make(map[string]bool, len(objects))
	for _, o := range objects {
		if strings.HasPrefix(o.Key, ".") {
			continue // the blob store's own staging area
		}
		rep.Objects++
		present[o.Key] = true
		if !known[o.Key] && !pending[o.Key] && o.LastModified.Before(now.Add(-a.s.OrphanGrace)) {
			rep.Orphans = append(rep.Orphans, o.Key)
		}
	}
	rep.Versions = len(versions)
	var missing []*domain.Version
	for _, v := range versions {
		if !present[v.ObjectKey()] {
			rep.Missing = append(rep.Missing, v.ObjectKey())
			missing = append(missing, v)
		}
	}
	if !repair {
		return rep, nil
	}
	var errs []error
	for _, k := range rep.Orphans {
		if err := a.blob.Delete(ctx, k); err != nil {
			errs = append(errs, err)
			continue
		}
		rep.RemovedOrphans++
	}
	for _, v := range missing {
		if err := v.MarkContentMissing(now); err != nil {
			return rep, err
		}
		if err := a.saveVersion(ctx, v, "document.content_missing", map[string]any{"version": v.Number(), "key": v.ObjectKey()}); err != nil {
			return rep, err
		}
		rep.MarkedMissing++
	}
	return rep, errors.Join(errs...)
}

// AuthorizeMaintenance lets only platform admins run the jobs by hand.
func (a *App) AuthorizeMaintenance(actor Actor) error {
	return a.authz.DecideOnPlatform(actor.UserID, "maintenance", "run")
}

// saveVersion writes v as maintenance changed it, with the system's audit
// line (action, detail) on its document, in one transaction.
func (a *App) saveVersion(ctx context.Context, v *domain.Version, action string, detail map[string]any) error {
	return a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		if err := tx.UpdateVersion(ctx, v); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: "system", Action: action, ObjectID: v.DocumentID(), Detail: detail})
	})
}
