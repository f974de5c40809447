package milestones

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/milestones/internal/adapters"
	"github.com/incuchain/incuchain/services/milestones/internal/app/command"
	"github.com/incuchain/incuchain/services/milestones/internal/service"
)

// deadlineWorld moves the clock a month on, to now, plans milestones in
// every fixture residency with due dates spread around that day, and
// answers how many due-soon reminders and overdue notices the day calls
// for (counted here from the dates, not by the code under test).
func deadlineWorld(t *testing.T, h *harness) (now time.Time, dueSoon, overdue int) {
	t.Helper()
	now = h.clock.Now().AddDate(0, 1, 0)
	h.clock.Set(now)
	today := calendar.Today(now)
	for _, res := range []string{"resA", "resB", "resC"} {
		for _, offset := range []int{-20, -3, -1, 0, 2, 7, 8, 30} {
			due := today.AddDate(0, 0, offset)
			h.must(201, h.Do("admin@incuchain.demo", "POST", "/api/v1/residencies/"+h.IDs[res]+"/milestones", map[string]any{
				"title_zh": "期限目标", "category": "other", "due_on": due.Format(time.DateOnly)}), "plan "+res)
			switch {
			case offset < 0:
				overdue++
			case offset <= 7:
				dueSoon++
			}
		}
	}
	// One overdue milestone that is verified and one waived: never reminded.
	for _, final := range []string{"verify", "waive"} {
		r := h.must(201, h.Do("admin@incuchain.demo", "POST", "/api/v1/residencies/"+h.IDs["resA"]+"/milestones", map[string]any{
			"title_zh": "已了结", "category": "other", "due_on": today.AddDate(0, 0, -5).Format(time.DateOnly)}), "plan final")
		var m struct {
			ID string `json:"id"`
		}
		r.Decode(t, &m)
		if final == "waive" {
			h.must(200, h.Do("operator@lixia.demo", "POST", "/api/v1/milestones/"+m.ID+"/waive", map[string]any{"reason": "不再适用"}), "waive")
			continue
		}
		h.must(201, h.Do("founder@lixia.demo", "POST", "/api/v1/milestones/"+m.ID+"/updates", map[string]any{"text": "完成"}), "progress")
		h.must(200, h.Do("founder@lixia.demo", "POST", "/api/v1/milestones/"+m.ID+"/submit", nil), "submit")
		h.must(200, h.Do("operator@lixia.demo", "POST", "/api/v1/milestones/"+m.ID+"/verify", map[string]any{}), "verify")
	}
	return now, dueSoon, overdue
}

// replica is another process of the service on the same database: its
// own connection pool and its own use cases, as after a restart or on a
// second pod.
func replica(t *testing.T, h *harness) service.Application {
	t.Helper()
	return service.NewApplication(replicaStore(t, h), h.svc.Enforcer, h.clock.Now, service.Settings{DueSoonDays: 7})
}

func replicaStore(t *testing.T, h *harness) *adapters.Store {
	t.Helper()
	bdb, err := db.Open(context.Background(), db.Config{DSN: h.cfg.DB, Schema: h.cfg.Schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	return adapters.NewStore(bdb, nil)
}

func (h *harness) reminders() (dueSoon, overdue int) {
	got := h.outboxTypes()
	return got[events.MilestoneDueSoon], got[events.MilestoneOverdue]
}

// A scan stopped half-way (the process dies after some transactions of
// reminders have committed) and run again after the restart sends each
// reminder once. Reminders commit four to a transaction here: the crash
// comes after the second transaction, so eight went out, with their rows.
func TestDeadlineScanAcrossARestart(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		today, wantSoon, wantOverdue := deadlineWorld(t, h)

		ctx, crash := context.WithCancel(context.Background())
		var sent atomic.Int32
		first := replica(t, h).Commands.ScanDeadlines.PerTransaction(4).OnSent(func(string, string) {
			if sent.Add(1) == 5 {
				crash()
			}
		})
		n, err := first.Handle(ctx)
		if !errors.Is(err, context.Canceled) || n != 8 {
			t.Fatalf("interrupted scan: sent %d, err %v; want 8 (two transactions of 4)", n, err)
		}
		if soon, over := h.reminders(); soon+over != 8 {
			t.Fatalf("after the crash: %d due-soon + %d overdue in the outbox, want 8", soon, over)
		}
		if rows := h.count("milestone_reminders", ""); rows != 8 {
			t.Fatalf("after the crash: %d reminder rows, want 8", rows)
		}
		n, err = replica(t, h).Commands.ScanDeadlines.PerTransaction(3).Handle(context.Background())
		if err != nil || n != wantSoon+wantOverdue-8 {
			t.Fatalf("scan after restart: sent %d, err %v; want %d", n, err, wantSoon+wantOverdue-8)
		}
		if soon, over := h.reminders(); soon != wantSoon || over != wantOverdue {
			t.Fatalf("reminders %d due-soon, %d overdue; want %d, %d", soon, over, wantSoon, wantOverdue)
		}
		// The same day again: nothing more.
		if n, err := h.svc.ScanDeadlines(context.Background()); err != nil || n != 0 {
			t.Fatalf("second scan the same day: %d, %v", n, err)
		}
		// Three days later the milestones due within 2 days are overdue:
		// each gets its overdue notice once; 8 days out is now due soon.
		h.clock.Set(today.AddDate(0, 0, 3))
		n, err = h.svc.ScanDeadlines(context.Background())
		// offsets 0 and 2 turn overdue (2 per residency × 3), offsets 8
		// and 30 do not; 8 falls within 7 days (3 due-soon).
		if err != nil || n != 6+3 {
			t.Fatalf("scan three days later: %d, %v; want 9", n, err)
		}
		if n, _ := h.svc.ScanDeadlines(context.Background()); n != 0 {
			t.Fatalf("repeat scan three days later sent %d", n)
		}
	})
}

// Two replicas scanning the same database at the same time send each
// reminder once, with or without the lock (the lock only saves work).
func TestDeadlineScanOnTwoReplicas(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		_, wantSoon, wantOverdue := deadlineWorld(t, h)

		// Small batches, of different sizes, so the replicas page through
		// the due milestones side by side, and transactions of different
		// sizes, so one's commit may cover reminders the other waits on.
		scans := []command.ScanDeadlinesHandler{command.NewScanDeadlinesHandler(replicaStore(t, h), h.clock.Now, 7, 3).PerTransaction(2),
			command.NewScanDeadlinesHandler(replicaStore(t, h), h.clock.Now, 7, 5).PerTransaction(5)}
		var wg sync.WaitGroup
		sent := make([]int, len(scans))
		errs := make([]error, len(scans))
		start := make(chan struct{})
		for i, s := range scans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				sent[i], errs[i] = s.Handle(context.Background())
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("replica %d: %v", i, err)
			}
		}
		if sent[0]+sent[1] != wantSoon+wantOverdue {
			t.Fatalf("replicas sent %d + %d, want %d in all", sent[0], sent[1], wantSoon+wantOverdue)
		}
		if soon, over := h.reminders(); soon != wantSoon || over != wantOverdue {
			t.Fatalf("reminders %d due-soon, %d overdue; want %d, %d", soon, over, wantSoon, wantOverdue)
		}
		if rows := h.count("milestone_reminders", ""); rows != wantSoon+wantOverdue {
			t.Fatalf("reminder rows %d", rows)
		}
		// The overdue board and the district's counts agree with the scan.
		board := h.page("operator@lixia.demo", "/api/v1/carriers/"+h.IDs["X"]+"/milestones?overdue=true&page_size=100")
		if board.Total != wantOverdue/3 {
			t.Fatalf("overdue board at X: %d, want %d", board.Total, wantOverdue/3)
		}
		for _, m := range board.Items {
			if !m.Overdue {
				t.Fatalf("board item not overdue: %+v", m)
			}
		}
		var counts struct {
			Items []struct {
				CarrierID string `json:"carrier_id"`
				Overdue   int    `json:"overdue"`
				Total     int    `json:"total"`
				Verified  int    `json:"verified"`
			} `json:"items"`
		}
		h.must(200, h.Do("officer@lixia.demo", "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/milestone-counts", nil), "counts").Decode(t, &counts)
		for _, c := range counts.Items {
			if c.CarrierID == h.IDs["X"] && (c.Overdue != wantOverdue/3 || c.Total != 10 || c.Verified != 1) {
				t.Fatalf("counts at X: %+v", c)
			}
		}
	})
}

// An operator who staffs two carriers (X, and M of the same region) sees
// the overdue milestones of both in one list, oldest due first, and one
// carrier's with carrier_id; never another region's, nor a carrier of
// their region they do not staff (404 even by name), nor what is not
// overdue. An operator of X alone sees X's; a startup member staffs none.
func TestStaffOverdueBoard(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		op2 := h.Users["operator2@lixia.demo"]
		h.Fixture.Publish(h.Event(events.Scope{}, op2, events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{
			UserID: op2, Role: authz.RoleParkOperator, Domain: authz.CarrierDomain(h.IDs["M"])}}))
		testkit.Eventually(t, "operator2 staffs M", func() bool {
			return h.svc.Enforcer.Can(op2, authz.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["M"]}, "milestone", "verify")
		})
		today := movedIn.AddDate(0, 2, 0)
		h.clock.Set(today)
		plan := func(res, title string, dueIn int) {
			h.must(201, h.Do("admin@incuchain.demo", "POST", "/api/v1/residencies/"+h.IDs[res]+"/milestones", map[string]any{
				"title_zh": title, "category": "other", "due_on": movedIn.AddDate(0, 0, dueIn).Format(time.DateOnly)}), "plan "+title)
		}
		plan("resA", "X 逾期早", 10)
		plan("resA", "X 逾期晚", 40)
		plan("resA", "X 未到期", 90)
		plan("resB", "M 逾期", 20)
		plan("resB", "M 未到期", 70)
		plan("resC", "H 逾期", 5) // another region

		titles := func(p pageJSON) []string {
			var out []string
			for _, m := range p.Items {
				if !m.Overdue {
					t.Errorf("not overdue on the board: %+v", m)
				}
				out = append(out, m.TitleZH)
			}
			return out
		}
		same := func(what string, got []string, want ...string) {
			t.Helper()
			if len(got) != len(want) {
				t.Fatalf("%s: %v, want %v", what, got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s: %v, want %v", what, got, want)
				}
			}
		}
		board := "/api/v1/me/overdue-milestones"
		all := h.page("operator2@lixia.demo", board)
		same("both carriers", titles(all), "X 逾期早", "M 逾期", "X 逾期晚")
		if all.Total != 3 {
			t.Fatalf("total %d", all.Total)
		}
		same("M alone", titles(h.page("operator2@lixia.demo", board+"?carrier_id="+h.IDs["M"])), "M 逾期")
		same("newest first", titles(h.page("operator2@lixia.demo", board+"?sort=-due_on")), "X 逾期晚", "M 逾期", "X 逾期早")
		same("X's operator", titles(h.page("operator@lixia.demo", board)), "X 逾期早", "X 逾期晚")
		same("a startup member", titles(h.page("founder@lixia.demo", board)))
		for _, c := range []string{"H", "A"} {
			r := h.Do("operator2@lixia.demo", "GET", board+"?carrier_id="+h.IDs[c], nil)
			if r.Status != 404 || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("carrier %s not staffed: %d %s", c, r.Status, r.Body)
			}
		}
		if r := h.Do("", "GET", board, nil); r.Status != 401 {
			t.Fatalf("anonymous: %d", r.Status)
		}
	})
}
