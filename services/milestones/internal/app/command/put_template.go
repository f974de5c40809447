package command

import (
	"context"
	"slices"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// PutTemplate replaces the items of a region's template of Kind
// (CarrierID empty), or of one carrier's own template (RegionID and Kind
// come from the carrier).
type PutTemplate struct {
	Actor     app.Actor
	RegionID  string
	CarrierID string
	Kind      string
	Items     []domain.TemplateItem
}

// PutTemplateHandler edits templates.
type PutTemplateHandler struct{ base }

// NewPutTemplateHandler returns the handler.
var NewPutTemplateHandler = newHandler[PutTemplateHandler]

// Handle stores the new version with an audit line; plans already made
// keep their milestones.
func (h PutTemplateHandler) Handle(ctx context.Context, cmd PutTemplate) (*domain.Template, error) {
	if err := authz.Authenticated(cmd.Actor.UserID); err != nil {
		return nil, err
	}
	var out *domain.Template
	err := h.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
		now := h.now()
		regionID, kind := cmd.RegionID, cmd.Kind
		if cmd.CarrierID != "" {
			c, err := app.AuthorizeCarrier(ctx, h.authz, tx, cmd.Actor, cmd.CarrierID, app.ObjTemplate, "update")
			if err != nil {
				return err
			}
			regionID, kind = c.RegionID, c.Kind
		} else {
			if err := app.AuthorizeRegion(ctx, h.authz, tx, cmd.Actor, regionID, app.ObjTemplate, "update"); err != nil {
				return err
			}
			if !slices.Contains(domain.CarrierKinds, kind) {
				return apperr.NotFoundErr("template-not-found")
			}
		}
		t, err := tx.Template(ctx, regionID, cmd.CarrierID, kind)
		switch {
		case apperr.Is(err, apperr.NotFound):
			t, err = domain.NewTemplate(events.NewID(), regionID, cmd.CarrierID, kind, cmd.Items, cmd.Actor.UserID, now)
		case err == nil:
			err = t.Replace(cmd.Items, cmd.Actor.UserID, now)
		}
		if err != nil {
			return err
		}
		if err := tx.PutTemplate(ctx, t); err != nil {
			return err
		}
		out = t
		return tx.Audit(ctx, app.AuditEntry{At: now, Actor: cmd.Actor.UserID, Action: "milestone_template.update", ObjectID: t.ID(), RegionID: regionID,
			CarrierID: cmd.CarrierID, Detail: map[string]any{"kind": kind, "version": t.Version(), "items": len(cmd.Items)}})
	})
	return out, err
}
