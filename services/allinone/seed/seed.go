// Package seed writes a deterministic history of carriers, companies,
// residencies, reports and ladder steps through the gateway's own routes,
// so that every write goes through the services' command handlers and its
// events flow as in production (issue 10, "Data at scale"). The same tier
// and seed give the same history: every company's story is drawn from a
// random stream of its own (seed, index), so the workers' interleaving
// changes only the order of the writes, never what is written.
package seed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Tier is a size of history.
type Tier struct {
	Name      string
	Carriers  int
	Companies int
}

// Tiers are the sizes: D (district) and P (province); T is a tiny
// one for tests.
var Tiers = map[string]Tier{
	"T": {Name: "T", Carriers: 3, Companies: 30},
	"D": {Name: "D", Carriers: 50, Companies: 5000},
	"P": {Name: "P", Carriers: 2000, Companies: 200000},
}

// Region is the demo region the history is written into (SEED_DEMO).
const Region = "lixia"

// Logins used: the platform admin acts for every carrier's staff; the
// demo founder creates the companies and so is a member of each.
const (
	adminEmail   = "admin@incuchain.demo"
	founderEmail = "founder@lixia.demo"
	password     = "incuchain-demo"
)

// Quarters are the eight reporting periods of the history, fixed so that
// the history does not depend on the day it is written.
var Quarters = []string{"2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"}

// quarterStart is the first day of each of Quarters.
var quarterStart = []string{"2024-10-01", "2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01", "2026-04-01", "2026-07-01"}

// Counts is what a run wrote.
type Counts struct {
	Carriers, Companies, Residencies, Reports, Revisions, Accepted int64
	Promotions, Exits, LadderSteps, Verified                       int64
}

// chain is the order of carrier kinds a company climbs; concept centres
// and pilot bases host no residents but are carriers of the region.
var kinds = []string{"maker_space", "incubator", "accelerator", "science_park", "maker_space", "incubator", "concept_center", "pilot_base"}

var industries = []string{"I6510", "I6520", "M7320", "M7520", "C3911", "C2720", "I6420", "M7340"}

type carrier struct{ id, kind string }

// Run writes tier's history for seed through the gateway at base (a
// process started with SEED_DEMO). workers requests run at once.
func Run(ctx context.Context, base string, tier Tier, seed uint64, workers int, log *slog.Logger) (Counts, error) {
	var n Counts
	admin, err := login(ctx, base, adminEmail, password)
	if err != nil {
		return n, err
	}
	founder, err := login(ctx, base, founderEmail, password)
	if err != nil {
		return n, err
	}
	region, err := regionID(ctx, admin)
	if err != nil {
		return n, err
	}
	r := rand.New(rand.NewPCG(seed, 0))
	byKind := map[string][]carrier{}
	for i := range tier.Carriers {
		kind := kinds[i%len(kinds)]
		var out struct {
			ID string `json:"id"`
		}
		body := map[string]any{
			"kind": kind, "name_zh": fmt.Sprintf("种子%s载体%04d", tier.Name, i), "name_en": fmt.Sprintf("Seed %s carrier %04d", tier.Name, i),
			"address": "济南市历下区", "area_m2": float64(1000 + r.IntN(50)*500), "capacity": 20 + r.IntN(200),
			"focus_industries": []string{industries[r.IntN(len(industries))][:1]},
		}
		if err := admin.do(ctx, "POST", "/api/v1/regions/"+region+"/carriers", body, &out); err != nil {
			return n, fmt.Errorf("carrier %d: %w", i, err)
		}
		byKind[kind] = append(byKind[kind], carrier{out.ID, kind})
		n.Carriers++
	}
	if len(byKind["maker_space"]) == 0 || len(byKind["incubator"]) == 0 {
		return n, errors.New("seed: the tier needs at least a maker space and an incubator")
	}
	log.Info("seed: carriers written", "carriers", n.Carriers)

	w := &writer{admin: admin, founder: founder, region: region, byKind: byKind, seed: seed, tier: tier, n: &n}
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range max(workers, 1) {
		wg.Go(func() {
			for i := range jobs {
				if err := w.company(ctx, i); err != nil {
					errs <- fmt.Errorf("company %d: %w", i, err)
					cancel()
					return
				}
			}
		})
	}
	start := time.Now()
feed:
	for i := range tier.Companies {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
		if (i+1)%500 == 0 {
			log.Info("seed: companies", "done", i+1, "of", tier.Companies, "elapsed", time.Since(start).Round(time.Second))
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return n, err
	}
	return n, ctx.Err()
}

func regionID(ctx context.Context, c *client) (string, error) {
	var regions struct {
		Items []struct {
			ID   string `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	if err := c.do(ctx, "GET", "/api/v1/regions", nil, &regions); err != nil {
		return "", err
	}
	for _, r := range regions.Items {
		if r.Code == Region {
			return r.ID, nil
		}
	}
	return "", fmt.Errorf("seed: no region %q (start with SEED_DEMO)", Region)
}

type writer struct {
	admin, founder *client
	region         string
	byKind         map[string][]carrier
	seed           uint64
	tier           Tier
	n              *Counts
}

// next is the carrier kind a promotion leads to.
var next = map[string]string{"maker_space": "incubator", "incubator": "accelerator", "accelerator": "science_park"}

// company writes company i's story: created, offered a place at a maker
// space or incubator and accepted, moved in, a quarterly report from its
// admission on (some returned and revised, some left unreviewed), ladder
// steps, and for some a promotion up the chain or an exit.
func (w *writer) company(ctx context.Context, i int) error {
	r := rand.New(rand.NewPCG(w.seed, uint64(i)+1))
	var co struct {
		ID string `json:"id"`
	}
	if err := w.founder.do(ctx, "POST", "/api/v1/regions/"+w.region+"/companies", map[string]any{
		"name_zh": fmt.Sprintf("种子%s企业%06d", w.tier.Name, i), "industry_code": industries[r.IntN(len(industries))],
	}, &co); err != nil {
		return err
	}
	atomic.AddInt64(&w.n.Companies, 1)

	kind := "maker_space"
	if r.IntN(3) == 0 {
		kind = "incubator"
	}
	at := w.byKind[kind][r.IntN(len(w.byKind[kind]))]
	q := r.IntN(4) // admitted in one of the first four quarters
	admitted := quarterStart[q][:8] + fmt.Sprintf("%02d", 2+r.IntN(20))
	movedIn := admitted[:8] + fmt.Sprintf("%02d", 22+r.IntN(6))
	var offer struct {
		ID string `json:"id"`
	}
	if err := w.admin.retry(ctx, "POST", "/api/v1/carriers/"+at.id+"/enrolment-offers", map[string]any{"company_id": co.ID,
		"admitted_on": admitted, "moved_in_on": movedIn, "unit": fmt.Sprintf("%c-%d", 'A'+rune(r.IntN(6)), 1+r.IntN(300)),
		"area_m2": float64(20 + r.IntN(30)*10)}, &offer); err != nil {
		return err
	}
	var acc struct {
		Residency string `json:"residency_id"`
	}
	if err := w.founder.do(ctx, "POST", "/api/v1/enrolment-offers/"+offer.ID+"/accept", nil, &acc); err != nil {
		return err
	}
	atomic.AddInt64(&w.n.Residencies, 1)

	path := "/api/v1/companies/" + co.ID
	g := newGrowth(r)
	for p := q; p < len(Quarters); p++ {
		if err := w.report(ctx, r, g, path, p); err != nil {
			return err
		}
	}

	if err := w.founder.do(ctx, "POST", path+"/ladder", map[string]any{"step": "startup", "date": admitted}, nil); err != nil {
		return err
	}
	atomic.AddInt64(&w.n.LadderSteps, 1)
	if r.IntN(4) == 0 {
		date := quarterStart[q+1+r.IntN(4)][:8] + "15"
		if err := w.founder.do(ctx, "POST", path+"/ladder", map[string]any{"step": "tech_sme",
			"certificate_no": fmt.Sprintf("2026370102%08d", i), "date": date}, nil); err != nil {
			return err
		}
		atomic.AddInt64(&w.n.LadderSteps, 1)
		if r.IntN(5) != 0 {
			// Verifying needs a document of the company as evidence, rung
			// by rung: the founder uploads the certificate, and the park
			// verifies 创业企业 before 科技型中小企业 once incubatees has
			// learnt of the document (retry).
			for _, step := range []string{"startup", "tech_sme"} {
				var doc struct {
					ID string `json:"id"`
				}
				pdf := []byte(fmt.Sprintf("%%PDF-1.7\n%% %s certificate of company %d\n", step, i))
				if err := w.founder.uploadRetry(ctx, path+"/documents?type=other&filename="+step+".pdf", "application/pdf", pdf, &doc); err != nil {
					return err
				}
				if err := w.admin.retry(ctx, "POST", path+"/ladder/"+step+"/verify", map[string]any{"evidence_document_id": doc.ID}, nil); err != nil {
					return err
				}
				atomic.AddInt64(&w.n.Verified, 1)
			}
		}
	}

	switch roll := r.IntN(20); {
	case roll < 3 && len(w.byKind[next[kind]]) > 0: // promoted up the chain
		to := w.byKind[next[kind]][r.IntN(len(w.byKind[next[kind]]))]
		if err := w.admin.do(ctx, "POST", "/api/v1/residencies/"+acc.Residency+"/promotions", map[string]any{"to_carrier_id": to.id, "shared": []string{}}, nil); err != nil {
			return err
		}
		if err := w.founder.do(ctx, "POST", "/api/v1/residencies/"+acc.Residency+"/promotion/consent", nil, nil); err != nil {
			return err
		}
		if err := w.admin.retry(ctx, "POST", "/api/v1/residencies/"+acc.Residency+"/promotion/accept", nil, nil); err != nil {
			return err
		}
		atomic.AddInt64(&w.n.Promotions, 1)
	case roll < 5: // left
		on := quarterStart[4+r.IntN(4)][:8] + "20"
		if err := w.admin.do(ctx, "POST", "/api/v1/residencies/"+acc.Residency+"/exit", map[string]any{"reason": "经营调整", "on": on}, nil); err != nil {
			return err
		}
		atomic.AddInt64(&w.n.Exits, 1)
	}
	return nil
}

// report files one quarter's report: most are accepted, one in ten is
// returned and accepted as revised, one in twenty stays unreviewed.
func (w *writer) report(ctx context.Context, r *rand.Rand, g growth, path string, p int) error {
	period, m := Quarters[p], g.metrics(p, 0)
	if err := w.founder.do(ctx, "POST", path+"/reports", map[string]any{"period": period, "submit": true, "metrics": m}, nil); err != nil {
		return err
	}
	atomic.AddInt64(&w.n.Reports, 1)
	atomic.AddInt64(&w.n.Revisions, 1)
	roll := r.IntN(20)
	if roll == 0 {
		return nil
	}
	review := path + "/reports/" + period + "/review"
	if roll <= 2 {
		if err := w.admin.do(ctx, "POST", review, map[string]any{"decision": "return", "comment": "请核对研发费用"}, nil); err != nil {
			return err
		}
		if err := w.founder.do(ctx, "POST", path+"/reports/"+period+"/revisions", map[string]any{"submit": true, "metrics": g.metrics(p, 5+r.IntN(10))}, nil); err != nil {
			return err
		}
		atomic.AddInt64(&w.n.Revisions, 1)
	}
	if err := w.admin.do(ctx, "POST", review, map[string]any{"decision": "accept"}, nil); err != nil {
		return err
	}
	atomic.AddInt64(&w.n.Accepted, 1)
	return nil
}

func money(thousand int) map[string]any {
	return map[string]any{"value": thousand, "unit": "thousand_yuan"}
}

// growth is a company's figures: a base drawn once and a steady rise per
// quarter, so that no quarter jumps enough to need an explanation, and
// revenue at least twice R&D so a revised R&D (at most +15%) stays below it.
type growth struct {
	revenue, rd, taxes, profit, employees, filed int
	financing                                    bool
}

func newGrowth(r *rand.Rand) growth {
	return growth{revenue: 1000 + r.IntN(5000), rd: 50 + r.IntN(400), taxes: 20 + r.IntN(200), profit: 10 + r.IntN(300),
		employees: 5 + r.IntN(60), filed: r.IntN(5), financing: r.IntN(4) == 0}
}

// metrics is quarter p's Torch figures, in 千元, consistent by
// construction (financing rounds with an amount, graduates among the
// employees, grants no more than filings); a revision moves R&D by rev%.
func (g growth) metrics(p, rev int) map[string]any {
	up := func(v int) int { return v * (100 + 3*p) / 100 }
	financing, rounds := 0, 0
	if g.financing {
		financing, rounds = up(800), 1
	}
	employees := up(g.employees)
	return map[string]any{
		"revenue": money(up(g.revenue)), "net_profit": money(up(g.profit)), "rd_expenditure": money(up(g.rd) * (100 + rev) / 100),
		"taxes_paid": money(up(g.taxes)), "exports": money(0),
		"financing_amount": money(financing), "financing_rounds": rounds,
		"employees_total": employees, "employees_phd": employees / 10, "employees_college_plus": employees / 2, "employees_returnee": employees / 20,
		"new_graduates_hired": employees / 8, "ip_filed": g.filed, "ip_granted": g.filed / 2, "ip_valid_invention": g.filed, "ip_valid_software": g.filed + 1,
	}
}
