package rollups

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
)

// benchTier is a dataset size of issue 10's benchmarks.
type benchTier struct {
	Name                string
	Carriers, Companies int
}

var (
	tierD = benchTier{Name: "D", Carriers: 50, Companies: 5_000}
	tierP = benchTier{Name: "P", Carriers: 2_000, Companies: 200_000}
)

// benchQuarters are the eight quarters of the synthetic history; the
// figures are asked for the last.
var benchQuarters = []string{"2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"}

const (
	benchPeriod  = "2026-Q3"
	benchHorizon = "2026-09-30" // the history's last day
)

var benchChain = []string{"maker_space", "incubator", "accelerator", "science_park"}

func quarterStart(i int) time.Time {
	return time.Date(2024, time.October, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 3*i, 0)
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// benchHistory is a deterministic synthetic history of one region at a
// tier's size, told as the events parks and incubatees publish: carriers;
// companies (one in ten a team without a USCC yet); residencies admitted,
// moved in, then graduated, exited or promoted up the chain into a new
// residency; quarterly reports with revisions and reviews (accepted,
// returned and revised, or left waiting); claimed and verified ladder
// steps. The seed package's generator writes through the gateway's HTTP
// routes and is far too slow for tier P, hence this one.
//
// emit receives each event in the order it happened; its stamps increase
// in that order.
type benchHistory struct {
	tier   benchTier
	rnd    *rand.Rand
	region string
	clock  time.Time
	seq    int
	emit   func(events.Envelope) error
	// carriers by chain kind.
	carriers map[string][]benchCarrier
	// Events counts what was emitted.
	Events int
}

type benchCarrier struct {
	id, kind string
	order    int
}

func newBenchHistory(tier benchTier, seed uint64, emit func(events.Envelope) error) *benchHistory {
	return &benchHistory{tier: tier, rnd: rand.New(rand.NewPCG(seed, 0x1c0b)), region: "benchregion",
		clock: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), emit: emit, carriers: map[string][]benchCarrier{}}
}

func (h *benchHistory) put(scope events.Scope, agg string, p events.Payload) error {
	ev, err := events.New(scope, "system", agg, p)
	if err != nil {
		return err
	}
	// Deterministic ids and strictly increasing stamps: a replay of the
	// same seed is the same history.
	h.seq++
	ev.ID = fmt.Sprintf("benchev%09d", h.seq)
	ev.OccurredAt = h.clock.Add(time.Duration(h.seq) * time.Millisecond)
	ev.Source = events.Service(ev.Type)
	h.Events++
	return h.emit(ev)
}

// Run emits the whole history.
func (h *benchHistory) Run() error {
	if err := h.put(events.Scope{RegionID: h.region}, h.region, events.RegionCreatedV1{RegionID: h.region, Code: "bench", NameZH: "基准区"}); err != nil {
		return err
	}
	for i := range h.tier.Carriers {
		c := benchCarrier{id: fmt.Sprintf("benchca%05d", i), kind: benchChain[i%len(benchChain)], order: i%len(benchChain) + 1}
		h.carriers[c.kind] = append(h.carriers[c.kind], c)
		if err := h.put(events.Scope{RegionID: h.region, CarrierID: c.id}, c.id, events.CarrierCreatedV1{CarrierV1: events.CarrierV1{
			CarrierID: c.id, RegionID: h.region, Kind: c.kind, ChainOrder: c.order, NameZH: fmt.Sprintf("载体%05d", i), Status: "active",
			Capacity: 100 + h.rnd.IntN(400), AreaM2: float64(1000 + h.rnd.IntN(20000))}}); err != nil {
			return err
		}
	}
	for i := range h.tier.Companies {
		if err := h.company(i); err != nil {
			return err
		}
	}
	return nil
}

// stay is one residency of a company as it ends in the history.
type stay struct {
	res   events.ResidencyV1
	endOn string
}

func (h *benchHistory) company(i int) error {
	id := fmt.Sprintf("benchco%06d", i)
	uscc := ""
	if h.rnd.IntN(10) > 0 {
		uscc = fmt.Sprintf("91370102%010d", i)
	}
	region := events.Scope{RegionID: h.region}
	if err := h.put(region, id, events.CompanyRegisteredV1{CompanyV1: events.CompanyV1{CompanyID: id, RegionID: h.region, USCC: uscc,
		NameZH: fmt.Sprintf("企业%06d", i), IndustryCode: []string{"I6510", "M7320", "C3900", "C2700"}[h.rnd.IntN(4)]}}); err != nil {
		return err
	}
	horizon, _ := time.Parse(time.DateOnly, benchHorizon)
	kind := benchChain[h.rnd.IntN(3)] // enters at one of the first three links
	q := h.rnd.IntN(len(benchQuarters))
	admitted := quarterStart(q).AddDate(0, 0, h.rnd.IntN(60))
	var stays []stay
	for n := 0; ; n++ {
		cs := h.carriers[kind]
		c := cs[h.rnd.IntN(len(cs))]
		r := events.ResidencyV1{ResidencyID: fmt.Sprintf("%sr%d", id, n), CompanyID: id, USCC: uscc, RegionID: h.region, CarrierID: c.id,
			CarrierKind: c.kind, ChainOrder: c.order, Status: "admitted", AdmittedOn: day(admitted), AreaM2: float64(20 + h.rnd.IntN(200)),
			TermEndOn: day(admitted.AddDate(3, 0, 0))}
		at := events.Scope{RegionID: h.region, CarrierID: c.id}
		if err := h.put(at, r.ResidencyID, events.ResidencyAdmittedV1{ResidencyV1: r}); err != nil {
			return err
		}
		movedIn := admitted.AddDate(0, 0, 5+h.rnd.IntN(20))
		if movedIn.After(horizon) {
			stays = append(stays, stay{res: r})
			break
		}
		r.Status, r.MovedInOn = "in_residence", day(movedIn)
		if err := h.put(at, r.ResidencyID, events.ResidencyMovedInV1{ResidencyV1: r}); err != nil {
			return err
		}
		ended := movedIn.AddDate(0, 0, 60+h.rnd.IntN(400))
		fate := h.rnd.IntN(100)
		if ended.After(horizon) || fate >= 45 {
			stays = append(stays, stay{res: r})
			break
		}
		r.EndedOn = day(ended)
		switch {
		case fate < 15:
			r.Status = "graduated"
			err := h.put(at, r.ResidencyID, events.ResidencyGraduatedV1{ResidencyV1: r})
			stays = append(stays, stay{res: r, endOn: r.EndedOn})
			return h.afterStays(id, uscc, stays, err)
		case fate < 25 || c.order == len(benchChain):
			r.Status = "exited"
			err := h.put(at, r.ResidencyID, events.ResidencyExitedV1{ResidencyV1: r})
			stays = append(stays, stay{res: r, endOn: r.EndedOn})
			return h.afterStays(id, uscc, stays, err)
		}
		next := benchChain[c.order] // the next link of the chain
		to := h.carriers[next][h.rnd.IntN(len(h.carriers[next]))]
		r.Status = "promoted"
		if err := h.put(at, r.ResidencyID, events.ResidencyPromotedV1{ResidencyV1: r, ToCarrierID: to.id, ToResidencyID: fmt.Sprintf("%sr%d", id, n+1)}); err != nil {
			return err
		}
		stays = append(stays, stay{res: r, endOn: r.EndedOn})
		kind, admitted = next, ended
	}
	return h.afterStays(id, uscc, stays, nil)
}

// afterStays emits the company's reports (one per quarter it resided at
// the quarter's end) and its ladder steps.
func (h *benchHistory) afterStays(id, uscc string, stays []stay, err error) error {
	if err != nil {
		return err
	}
	region := events.Scope{RegionID: h.region}
	for q, period := range benchQuarters {
		end := day(quarterStart(q+1).AddDate(0, 0, -1))
		var carriers []string
		for _, s := range stays {
			if s.res.MovedInOn != "" && s.res.MovedInOn <= end && (s.endOn == "" || s.endOn > end) {
				carriers = append(carriers, s.res.CarrierID)
			}
		}
		if len(carriers) == 0 {
			continue
		}
		rep := fmt.Sprintf("%s%s", id, strings.ReplaceAll(period, "-", ""))
		m := func() map[string]int64 {
			return map[string]int64{"rd_expenditure": int64(h.rnd.IntN(2_000_000)), "revenue": int64(h.rnd.IntN(20_000_000)),
				"taxes_paid": int64(h.rnd.IntN(500_000)), "employees_total": int64(3 + h.rnd.IntN(120)), "ip_filed": int64(h.rnd.IntN(5)),
				"ip_granted": int64(h.rnd.IntN(3)), "financing_amount": int64(h.rnd.IntN(4) / 3 * h.rnd.IntN(10_000_000))}
		}
		v1 := events.MetricsV1{ReportID: rep, CompanyID: id, RegionID: h.region, CarrierIDs: carriers, Period: period, Cadence: "quarterly",
			Revision: 1, MoneyUnit: "yuan", Metrics: m()}
		if err := h.put(region, rep, events.MetricsReportedV1{MetricsV1: v1}); err != nil {
			return err
		}
		review := func(rev int, status, decision string) error {
			return h.put(region, rep, events.MetricsReviewedV1{ReportID: rep, CompanyID: id, RegionID: h.region, CarrierID: carriers[0],
				Period: period, Revision: rev, Decision: decision, Status: status})
		}
		switch k := h.rnd.IntN(100); {
		case k < 70:
			err = review(1, "accepted", "accept")
		case k < 88:
			if err = review(1, "returned", "return"); err != nil {
				return err
			}
			v2 := v1
			v2.Revision, v2.Metrics = 2, m()
			if err = h.put(region, rep, events.MetricsRevisedV1{MetricsV1: v2, PreviousRevision: 1}); err != nil {
				return err
			}
			if k < 84 {
				err = review(2, "accepted", "accept")
			}
		}
		if err != nil {
			return err
		}
	}
	// Ladder: about 30 % hold 科技型中小企业 (yearly), 8 % 高新技术企业
	// (three years), 1 % 领军企业.
	steps := []struct {
		step  string
		share int
		years int
	}{{"tech_sme", 30, 1}, {"high_tech", 8, 3}, {"leading", 1, 3}}
	for n, s := range steps {
		if h.rnd.IntN(100) >= s.share {
			continue
		}
		// A step is claimed through the park: after the company's first
		// admission, within the history.
		first, _ := time.Parse(time.DateOnly, stays[0].res.AdmittedOn)
		horizon, _ := time.Parse(time.DateOnly, benchHorizon)
		on := first.AddDate(0, 0, h.rnd.IntN(int(horizon.Sub(first).Hours()/24)+1))
		l := events.LadderStepV1{EntryID: fmt.Sprintf("%sl%d", id, n), CompanyID: id, RegionID: h.region, Step: s.step,
			CertificateNo: fmt.Sprintf("C%s%d", id, n), Date: day(on), Expiry: day(on.AddDate(s.years, 0, 0)), Status: "claimed"}
		if err := h.put(region, l.EntryID, events.LadderStepRecordedV1{LadderStepV1: l}); err != nil {
			return err
		}
		if h.rnd.IntN(10) < 9 {
			l.Status = "verified"
			if err := h.put(region, l.EntryID, events.LadderStepVerifiedV1{LadderStepV1: l, VerifiedBy: "bench"}); err != nil {
				return err
			}
		}
	}
	return nil
}
