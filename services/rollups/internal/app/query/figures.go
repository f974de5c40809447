package query

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// Window is the period a figure covers.
type Window struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label"`
}

func windowOf(f domain.Filter) Window {
	return Window{From: f.Window.From, To: f.Window.To, Label: f.Window.Label}
}

// ---------------------------------------------------------- carriers --

// CarrierGroup is the carriers of one kind and status.
type CarrierGroup struct {
	Kind       string  `json:"kind"`
	Status     string  `json:"status"`
	Carriers   int     `json:"carriers"`
	Capacity   int     `json:"capacity"`
	Residents  int     `json:"residents"`
	AreaM2     float64 `json:"area_m2"`
	AreaUsedM2 float64 `json:"area_used_m2"`
}

// CarriersFigure is the carriers by kind and status with their totals.
type CarriersFigure struct {
	Window Window         `json:"window"`
	Total  CarrierGroup   `json:"total"`
	Groups []CarrierGroup `json:"groups"`
}

// Carriers is the carriers figure.
func (q Figures) Carriers(ctx context.Context, req Request) (CarriersFigure, error) {
	var out CarriersFigure
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, _ app.Scope) error {
		rows, err := r.Carriers(ctx, f)
		if err != nil {
			return err
		}
		out = CarriersFigure{Window: windowOf(f), Groups: []CarrierGroup{}}
		idx := map[[2]string]int{}
		for _, c := range rows {
			k := [2]string{c.Kind, c.Status}
			i, ok := idx[k]
			if !ok {
				i = len(out.Groups)
				idx[k] = i
				out.Groups = append(out.Groups, CarrierGroup{Kind: c.Kind, Status: c.Status})
			}
			addCarrier(&out.Groups[i], c)
			addCarrier(&out.Total, c)
		}
		return nil
	})
	return out, err
}

func addCarrier(g *CarrierGroup, c app.CarrierRow) {
	g.Carriers++
	g.Capacity += c.Capacity
	g.Residents += c.Residents
	g.AreaM2 += c.AreaM2
	g.AreaUsedM2 += c.AreaUsedM2
}

// CarrierRows are the carriers behind the figure the caller may see.
func (q Figures) CarrierRows(ctx context.Context, req Request) ([]app.CarrierRow, error) {
	return app.Collect(func(fn func(app.CarrierRow) error) error { return q.EachCarrierRow(ctx, req, fn) })
}

// EachCarrierRow hands fn the carrier rows one at a time, as read.
func (q Figures) EachCarrierRow(ctx context.Context, req Request, fn func(app.CarrierRow) error) error {
	return q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		return r.EachCarrier(ctx, f, func(c app.CarrierRow) error {
			if !s.Sees(c.CarrierID) {
				return nil
			}
			return fn(c)
		})
	})
}

// ------------------------------------------------------- residencies --

// Residency measures: what a residency counts as in a window.
const (
	InResidence = "in_residence"
	Admitted    = "admitted"
	MovedIn     = "moved_in"
	Graduated   = "graduated"
	Exited      = "exited"
	Promoted    = "promoted"
	PastTerm    = "past_term"
)

// Measures lists the residency measures in the order the figure shows them.
var Measures = []string{InResidence, Admitted, MovedIn, Graduated, Exited, Promoted, PastTerm}

// counts reports whether residency r counts as measure m in window w.
func counts(m string, r app.ResidencyRow, w domain.Window) bool {
	within := func(d string) bool { return d != "" && d >= w.From && d <= w.To }
	in := r.MovedInOn != "" && r.MovedInOn <= w.To && (r.EndedOn == "" || r.EndedOn > w.To)
	switch m {
	case InResidence:
		return in
	case Admitted:
		return within(r.AdmittedOn)
	case MovedIn:
		return within(r.MovedInOn)
	case Graduated, Exited, Promoted:
		return r.Status == m && within(r.EndedOn)
	case PastTerm:
		return in && r.TermEndOn != "" && r.TermEndOn < w.To
	}
	return false
}

// PromotionFlow is how many companies moved from one kind of carrier to
// another in the window.
type PromotionFlow struct {
	FromKind  string `json:"from_kind"`
	ToKind    string `json:"to_kind"`
	Companies int    `json:"companies"`
}

// FlowsFigure is the residency flows of the window, each company counted
// once whatever number of carriers list it.
type FlowsFigure struct {
	Window     Window          `json:"window"`
	Companies  map[string]int  `json:"companies"`
	Promotions []PromotionFlow `json:"promotions"`
}

// Flows is the residency flows figure, counted by the database with the
// rules counts applies to the drill-down's rows.
func (q Figures) Flows(ctx context.Context, req Request) (FlowsFigure, error) {
	var out FlowsFigure
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, _ app.Scope) error {
		c, err := r.FlowCounts(ctx, f)
		if err != nil {
			return err
		}
		out = FlowsFigure{Window: windowOf(f), Companies: map[string]int{}, Promotions: []PromotionFlow{}}
		for _, m := range Measures {
			out.Companies[m] = c.Companies[m]
		}
		for _, p := range c.Promotions {
			out.Promotions = append(out.Promotions, PromotionFlow{FromKind: p.FromKind, ToKind: p.ToKind, Companies: p.Companies})
		}
		slices.SortFunc(out.Promotions, func(a, b PromotionFlow) int {
			return cmp.Or(cmp.Compare(chainIndex(a.FromKind), chainIndex(b.FromKind)), cmp.Compare(chainIndex(a.ToKind), chainIndex(b.ToKind)))
		})
		return nil
	})
	return out, err
}

func chainIndex(kind string) int {
	if i := slices.Index(domain.CarrierKinds, kind); i >= 0 {
		return i
	}
	return len(domain.CarrierKinds)
}

// ResidencyRows are the residencies behind one measure of the flows
// figure that the caller may see.
func (q Figures) ResidencyRows(ctx context.Context, req Request, measure string) ([]app.ResidencyRow, error) {
	return app.Collect(func(fn func(app.ResidencyRow) error) error { return q.EachResidencyRow(ctx, req, measure, fn) })
}

// EachResidencyRow hands fn the residency rows one at a time, as read.
func (q Figures) EachResidencyRow(ctx context.Context, req Request, measure string, fn func(app.ResidencyRow) error) error {
	if err := oneOf("measure", measure, Measures); err != nil {
		return err
	}
	return q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		return r.EachResidency(ctx, f, func(row app.ResidencyRow) error {
			if !s.Sees(row.CarrierID) || !counts(measure, row, f.Window) {
				return nil
			}
			return fn(row)
		})
	})
}

// oneOf refuses a value that is not among allowed.
func oneOf(field, v string, allowed []string) error {
	return apperr.NewValidation("invalid-filter").Check(!slices.Contains(allowed, v), field, "one_of", "allowed", joined(allowed)).Err()
}

func joined(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func keep[T any](xs []T, ok func(T) bool) []T {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

// --------------------------------------------------------- conflicts --

// ConflictCarrier is one of the carriers a company resides in at once.
type ConflictCarrier struct {
	CarrierID   string `json:"carrier_id"`
	CarrierName string `json:"carrier_name"`
	ResidencyID string `json:"residency_id"`
}

// Conflict is one company (by USCC) in residence at several carriers at
// the window's end; region totals count it once.
type Conflict struct {
	CompanyKey  string            `json:"company_key"`
	CompanyID   string            `json:"company_id"`
	CompanyName string            `json:"company_name"`
	USCC        string            `json:"uscc"`
	Carriers    []ConflictCarrier `json:"carriers"`
}

// Conflicts lists the companies resident at two carriers or more at once,
// those that involve a carrier the caller sees.
func (q Figures) Conflicts(ctx context.Context, req Request) ([]Conflict, error) {
	var out []Conflict
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		wide := f
		wide.CarrierID, wide.CarrierKind = "", ""
		rows, err := r.Residencies(ctx, wide)
		if err != nil {
			return err
		}
		byKey := map[string]*Conflict{}
		var keys []string
		for _, row := range rows {
			if !counts(InResidence, row, f.Window) {
				continue
			}
			c := byKey[row.CompanyKey()]
			if c == nil {
				c = &Conflict{CompanyKey: row.CompanyKey(), CompanyID: row.CompanyID, CompanyName: row.CompanyName, USCC: row.USCC}
				byKey[row.CompanyKey()] = c
				keys = append(keys, row.CompanyKey())
			}
			c.Carriers = append(c.Carriers, ConflictCarrier{CarrierID: row.CarrierID, CarrierName: row.CarrierName, ResidencyID: row.ResidencyID})
		}
		slices.Sort(keys)
		out = []Conflict{}
		for _, k := range keys {
			c := byKey[k]
			ids := make([]string, len(c.Carriers))
			for i, cc := range c.Carriers {
				ids[i] = cc.CarrierID
			}
			if len(slices.Compact(slices.Sorted(slices.Values(ids)))) < 2 || !s.SeesAny(ids) {
				continue
			}
			if (f.CarrierID != "" && !slices.Contains(ids, f.CarrierID)) || (f.CarrierKind != "" && !anyKind(rows, c, f.CarrierKind)) {
				continue
			}
			out = append(out, *c)
		}
		return nil
	})
	return out, err
}

func anyKind(rows []app.ResidencyRow, c *Conflict, kind string) bool {
	for _, cc := range c.Carriers {
		for _, r := range rows {
			if r.ResidencyID == cc.ResidencyID && r.CarrierKind == kind {
				return true
			}
		}
	}
	return false
}

// today is the service's clock as a date.
func (q Figures) today() string { return calendar.Date(q.now()) }

// All is every figure of a region for a filter.
type All struct {
	Carriers   CarriersFigure   `json:"carriers"`
	Flows      FlowsFigure      `json:"residencies"`
	Funnel     FunnelFigure     `json:"funnel"`
	Ladder     LadderFigure     `json:"ladder"`
	Reports    ReportsFigure    `json:"reports"`
	Health     HealthFigure     `json:"health"`
	Milestones MilestonesFigure `json:"milestones"`
	Conflicts  []Conflict       `json:"conflicts"`
}

// All answers every figure.
func (q Figures) All(ctx context.Context, req Request) (All, error) {
	var out All
	var err error
	for _, step := range []func() error{
		func() error { out.Carriers, err = q.Carriers(ctx, req); return err },
		func() error { out.Flows, err = q.Flows(ctx, req); return err },
		func() error { out.Funnel, err = q.Funnel(ctx, req); return err },
		func() error { out.Ladder, err = q.Ladder(ctx, req); return err },
		func() error { out.Reports, err = q.Reports(ctx, req); return err },
		func() error { out.Health, err = q.Health(ctx, req); return err },
		func() error { out.Milestones, err = q.Milestones(ctx, req); return err },
		func() error { out.Conflicts, err = q.Conflicts(ctx, req); return err },
	} {
		if err := step(); err != nil {
			return All{}, err
		}
	}
	return out, nil
}

// AllJSON is All of the region for period, as JSON, for the service
// itself: what a snapshot freezes and a diff compares.
func (q Figures) AllJSON(ctx context.Context, regionID, period string) (json.RawMessage, error) {
	all, err := q.System().All(ctx, Request{RegionID: regionID, Filter: FilterInput{Period: period}})
	if err != nil {
		return nil, err
	}
	return json.Marshal(all)
}
