package app

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// MilestonePayload is m as its events carry it.
func MilestonePayload(carrierKind string, m *domain.Milestone) events.MilestoneV1 {
	return events.MilestoneV1{MilestoneID: m.ID(), ResidencyID: m.ResidencyID(), CompanyID: m.CompanyID(), RegionID: m.RegionID(), CarrierID: m.CarrierID(),
		CarrierKind: carrierKind, TitleZH: m.TitleZH(), TitleEN: m.TitleEN(), Category: m.Category(), State: string(m.State()),
		DueOn: domain.FormatDate(m.DueOn()), OwnerID: m.OwnerID(), Target: FigureV1(m.Target()), Percent: m.Percent(), Figure: FigureV1(m.Figure()),
		Evidence: m.Evidence()}
}

// FigureV1 is f on the wire.
func FigureV1(f *domain.Figure) *events.FigureV1 {
	if f == nil {
		return nil
	}
	return &events.FigureV1{Value: f.Value, Unit: f.Unit}
}

// Publish writes the events of a milestone to the outbox with one audit
// line each, in tx.
func Publish(ctx context.Context, tx Tx, actor Actor, m *domain.Milestone, ps ...events.Payload) error {
	for _, p := range ps {
		ev, err := events.New(events.Scope{RegionID: m.RegionID(), CarrierID: m.CarrierID()}, actor.UserID, m.ID(), p)
		if err != nil {
			return err
		}
		if err := tx.Publish(ctx, ev); err != nil {
			return err
		}
		if err := tx.Audit(ctx, AuditEntry{At: ev.OccurredAt, Actor: actor.UserID, Action: ev.Type, ObjectID: m.ID(), RegionID: m.RegionID(),
			CarrierID: m.CarrierID(), CompanyID: m.CompanyID(), Detail: map[string]any{"event_id": ev.ID, "residency_id": m.ResidencyID()}}); err != nil {
			return err
		}
	}
	return nil
}
