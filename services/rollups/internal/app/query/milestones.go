package query

import (
	"context"

	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// Milestone measures: of the milestones due in the window, every one
// planned, those still asked for (not waived), verified, overdue (due
// before today, neither verified nor waived) and waived.
const (
	MilestonePlanned  = "planned"
	MilestoneDue      = "due"
	MilestoneVerified = "verified"
	MilestoneOverdue  = "overdue"
	MilestoneWaived   = "waived"
)

// MilestoneMeasures lists them in the order the figure shows them.
var MilestoneMeasures = []string{MilestonePlanned, MilestoneDue, MilestoneVerified, MilestoneOverdue, MilestoneWaived}

// milestoneCounts reports whether milestone m (due in the window) counts
// as measure on day today.
func milestoneCounts(measure string, m app.MilestoneRow, today string) bool {
	switch measure {
	case MilestonePlanned:
		return true
	case MilestoneDue:
		return m.State != MilestoneWaived
	case MilestoneVerified:
		return m.State == MilestoneVerified
	case MilestoneOverdue:
		return m.State != MilestoneVerified && m.State != MilestoneWaived && m.DueOn < today
	case MilestoneWaived:
		return m.State == MilestoneWaived
	}
	return false
}

// CarrierMilestones is one carrier's milestones due in the window.
type CarrierMilestones struct {
	CarrierID   string `json:"carrier_id"`
	CarrierName string `json:"carrier_name"`
	Planned     int    `json:"planned"`
	Due         int    `json:"due"`
	Verified    int    `json:"verified"`
	Overdue     int    `json:"overdue"`
	Waived      int    `json:"waived"`
}

func (c *CarrierMilestones) add(m app.MilestoneRow, today string) {
	for _, x := range []struct {
		measure string
		n       *int
	}{{MilestonePlanned, &c.Planned}, {MilestoneDue, &c.Due}, {MilestoneVerified, &c.Verified}, {MilestoneOverdue, &c.Overdue}, {MilestoneWaived, &c.Waived}} {
		if milestoneCounts(x.measure, m, today) {
			*x.n++
		}
	}
}

// MilestonesFigure is the residencies' milestones due in the window: the
// region's totals and a line per carrier the caller sees.
type MilestonesFigure struct {
	Window   Window              `json:"window"`
	Total    CarrierMilestones   `json:"total"`
	Carriers []CarrierMilestones `json:"carriers"`
}

// Milestones is the milestones figure.
func (q Figures) Milestones(ctx context.Context, req Request) (MilestonesFigure, error) {
	var out MilestonesFigure
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		lines, idx, err := carrierLines(ctx, r, f, s, func(c app.CarrierRow) CarrierMilestones {
			return CarrierMilestones{CarrierID: c.CarrierID, CarrierName: c.NameZH}
		})
		if err != nil {
			return err
		}
		out = MilestonesFigure{Window: windowOf(f), Carriers: lines}
		today := q.today()
		return r.EachMilestone(ctx, f, func(m app.MilestoneRow) error {
			out.Total.add(m, today)
			if i, ok := idx[m.CarrierID]; ok {
				out.Carriers[i].add(m, today)
			}
			return nil
		})
	})
	return out, err
}

// MilestoneRows are the milestones behind one measure that the caller
// may see.
func (q Figures) MilestoneRows(ctx context.Context, req Request, measure string) ([]app.MilestoneRow, error) {
	return app.Collect(func(fn func(app.MilestoneRow) error) error { return q.EachMilestoneRow(ctx, req, measure, fn) })
}

// EachMilestoneRow hands fn the milestone rows one at a time, as read.
func (q Figures) EachMilestoneRow(ctx context.Context, req Request, measure string, fn func(app.MilestoneRow) error) error {
	if measure == "" {
		measure = MilestonePlanned
	}
	if err := oneOf("measure", measure, MilestoneMeasures); err != nil {
		return err
	}
	return q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		today := q.today()
		return r.EachMilestone(ctx, f, func(m app.MilestoneRow) error {
			if !s.Sees(m.CarrierID) || !milestoneCounts(measure, m, today) {
				return nil
			}
			return fn(m)
		})
	})
}
