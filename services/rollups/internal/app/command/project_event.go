// Package command holds the rollups service's writes: the projection of
// parks', incubatees' and documents' events into the read models.
package command

import (
	"context"
	"errors"
	"fmt"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// EventTypes are the subjects each source's consumer follows.
var EventTypes = map[string][]string{
	"parks":      {"parks.region.>", "parks.carrier.>"},
	"incubatees": {"incubatees.company.>", "incubatees.residency.>", "incubatees.ladder.>", "incubatees.metrics.>", "incubatees.rule_pack.>"},
	"documents":  {"documents.document.>"},
	"milestones": {"milestones.milestone.>"},
}

// ErrUnusable marks an event no retry can apply (its payload does not
// decode or names no period): consumers terminate it, a rebuild skips it.
var ErrUnusable = errors.New("unusable event")

func unusable(err error) error { return bus.Permanent(fmt.Errorf("%w: %w", ErrUnusable, err)) }

// ProjectEventHandler applies one event to the read models. It is
// idempotent (an event applied once is skipped after) and order-tolerant
// (each row keeps the stamp of the event that wrote it; an older one
// arriving late does not overwrite it).
type ProjectEventHandler struct{ faults app.Faults }

// NewProjectEventHandler returns the projection; faults are for tests
// that show the recount catches a faulty one.
func NewProjectEventHandler(faults app.Faults) ProjectEventHandler {
	return ProjectEventHandler{faults: faults}
}

// Handle applies ev in tx (the consumer's transaction, or a rebuild's).
func (h ProjectEventHandler) Handle(ctx context.Context, tx app.Projections, ev events.Envelope) error {
	first, err := tx.FirstTime(ctx, ev.ID, ev.Type)
	if err != nil {
		return err
	}
	if !first && !h.faults.AddOnRedelivery {
		return nil
	}
	st := app.Stamped{Stamp: domain.Stamp(ev.OccurredAt, ev.ID)}
	switch ev.Type {
	case events.RegionCreated:
		return project(ev, func(p events.RegionCreatedV1) error {
			return tx.PutRegion(ctx, app.RegionRecord{Stamped: st, ID: p.RegionID, Code: p.Code, NameZH: p.NameZH})
		})
	case events.CarrierCreated, events.CarrierUpdated:
		return project(ev, func(p events.CarrierV1) error {
			return tx.PutCarrier(ctx, app.CarrierRecord{Stamped: st, ID: p.CarrierID, RegionID: p.RegionID, Kind: p.Kind, NameZH: p.NameZH, NameEN: p.NameEN,
				Status: p.Status, ChainOrder: p.ChainOrder, Capacity: p.Capacity, AreaM2: p.AreaM2})
		})
	case events.CompanyRegistered, events.CompanyUpdated:
		return project(ev, func(p events.CompanyV1) error {
			return tx.PutCompany(ctx, app.CompanyRecord{Stamped: st, ID: p.CompanyID, RegionID: p.RegionID, USCC: p.USCC, NameZH: p.NameZH, NameEN: p.NameEN,
				IndustryCode: p.IndustryCode})
		})
	case events.CompanyUSCCLinked:
		return project(ev, func(p events.CompanyUSCCLinkedV1) error {
			return tx.LinkUSCC(ctx, p.CompanyID, p.USCC, st.Stamp)
		})
	case events.ResidencyAdmitted, events.ResidencyMovedIn, events.ResidencyGraduated, events.ResidencyExited:
		return project(ev, func(p events.ResidencyV1) error {
			return tx.PutResidency(ctx, residency(st, p, ""))
		})
	case events.ResidencyPromoted:
		return project(ev, func(p events.ResidencyPromotedV1) error {
			return tx.PutResidency(ctx, residency(st, p.ResidencyV1, p.ToCarrierID))
		})
	case events.LadderStepRecorded, events.LadderStepVerified:
		return project(ev, func(p events.LadderStepV1) error {
			return tx.PutLadderStep(ctx, app.LadderRecord{Stamped: st, EntryID: p.EntryID, CompanyID: p.CompanyID, RegionID: p.RegionID, Step: p.Step,
				Status: p.Status, StepOn: p.Date, ExpiryOn: p.Expiry, CertificateNo: p.CertificateNo})
		})
	case events.MetricsReported, events.MetricsRevised:
		return project(ev, func(p events.MetricsV1) error {
			if err := knownPeriod(p.ReportID, p.Period); err != nil {
				return err
			}
			return tx.PutReportFigures(ctx, app.ReportFigures{Stamped: st, ReportID: p.ReportID, CompanyID: p.CompanyID, RegionID: p.RegionID,
				Period: p.Period, Cadence: p.Cadence, Revision: p.Revision, CarrierIDs: p.CarrierIDs, Metrics: app.MetricsFrom(p.Metrics)}, !first)
		})
	case events.MetricsReviewed:
		return project(ev, func(p events.MetricsReviewedV1) error {
			if err := knownPeriod(p.ReportID, p.Period); err != nil {
				return err
			}
			return tx.PutReportReview(ctx, app.ReportReview{Stamped: st, ReportID: p.ReportID, CompanyID: p.CompanyID, RegionID: p.RegionID,
				Period: p.Period, Status: p.Status, Revision: p.Revision})
		})
	case events.DocumentUploaded, events.DocumentVerified, events.DocumentReturned, events.DocumentDeleted:
		return project(ev, func(p events.DocumentV1) error {
			return tx.PutDocument(ctx, app.DocumentRecord{Stamped: st, ID: p.DocumentID, RegionID: p.RegionID, CarrierID: p.CarrierID, CompanyID: p.CompanyID,
				Type: p.Type, Status: p.Status, Version: p.Version})
		})
	case events.RulePackPublished:
		return project(ev, func(p events.RulePackPublishedV1) error {
			return tx.PutRulePack(ctx, rulePack(st, p))
		})
	case events.MilestonePlanned, events.MilestoneProgressed, events.MilestoneSubmitted, events.MilestoneVerified, events.MilestoneReturned,
		events.MilestoneWaived, events.MilestoneRescheduled, events.MilestoneDueSoon, events.MilestoneOverdue:
		return project(ev, func(p events.MilestoneV1) error { // every milestone event carries it first
			return tx.PutMilestone(ctx, app.MilestoneRecord{Stamped: st, ID: p.MilestoneID, RegionID: p.RegionID, CarrierID: p.CarrierID,
				CompanyID: p.CompanyID, ResidencyID: p.ResidencyID, TitleZH: p.TitleZH, Category: p.Category, State: p.State, DueOn: p.DueOn})
		})
	}
	return nil
}

// project decodes ev's payload as a P and hands it to write; a payload
// that does not decode is unusable (a redelivery cannot mend it).
func project[P any](ev events.Envelope, write func(P) error) error {
	var p P
	if err := ev.Decode(&p); err != nil {
		return unusable(err)
	}
	return write(p)
}

// knownPeriod refuses a report's event whose period names no window: no
// retry can count it.
func knownPeriod(reportID, period string) error {
	if _, ok := domain.PeriodWindow(period); !ok {
		return unusable(fmt.Errorf("report %s: period %q", reportID, period))
	}
	return nil
}

// rulePack is what the rollups keep of a published pack: an older event
// without grace days had incubatees' 15, without a cadence its quarterly.
func rulePack(st app.Stamped, p events.RulePackPublishedV1) app.RulePackRecord {
	r := app.RulePackRecord{Stamped: st, RegionID: p.RegionID, Version: p.Version, Cadence: p.Cadence, GraceDays: p.ReportGraceDays}
	if r.GraceDays <= 0 {
		r.GraceDays = domain.DefaultReportGraceDays
	}
	if r.Cadence == "" {
		r.Cadence = domain.Quarterly
	}
	return r
}

func residency(st app.Stamped, p events.ResidencyV1, to string) app.ResidencyRecord {
	return app.ResidencyRecord{Stamped: st, ID: p.ResidencyID, CompanyID: p.CompanyID, RegionID: p.RegionID, CarrierID: p.CarrierID,
		CarrierKind: p.CarrierKind, Status: p.Status, ChainOrder: p.ChainOrder, AdmittedOn: p.AdmittedOn, MovedInOn: p.MovedInOn,
		EndedOn: p.EndedOn, TermEndOn: p.TermEndOn, AreaM2: p.AreaM2, PromotedToCarrierID: to, RulePackVersion: p.RulePackVersion}
}
