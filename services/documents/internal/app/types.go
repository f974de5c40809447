package app

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// effectiveTypes are the default types with the region's changes applied,
// in the default order.
func effectiveTypes(ctx context.Context, tx Tx, regionID string) ([]domain.DocumentType, error) {
	over, err := tx.RegionTypes(ctx, regionID)
	if err != nil {
		return nil, err
	}
	out := domain.DefaultTypes()
	for i, t := range out {
		if o, ok := over[t.Code]; ok {
			out[i] = o
		}
	}
	return out, nil
}

func typeOf(ctx context.Context, tx Tx, regionID, code string) (domain.DocumentType, error) {
	ts, err := effectiveTypes(ctx, tx, regionID)
	if err != nil {
		return domain.DocumentType{}, err
	}
	for _, t := range ts {
		if t.Code == code {
			return t, nil
		}
	}
	return domain.DocumentType{}, apperr.NewValidation("invalid-upload").Add("type", "unknown_document_type", "value", code).Err()
}

// DocumentTypes lists a region's types to anyone who works in the region.
func (a *App) DocumentTypes(ctx context.Context, actor Actor, regionID string) ([]domain.DocumentType, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	var out []domain.DocumentType
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		ok, err := tx.RegionExists(ctx, regionID)
		if err != nil {
			return err
		}
		if ok {
			ok, err = a.inRegion(ctx, tx, actor.UserID, regionID)
			if err != nil {
				return err
			}
		}
		if !ok {
			return apperr.NotFoundErr("region-not-found")
		}
		out, err = effectiveTypes(ctx, tx, regionID)
		return err
	})
	return out, err
}

// UpdateDocumentType changes a region's names, allowlist or limit of a type.
func (a *App) UpdateDocumentType(ctx context.Context, actor Actor, regionID string, t domain.DocumentType) (domain.DocumentType, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return t, err
	}
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		ok, err := tx.RegionExists(ctx, regionID)
		if err != nil {
			return err
		}
		if err := a.authorizeRegion(ctx, tx, actor, regionID, ok, "document_type", "update"); err != nil {
			return err
		}
		if err := t.Validate(); err != nil {
			return err
		}
		if err := tx.PutType(ctx, regionID, t, actor.UserID); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "document_type.update", ObjectID: regionID + "/" + t.Code, RegionID: regionID,
			Detail: map[string]any{"content_types": t.ContentTypes, "max_bytes": t.MaxBytes}})
	})
	return t, err
}
