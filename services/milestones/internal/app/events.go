package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// Event subjects this service follows, per publisher.
var (
	ParksEventTypes      = []string{"parks.region.>", "parks.carrier.>", events.UserCreated}
	IncubateesEventTypes = []string{"incubatees.company.>", "incubatees.residency.>"}
	DocumentsEventTypes  = []string{"documents.document.>"}
)

// ApplyEvent updates the read models and plans from one event of parks,
// incubatees or documents, inside the consumer's transaction (which also
// records the event as processed). Every branch is idempotent: a plan only
// moves forward, upserts write the same row again.
func ApplyEvent(ctx context.Context, tx Tx, ev events.Envelope, now time.Time) error {
	switch ev.Type {
	case events.RegionCreated:
		return bus.Apply(ev, func(p events.RegionCreatedV1) error {
			if err := tx.UpsertRegion(ctx, p.RegionID, p.Code); err != nil {
				return err
			}
			return seedTemplates(ctx, tx, p.RegionID, now)
		})
	case events.CarrierCreated, events.CarrierUpdated:
		return bus.Apply(ev, func(p events.CarrierV1) error {
			return tx.UpsertCarrier(ctx, Carrier{ID: p.CarrierID, RegionID: p.RegionID, Kind: p.Kind, NameZH: p.NameZH, NameEN: p.NameEN})
		})
	case events.UserCreated:
		return bus.Apply(ev, func(p events.UserCreatedV1) error {
			return tx.UpsertUser(ctx, User{ID: p.UserID, DisplayName: p.DisplayName, Email: p.Email})
		})
	case events.CompanyRegistered, events.CompanyUpdated:
		return bus.Apply(ev, func(p events.CompanyV1) error {
			return tx.UpsertCompany(ctx, Company{ID: p.CompanyID, RegionID: p.RegionID, NameZH: p.NameZH, NameEN: p.NameEN})
		})
	case events.ResidencyAdmitted, events.ResidencyMovedIn, events.ResidencyGraduated, events.ResidencyExited:
		return bus.Apply(ev, func(p events.ResidencyV1) error {
			return learn(ctx, tx, p, "", ev.Type, now)
		})
	case events.ResidencyPromoted:
		return bus.Apply(ev, func(p events.ResidencyPromotedV1) error {
			return learn(ctx, tx, p.ResidencyV1, p.ToResidencyID, ev.Type, now)
		})
	case events.DocumentUploaded, events.DocumentVerified, events.DocumentReturned, events.DocumentDeleted:
		return bus.Apply(ev, func(p events.DocumentV1) error {
			return tx.UpsertDocument(ctx, domain.EvidenceDoc{ID: p.DocumentID, CompanyID: p.CompanyID, Type: p.Type, Deleted: ev.Type == events.DocumentDeleted}, p.Filename)
		})
	}
	return nil
}

// seedTemplates gives a new region the default template of each kind it
// does not have yet.
func seedTemplates(ctx context.Context, tx Tx, regionID string, now time.Time) error {
	for _, kind := range domain.TemplateKinds {
		_, err := tx.Template(ctx, regionID, "", kind)
		if err == nil {
			continue
		}
		if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err := tx.PutTemplate(ctx, domain.SeedTemplate(events.NewID(), regionID, kind, now)); err != nil {
			return err
		}
	}
	return nil
}

// learn opens, moves on or closes a residency's plan.
func learn(ctx context.Context, tx Tx, p events.ResidencyV1, to, typ string, now time.Time) error {
	f := domain.ResidencyFacts{ResidencyID: p.ResidencyID, CompanyID: p.CompanyID, RegionID: p.RegionID, CarrierID: p.CarrierID, CarrierKind: p.CarrierKind,
		ChainOrder: p.ChainOrder, ToResidencyID: to}
	f.AdmittedOn, _ = parseOptional(p.AdmittedOn)
	f.MovedInOn, _ = parseOptional(p.MovedInOn)
	f.EndedOn, _ = parseOptional(p.EndedOn)
	switch typ {
	case events.ResidencyAdmitted:
		f.Stage = domain.StageAdmitted
	case events.ResidencyMovedIn:
		f.Stage = domain.StageMovedIn
	case events.ResidencyGraduated:
		f.Stage, f.Outcome = domain.StageEnded, domain.OutcomeGraduated
	case events.ResidencyExited:
		f.Stage, f.Outcome = domain.StageEnded, domain.OutcomeExited
	case events.ResidencyPromoted:
		f.Stage, f.Outcome = domain.StageEnded, domain.OutcomePromoted
	}
	if err := tx.LockPlan(ctx, p.ResidencyID); err != nil {
		return err
	}
	plan, err := tx.GetPlan(ctx, p.ResidencyID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		plan = domain.NewPlan(f, now)
	case err != nil:
		return err
	case !plan.Learn(f, now):
		return nil // seen already, or older than what the plan knows
	}
	return tx.SavePlan(ctx, plan)
}

func parseOptional(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return domain.ParseDate(s)
}
