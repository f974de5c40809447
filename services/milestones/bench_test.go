package milestones

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app/command"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// Benchmark dataset: 5,000 residencies (in residence) with 10 milestones
// each across 50 carriers of the fixture's region — 100 residents and
// 1,000 milestones per carrier; due dates spread over 400 days around
// today, so 5% are overdue and 2% due within the week.
const (
	benchResidencies = 5000
	benchPerPlan     = 10
	benchCarriers    = 50
)

// seedBench writes the dataset straight into the tables (the use cases
// would take minutes to plan it one by one) and answers today.
func seedBench(b *testing.B, h *harness) time.Time {
	b.Helper()
	ctx := context.Background()
	today := calendar.Today(h.clock.Now())
	carriers := []string{h.IDs["X"]}
	var carrierRows []map[string]any
	for i := 1; i < benchCarriers; i++ {
		id := events.NewID()
		carriers = append(carriers, id)
		carrierRows = append(carrierRows, map[string]any{"id": id, "region_id": h.IDs["lixia"], "kind": "incubator", "name_zh": fmt.Sprintf("孵化器%02d", i), "name_en": ""})
	}
	// insert writes rows into table in one transaction (bun inserts a
	// map at a time).
	insert := func(table string, rows []map[string]any) {
		err := h.svc.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, r := range rows {
				if _, err := tx.NewInsert().Model(&r).TableExpr(table).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	insert("carriers", carrierRows)
	now := h.clock.Now()
	var plans, ms []map[string]any
	flush := func() {
		insert("plans", plans)
		insert("milestones", ms)
		plans, ms = nil, nil
	}
	for i := range benchResidencies {
		rid, co, carrier := events.NewID(), events.NewID(), carriers[i%benchCarriers]
		plans = append(plans, map[string]any{"residency_id": rid, "company_id": co, "region_id": h.IDs["lixia"], "carrier_id": carrier,
			"carrier_kind": "incubator", "chain_order": 2, "stage": int(domain.StageMovedIn), "admitted_on": movedIn.Format(time.DateOnly),
			"moved_in_on": movedIn.Format(time.DateOnly), "ended_on": "", "outcome": "", "to_residency_id": "", "template_id": "", "template_version": 0,
			"updated_at": now})
		for j := range benchPerPlan {
			due := today.AddDate(0, 0, (i*benchPerPlan+j)%400-20)
			ms = append(ms, map[string]any{"id": events.NewID(), "residency_id": rid, "company_id": co, "region_id": h.IDs["lixia"], "carrier_id": carrier,
				"position": j, "title_zh": fmt.Sprintf("目标%d", j), "title_en": "", "category": "other", "criteria": "", "target_value": nil, "target_unit": "",
				"evidence_types": "[]", "due_on": due.Format(time.DateOnly), "owner_id": "", "state": "planned", "percent": nil, "figure_value": nil,
				"figure_unit": "", "evidence": "[]", "authors": "[]", "created_at": now, "updated_at": now})
		}
		if len(ms) >= 2000 {
			flush()
		}
	}
	flush()
	return today
}

// BenchmarkDeadlineScan5000x10 times one full deadline scan (every
// reminder due today sent, each with its event in the transaction of its
// row) over the dataset, committing one reminder per transaction (as the
// scan did first) and the default DefaultRemindersPerTx; each iteration
// starts with no reminder sent.
func BenchmarkDeadlineScan5000x10(b *testing.B) {
	for _, d := range dbtest.Dialects() {
		b.Run(d, func(b *testing.B) {
			h := newHarness(b, d)
			seedBench(b, h)
			ctx := context.Background()
			for _, perTx := range []int{1, command.DefaultRemindersPerTx} {
				b.Run(fmt.Sprintf("per_tx=%d", perTx), func(b *testing.B) {
					scan := h.svc.cq.Commands.ScanDeadlines.PerTransaction(perTx)
					sent := 0
					for b.Loop() {
						b.StopTimer()
						if _, err := h.svc.DB.NewDelete().TableExpr("milestone_reminders").Where("1 = 1").Exec(ctx); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
						n, err := scan.Handle(ctx)
						if err != nil {
							b.Fatal(err)
						}
						sent = n
					}
					b.ReportMetric(float64(sent), "reminders/scan")
					b.ReportMetric(float64(benchResidencies*benchPerPlan), "milestones")
				})
			}
		})
	}
}

// BenchmarkOverdueBoard5000x10 times the overdue board of one carrier
// (100 residents, 1,000 milestones, 250 of them overdue) over HTTP as its
// operator: the first page of 20, oldest due first, with the total.
func BenchmarkOverdueBoard5000x10(b *testing.B) {
	for _, d := range dbtest.Dialects() {
		b.Run(d, func(b *testing.B) {
			h := newHarness(b, d)
			seedBench(b, h)
			path := "/api/v1/carriers/" + h.IDs["X"] + "/milestones?overdue=true&page_size=20"
			total := 0
			for b.Loop() {
				r := h.Do("operator@lixia.demo", "GET", path, nil)
				if r.Status != 200 {
					b.Fatalf("board: %d %s", r.Status, r.Body)
				}
				var p pageJSON
				r.Decode(b, &p)
				total = p.Total
			}
			b.ReportMetric(float64(total), "overdue")
			b.ReportMetric(float64(benchResidencies*benchPerPlan), "milestones")
		})
	}
}
