package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// Event types this service keeps copies from.
var (
	ParksEventTypes      = []string{"parks.region.>", "parks.carrier.>"}
	IncubateesEventTypes = []string{"incubatees.company.>", "incubatees.application.>", "incubatees.residency.>"}
	MilestonesEventTypes = []string{events.MilestonePlanned, events.MilestoneRescheduled, events.MilestoneVerified, events.MilestoneWaived}
)

// ApplyEvent updates the read models and checklists from one parks,
// incubatees or milestones event, inside the consumer's transaction.
func (a *App) ApplyEvent(ctx context.Context, tx Tx, ev events.Envelope) error {
	switch ev.Type {
	case events.RegionCreated:
		return bus.Apply(ev, func(p events.RegionCreatedV1) error { return tx.UpsertRegion(ctx, p.RegionID, p.Code) })
	case events.CarrierCreated, events.CarrierUpdated:
		return bus.Apply(ev, func(p events.CarrierV1) error {
			return tx.UpsertCarrier(ctx, Carrier{ID: p.CarrierID, RegionID: p.RegionID, NameZH: p.NameZH})
		})
	case events.CompanyRegistered, events.CompanyUpdated:
		return bus.Apply(ev, func(p events.CompanyV1) error {
			return tx.UpsertCompany(ctx, Company{ID: p.CompanyID, RegionID: p.RegionID, NameZH: p.NameZH})
		})
	case events.ApplicationCreated:
		return bus.Apply(ev, func(p events.ApplicationCreatedV1) error {
			if err := tx.LinkCarrier(ctx, p.CompanyID, p.CarrierID); err != nil {
				return err
			}
			return putChecklist(ctx, tx, "application", p.ApplicationID, domain.DocumentOwner{RegionID: p.RegionID, CarrierID: p.CarrierID, CompanyID: p.CompanyID},
				p.Materials, ev.OccurredAt, false)
		})
	case events.ApplicationDecided, events.ApplicationWithdrawn:
		return bus.Apply(ev, func(p events.ApplicationV1) error {
			// Materials are settled once the carrier has decided. A
			// checklist not (yet) copied has nothing to settle.
			c, err := tx.GetChecklist(ctx, domain.ChecklistID("application", p.ApplicationID))
			if apperr.Is(err, apperr.NotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			c.Close()
			return tx.UpdateChecklist(ctx, c)
		})
	case events.ResidencyAdmitted, events.ResidencyMovedIn:
		return bus.Apply(ev, func(p events.ResidencyV1) error { return tx.LinkCarrier(ctx, p.CompanyID, p.CarrierID) })
	case events.MilestonePlanned, events.MilestoneRescheduled, events.MilestoneVerified, events.MilestoneWaived:
		return bus.Apply(ev, func(p events.MilestoneV1) error { return applyMilestone(ctx, tx, p, ev) })
	}
	return nil
}

// applyMilestone keeps the checklist of a milestone that asks for
// evidence: the first event of the milestone opens it with its evidence
// types (a later one finds it there and changes nothing, so redelivery
// and an older event arriving late are harmless), and a verified or waived
// milestone closes it for good (its evidence is settled; an older event
// never reopens it). A milestone asking for no evidence has no checklist.
func applyMilestone(ctx context.Context, tx Tx, p events.MilestoneV1, ev events.Envelope) error {
	if len(p.EvidenceTypes) == 0 {
		return nil
	}
	if p.CarrierID != "" {
		if err := tx.LinkCarrier(ctx, p.CompanyID, p.CarrierID); err != nil {
			return err
		}
	}
	final := p.State == "verified" || p.State == "waived"
	return putChecklist(ctx, tx, "milestone", p.MilestoneID, domain.DocumentOwner{RegionID: p.RegionID, CarrierID: p.CarrierID, CompanyID: p.CompanyID},
		p.EvidenceTypes, ev.OccurredAt, final)
}

// putChecklist keeps the copy of the checklist an event asks for: the
// first event of its owner opens it (a later one finds it there and
// changes nothing), and closed closes it, there or new, for good. A
// checklist the domain refuses is a permanent failure: redelivery cannot
// mend the event.
func putChecklist(ctx context.Context, tx Tx, ownerKind, ownerID string, owner domain.DocumentOwner, required []string, at time.Time, closed bool) error {
	c, err := domain.NewChecklist(ownerKind, ownerID, owner, required, at)
	if err != nil {
		return bus.Permanent(err)
	}
	if closed {
		c.Close()
	}
	if err := tx.PutChecklist(ctx, c); err != nil {
		return err
	}
	if !closed {
		return nil
	}
	return tx.UpdateChecklist(ctx, c)
}
