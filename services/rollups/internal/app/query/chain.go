package query

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// ------------------------------------------------------------ funnel --

// FunnelStep is how many of the companies that entered a maker space
// reached one step of the chain, and the median months from the step
// before.
type FunnelStep struct {
	Kind                     string  `json:"kind"`
	Companies                int     `json:"companies"`
	MedianMonthsFromPrevious float64 `json:"median_months_from_previous"`
}

// FunnelFigure is the chain funnel as of the window's end.
type FunnelFigure struct {
	Window Window       `json:"window"`
	Steps  []FunnelStep `json:"steps"`
}

// FunnelRow is one company that reached a step.
type FunnelRow struct {
	CompanyID          string  `json:"company_id"`
	CompanyName        string  `json:"company_name"`
	USCC               string  `json:"uscc"`
	CarrierID          string  `json:"carrier_id"`
	CarrierName        string  `json:"carrier_name"`
	EnteredOn          string  `json:"entered_on"`
	MonthsFromPrevious float64 `json:"months_from_previous"`
}

// funnel walks each company's chain: its first entry at each step, each
// on or after the one before. cohort keeps only the companies that went
// through carrier (when set).
func funnel(rows []app.ResidencyRow, carrier string) [][]FunnelRow {
	byCompany := map[string]map[int]app.ResidencyRow{}
	through := map[string]bool{}
	var keys []string
	for _, r := range rows {
		k := r.CompanyKey()
		if byCompany[k] == nil {
			byCompany[k] = map[int]app.ResidencyRow{}
			keys = append(keys, k)
		}
		if r.CarrierID == carrier {
			through[k] = true
		}
		if r.ChainOrder < 1 || r.ChainOrder > len(domain.ChainKinds) {
			continue
		}
		if cur, ok := byCompany[k][r.ChainOrder]; !ok || r.AdmittedOn < cur.AdmittedOn {
			byCompany[k][r.ChainOrder] = r
		}
	}
	slices.Sort(keys)
	out := make([][]FunnelRow, len(domain.ChainKinds))
	for _, k := range keys {
		if carrier != "" && !through[k] {
			continue
		}
		steps := byCompany[k]
		prev := ""
		for i := range domain.ChainKinds {
			r, ok := steps[i+1]
			if !ok || (prev != "" && r.AdmittedOn < prev) {
				break
			}
			months := 0.0
			if prev != "" {
				months, _ = domain.MonthsBetween(prev, r.AdmittedOn)
			}
			out[i] = append(out[i], FunnelRow{CompanyID: r.CompanyID, CompanyName: r.CompanyName, USCC: r.USCC, CarrierID: r.CarrierID,
				CarrierName: r.CarrierName, EnteredOn: r.AdmittedOn, MonthsFromPrevious: round1(months)})
			prev = r.AdmittedOn
		}
	}
	return out
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

// funnelRows reads the residencies the funnel is made of: the region's
// (carrier kind does not narrow a chain), by industry.
func funnelRows(ctx context.Context, r app.Reader, f domain.Filter) ([]app.ResidencyRow, error) {
	wide := f
	wide.CarrierID, wide.CarrierKind = "", ""
	return r.Residencies(ctx, wide)
}

// Funnel is the chain funnel figure: of the companies that entered a
// maker space by the window's end, how many reached an incubator, an
// accelerator and a science park, with the median months per step.
func (q Figures) Funnel(ctx context.Context, req Request) (FunnelFigure, error) {
	var out FunnelFigure
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, _ app.Scope) error {
		rows, err := funnelRows(ctx, r, f)
		if err != nil {
			return err
		}
		out = FunnelFigure{Window: windowOf(f)}
		for i, step := range funnel(rows, f.CarrierID) {
			months := make([]float64, 0, len(step))
			for _, s := range step {
				months = append(months, s.MonthsFromPrevious)
			}
			m := 0.0
			if i > 0 {
				m = round1(domain.Median(months))
			}
			out.Steps = append(out.Steps, FunnelStep{Kind: domain.ChainKinds[i], Companies: len(step), MedianMonthsFromPrevious: m})
		}
		return nil
	})
	return out, err
}

// FunnelRows are the companies that reached step (a chain kind) and that
// the caller may see.
func (q Figures) FunnelRows(ctx context.Context, req Request, step string) ([]FunnelRow, error) {
	if err := oneOf("step", step, domain.ChainKinds); err != nil {
		return nil, err
	}
	var out []FunnelRow
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		rows, err := funnelRows(ctx, r, f)
		if err != nil {
			return err
		}
		visible := map[string]bool{}
		for _, row := range rows {
			if s.Sees(row.CarrierID) {
				visible[row.CompanyKey()] = true
			}
		}
		out = keep(funnel(rows, f.CarrierID)[slices.Index(domain.ChainKinds, step)], func(fr FunnelRow) bool {
			return visible[app.CompanyKey(fr.USCC, fr.CompanyID)]
		})
		return nil
	})
	return out, err
}

// ------------------------------------------------------------ ladder --

// Ladder measures.
const (
	Holding  = "holding"
	New      = "new"
	Expiring = "expiring"
)

// LadderMeasures lists them.
var LadderMeasures = []string{Holding, New, Expiring}

// LadderRung is one rung: the companies holding it at the window's end,
// those who reached it in the window, and those whose certificate expires
// within 90 days of the window's end.
type LadderRung struct {
	Step      string `json:"step"`
	Companies int    `json:"companies"`
	New       int    `json:"new"`
	Expiring  int    `json:"expiring_within_90_days"`
}

// LadderFigure is the cultivation ladder.
type LadderFigure struct {
	Window Window       `json:"window"`
	Rungs  []LadderRung `json:"rungs"`
}

func ladderCounts(measure string, l app.LadderRow, w domain.Window) bool {
	valid := l.ExpiryOn == "" || l.ExpiryOn >= w.To
	switch measure {
	case Holding:
		return valid
	case New:
		return l.StepOn >= w.From && valid
	case Expiring:
		if l.ExpiryOn == "" || l.ExpiryOn < w.To {
			return false
		}
		end, err := time.Parse(time.DateOnly, w.To)
		return err == nil && l.ExpiryOn <= end.AddDate(0, 0, 90).Format(time.DateOnly)
	}
	return false
}

// Ladder is the ladder figure; verified steps only count.
func (q Figures) Ladder(ctx context.Context, req Request) (LadderFigure, error) {
	var out LadderFigure
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, _ app.Scope) error {
		end, err := time.Parse(time.DateOnly, f.Window.To)
		if err != nil {
			return fmt.Errorf("ladder window: %w", err)
		}
		counts, err := r.LadderCounts(ctx, f, end.AddDate(0, 0, 90).Format(time.DateOnly))
		if err != nil {
			return err
		}
		out = LadderFigure{Window: windowOf(f)}
		for _, step := range domain.LadderRungs {
			rung := LadderRung{Step: step}
			for _, c := range counts {
				if c.Step == step {
					rung = LadderRung{Step: step, Companies: c.Holding, New: c.New, Expiring: c.Expiring}
				}
			}
			out.Rungs = append(out.Rungs, rung)
		}
		return nil
	})
	return out, err
}

// LadderRows are the verified steps behind one rung and measure that the
// caller may see.
func (q Figures) LadderRows(ctx context.Context, req Request, step, measure string) ([]app.LadderRow, error) {
	return app.Collect(func(fn func(app.LadderRow) error) error { return q.EachLadderRow(ctx, req, step, measure, fn) })
}

// EachLadderRow hands fn the ladder rows one at a time, as read.
func (q Figures) EachLadderRow(ctx context.Context, req Request, step, measure string, fn func(app.LadderRow) error) error {
	if err := oneOf("step", step, domain.LadderRungs); err != nil {
		return err
	}
	if measure == "" {
		measure = Holding
	}
	if err := oneOf("measure", measure, LadderMeasures); err != nil {
		return err
	}
	return q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		return r.EachLadderStep(ctx, f, func(l app.LadderRow) error {
			if l.Step != step || !ladderCounts(measure, l, f.Window) || !s.SeesAny(l.Carriers) {
				return nil
			}
			return fn(l)
		})
	})
}

// ------------------------------------------------------------ health --

// Report statuses of a resident company in the window.
const (
	Missing   = "missing"
	Submitted = "submitted"
	Accepted  = "accepted"
	Returned  = "returned"
)

// HealthRow is one report due from a resident company at one carrier:
// the period, its deadline, and the report's status.
type HealthRow struct {
	CarrierID   string `json:"carrier_id"`
	CarrierName string `json:"carrier_name"`
	CompanyID   string `json:"company_id"`
	CompanyName string `json:"company_name"`
	USCC        string `json:"uscc"`
	Period      string `json:"period"`
	DueOn       string `json:"due_on"`
	Status      string `json:"status"`
	ReportID    string `json:"report_id"`
	Revision    int    `json:"revision"`
	Overdue     bool   `json:"overdue"`
}

// CarrierHealth is one carrier's reporting in the window.
type CarrierHealth struct {
	CarrierID        string `json:"carrier_id"`
	CarrierName      string `json:"carrier_name"`
	Due              int    `json:"due"`
	Submitted        int    `json:"submitted"`
	Accepted         int    `json:"accepted"`
	Overdue          int    `json:"overdue"`
	MaterialsWaiting int    `json:"materials_waiting"`
}

// HealthFigure is reporting health: per carrier and for the region.
type HealthFigure struct {
	Window   Window          `json:"window"`
	Total    CarrierHealth   `json:"total"`
	Carriers []CarrierHealth `json:"carriers"`
}

// health builds a row for each report due in the window: for each
// residency, each period of its rule pack's cadence (quarterly without
// one) whose deadline (the pack's grace days after the period ends) falls
// in the window and in which it was in residence. Its status is that of
// the company's best revision for the period (accepted, else the
// latest); a company files one report a period, whichever carriers it
// lives in. Overdue: the deadline has passed and nothing was submitted.
func (q Figures) health(ctx context.Context, r app.Reader, f domain.Filter) ([]HealthRow, error) {
	res, err := r.Residencies(ctx, f)
	if err != nil {
		return nil, err
	}
	packs, err := r.RulePacks(ctx, f.RegionID)
	if err != nil {
		return nil, err
	}
	// Reports of the periods due in the window: those that ended up to a
	// year and a quarter before it, of every carrier.
	wide := f
	wide.CarrierID, wide.CarrierKind = "", ""
	if from, err := time.Parse(time.DateOnly, f.Window.From); err == nil {
		wide.Window.From = from.AddDate(-1, -3, 0).Format(time.DateOnly)
	}
	reps, err := r.ReportRevisions(ctx, wide, true)
	if err != nil {
		return nil, err
	}
	type key struct{ company, period string }
	best := map[key]app.ReportRow{}
	rank := func(s string) int { return map[string]int{Accepted: 3, Submitted: 2, Returned: 1}[s] }
	for _, rep := range reps {
		k := key{rep.CompanyID, rep.Period}
		cur, ok := best[k]
		if !ok || rank(rep.Status) > rank(cur.Status) || (rep.Status == cur.Status && rep.Revision > cur.Revision) {
			best[k] = rep
		}
	}
	today := q.today()
	var out []HealthRow
	for _, row := range res {
		pack, ok := packs[row.RulePackVersion]
		if !ok {
			pack = app.RulePackRecord{Cadence: domain.Quarterly, GraceDays: domain.DefaultReportGraceDays}
		}
		for _, p := range domain.DuePeriods(pack.Cadence, pack.GraceDays, f.Window, row.MovedInOn, row.EndedOn) {
			h := HealthRow{CarrierID: row.CarrierID, CarrierName: row.CarrierName, CompanyID: row.CompanyID, CompanyName: row.CompanyName, USCC: row.USCC,
				Period: p.Label, DueOn: p.DueOn, Status: Missing}
			if rep, ok := best[key{row.CompanyID, p.Label}]; ok {
				h.Status, h.ReportID, h.Revision = rep.Status, rep.ReportID, rep.Revision
			}
			h.Overdue = h.Status == Missing && p.DueOn < today
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b HealthRow) int {
		return cmp.Or(cmp.Compare(a.CarrierName, b.CarrierName), cmp.Compare(a.CarrierID, b.CarrierID), cmp.Compare(a.CompanyName, b.CompanyName),
			cmp.Compare(a.CompanyID, b.CompanyID), cmp.Compare(a.DueOn, b.DueOn))
	})
	return out, nil
}

// carrierLines are a figure's line per carrier of the filter that the
// caller sees, each begun by line, and the index of each carrier's line.
func carrierLines[T any](ctx context.Context, r app.Reader, f domain.Filter, s app.Scope, line func(app.CarrierRow) T) ([]T, map[string]int, error) {
	carriers, err := r.Carriers(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	out, idx := []T{}, map[string]int{}
	for _, c := range carriers {
		if s.Sees(c.CarrierID) {
			idx[c.CarrierID] = len(out)
			out = append(out, line(c))
		}
	}
	return out, idx, nil
}

// Health is the reporting health figure: the region's totals and a line
// per carrier the caller sees.
func (q Figures) Health(ctx context.Context, req Request) (HealthFigure, error) {
	var out HealthFigure
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		rows, err := q.health(ctx, r, f)
		if err != nil {
			return err
		}
		docs, err := r.WaitingDocuments(ctx, f)
		if err != nil {
			return err
		}
		lines, idx, err := carrierLines(ctx, r, f, s, func(c app.CarrierRow) CarrierHealth {
			return CarrierHealth{CarrierID: c.CarrierID, CarrierName: c.NameZH}
		})
		if err != nil {
			return err
		}
		out = HealthFigure{Window: windowOf(f), Carriers: lines}
		add := func(c string, fn func(h *CarrierHealth)) {
			fn(&out.Total)
			if i, ok := idx[c]; ok {
				fn(&out.Carriers[i])
			}
		}
		for _, h := range rows {
			add(h.CarrierID, func(ch *CarrierHealth) {
				ch.Due++
				if h.Status != Missing {
					ch.Submitted++
				}
				if h.Status == Accepted {
					ch.Accepted++
				}
				if h.Overdue {
					ch.Overdue++
				}
			})
		}
		for _, d := range docs {
			add(d.CarrierID, func(ch *CarrierHealth) { ch.MaterialsWaiting++ })
		}
		return nil
	})
	return out, err
}

// HealthRows are the resident companies behind the health figure that
// the caller may see.
func (q Figures) HealthRows(ctx context.Context, req Request) ([]HealthRow, error) {
	var out []HealthRow
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		rows, err := q.health(ctx, r, f)
		out = keep(rows, func(h HealthRow) bool { return s.Sees(h.CarrierID) })
		return err
	})
	return out, err
}
