package launcher

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/rollups"
)

// world is the recount test's history, driven through the gateway as the
// demo users would.
type world struct {
	t        *testing.T
	base     string
	as       map[string]*client
	region   string
	carriers map[string]string // maker, incubator (by kind)
	company  map[string]string // minghu, c1, c2, c3
}

func (w *world) user(email string) *client {
	w.t.Helper()
	if c, ok := w.as[email]; ok {
		return c
	}
	c := newClient(w.t, w.base)
	if r := c.login(email); r.status != 200 {
		w.t.Fatalf("login %s: %d %s", email, r.status, r.body)
	}
	w.as[email] = c
	return c
}

// must sends a request as email and fails unless it answers want.
func (w *world) must(email, method, path string, body any, want int) map[string]any {
	w.t.Helper()
	r := w.user(email).do(method, path, body)
	if r.status != want {
		w.t.Fatalf("%s %s as %s: %d %s, want %d", method, path, email, r.status, r.body, want)
	}
	if len(r.body) == 0 {
		return nil
	}
	return r.obj(w.t)
}

// all reads every page of a list as email.
func (w *world) all(email, path string) []map[string]any {
	w.t.Helper()
	var out []map[string]any
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	for page := 1; ; page++ {
		body := w.must(email, "GET", fmt.Sprintf("%s%spage=%d&page_size=200", path, sep, page), nil, 200)
		items, _ := body["items"].([]any)
		for _, it := range items {
			out = append(out, it.(map[string]any))
		}
		if len(out) >= int(body["total"].(float64)) || len(items) == 0 {
			return out
		}
	}
}

const founder = "founder@lixia.demo"

// enrol offers company at carrier (as admin) and has the founder accept;
// it returns the residency id.
func (w *world) enrol(admin, carrier, company, admitted, movedIn string, area float64) string {
	w.t.Helper()
	offer := w.must(admin, "POST", "/api/v1/carriers/"+carrier+"/enrolment-offers", map[string]any{"company_id": company, "admitted_on": admitted,
		"moved_in_on": movedIn, "unit": "A-1", "area_m2": area}, 201)
	acc := w.must(founder, "POST", "/api/v1/enrolment-offers/"+offer["id"].(string)+"/accept", nil, 200)
	id, _ := acc["residency_id"].(string)
	if id == "" {
		w.t.Fatalf("accepted offer without a residency: %v", acc)
	}
	return id
}

func money(thousand int) map[string]any {
	return map[string]any{"value": thousand, "unit": "thousand_yuan"}
}

func reportMetrics(rd, revenue int) map[string]any {
	return map[string]any{
		"revenue": money(revenue), "net_profit": money(100), "rd_expenditure": money(rd), "taxes_paid": money(50), "exports": money(0),
		"financing_amount": money(300), "financing_rounds": 1,
		"employees_total": 20, "employees_phd": 2, "employees_college_plus": 15, "employees_returnee": 1, "new_graduates_hired": 3,
		"ip_filed": 4, "ip_granted": 1, "ip_valid_invention": 2, "ip_valid_software": 3,
	}
}

// build drives the history: enrolments, a move-in, an exit, a promotion up
// the chain, reports with a returned and a revised revision, a report never
// reviewed, ladder steps claimed and verified.
func (w *world) build() {
	t := w.t
	for _, c := range w.all("officer@lixia.demo", "/api/v1/regions/"+w.region+"/carriers") {
		switch c["name_zh"] {
		case "历下创客空间":
			w.carriers["maker"] = c["id"].(string)
		case "历下科技企业孵化器":
			w.carriers["incubator"] = c["id"].(string)
		}
	}
	mine := w.must(founder, "GET", "/api/v1/me/companies", nil, 200)["items"].([]any)
	w.company["minghu"] = mine[0].(map[string]any)["company"].(map[string]any)["id"].(string)
	for i, key := range []string{"c1", "c2", "c3"} {
		co := w.must(founder, "POST", "/api/v1/regions/"+w.region+"/companies", map[string]any{"name_zh": "测试企业" + key,
			"industry_code": []string{"I6510", "M7320", "C3911"}[i]}, 201)
		w.company[key] = co["id"].(string)
	}
	maker, inc := w.carriers["maker"], w.carriers["incubator"]
	waitUntil(t, "the carriers' staff see the new companies", func() bool {
		r := w.user("maker@lixia.demo").do("POST", "/api/v1/carriers/"+maker+"/enrolment-offers", map[string]any{"company_id": w.company["c1"],
			"admitted_on": "2026-01-10", "moved_in_on": "2026-01-15", "unit": "M-1", "area_m2": 50})
		if r.status != 201 {
			return false
		}
		w.must(founder, "POST", "/api/v1/enrolment-offers/"+r.obj(t)["id"].(string)+"/accept", nil, 200)
		return true
	})
	c1 := w.all("maker@lixia.demo", "/api/v1/carriers/"+maker+"/residencies")[0]["id"].(string)
	c2 := w.enrol("maker@lixia.demo", maker, w.company["c2"], "2026-02-01", "2026-02-05", 30)
	w.must("maker@lixia.demo", "POST", "/api/v1/residencies/"+c2+"/exit", map[string]any{"reason": "团队解散", "on": "2026-06-30"}, 200)
	minghuAtInc := w.enrol("incubator@lixia.demo", inc, w.company["minghu"], "2026-03-01", "2026-03-02", 80)

	w.must("maker@lixia.demo", "POST", "/api/v1/residencies/"+c1+"/promotions", map[string]any{"to_carrier_id": inc, "shared": []string{}}, 201)
	w.must(founder, "POST", "/api/v1/residencies/"+c1+"/promotion/consent", nil, 200)
	w.must("incubator@lixia.demo", "POST", "/api/v1/residencies/"+c1+"/promotion/accept", nil, 200)

	minghu := "/api/v1/companies/" + w.company["minghu"]
	w.must(founder, "POST", minghu+"/reports", map[string]any{"period": "2026-Q1", "submit": true, "metrics": reportMetrics(100, 1000)}, 201)
	w.must("incubator@lixia.demo", "POST", minghu+"/reports/2026-Q1/review", map[string]any{"decision": "return", "comment": "请核对研发费用"}, 200)
	w.must(founder, "POST", minghu+"/reports/2026-Q1/revisions", map[string]any{"submit": true, "metrics": reportMetrics(140, 1000)}, 201)
	w.must("incubator@lixia.demo", "POST", minghu+"/reports/2026-Q1/review", map[string]any{"decision": "accept"}, 200)
	w.must(founder, "POST", minghu+"/reports", map[string]any{"period": "2026-Q2", "submit": true, "metrics": reportMetrics(160, 1200)}, 201)
	w.must("incubator@lixia.demo", "POST", minghu+"/reports/2026-Q2/review", map[string]any{"decision": "accept"}, 200)
	w.must(founder, "POST", "/api/v1/companies/"+w.company["c1"]+"/reports", map[string]any{"period": "2026-Q2", "submit": true, "metrics": reportMetrics(90, 900)}, 201)

	w.must(founder, "POST", minghu+"/ladder", map[string]any{"step": "startup", "date": "2025-06-01"}, 201)
	w.must(founder, "POST", minghu+"/ladder", map[string]any{"step": "tech_sme", "certificate_no": "202637010200001234", "date": "2026-04-01"}, 201)
	// Verifying needs evidence, rung by rung: the founder uploads the
	// certificates and the carrier verifies each claim on its document
	// (once incubatees has learnt of the upload).
	for _, step := range []string{"startup", "tech_sme"} {
		up := w.user(founder).raw("POST", minghu+"/documents?type=other&filename="+step+".pdf", []byte("%PDF-1.7\n% "+step+" certificate\n"), "Content-Type", "application/pdf")
		if up.status != 201 {
			w.t.Fatalf("upload %s evidence: %d %s", step, up.status, up.body)
		}
		evidence := map[string]any{"evidence_document_id": up.obj(w.t)["id"]}
		var r reply
		waitUntil(w.t, "incubatees to learn the "+step+" evidence", func() bool {
			r = w.user("incubator@lixia.demo").do("POST", minghu+"/ladder/"+step+"/verify", evidence)
			return r.status != 422 || !strings.Contains(string(r.body), "unknown_document")
		})
		if r.status != 200 {
			w.t.Fatalf("verify %s: %d %s", step, r.status, r.body)
		}
	}
	w.must(founder, "POST", "/api/v1/companies/"+w.company["c2"]+"/ladder", map[string]any{"step": "startup", "date": "2026-02-01"}, 201)

	// minghu's plan at the incubator: one milestone verified, one waived,
	// one left planned past its due date, one due next year.
	plan := func(title, category, due string) string {
		var m map[string]any
		waitUntil(t, "milestones to learn minghu's residency", func() bool {
			r := w.user("incubator@lixia.demo").do("POST", "/api/v1/residencies/"+minghuAtInc+"/milestones", map[string]any{"title_zh": title,
				"category": category, "due_on": due})
			if r.status == 201 {
				m = r.obj(t)
			}
			return r.status == 201
		})
		return m["id"].(string)
	}
	done := plan("完成工商注册", "registration", "2026-04-10")
	w.must(founder, "POST", "/api/v1/milestones/"+done+"/updates", map[string]any{"text": "营业执照已领取", "percent": 100}, 201)
	w.must(founder, "POST", "/api/v1/milestones/"+done+"/submit", nil, 200)
	w.must("incubator@lixia.demo", "POST", "/api/v1/milestones/"+done+"/verify", map[string]any{"comment": "已核验营业执照"}, 200)
	waived := plan("组建研发团队", "team", "2026-05-01")
	w.must("incubator@lixia.demo", "POST", "/api/v1/milestones/"+waived+"/waive", map[string]any{"reason": "团队已由母公司派驻"}, 200)
	plan("产品原型", "product", "2026-06-30")
	plan("首轮融资", "financing", "2027-03-31")
}

// recount is the figures as the source services' own APIs give them, for
// the year 2026 as of day (the end of the window).
type recount struct {
	Carriers, Capacity, Residents int
	Area, AreaUsed                float64
	Flows                         map[string]int
	Promotions                    map[string]int
	TechSME, NewTechSME           int
	Reports                       int
	RD, Revenue, Financing        float64
	IPFiled, Employees            int64
	Conflicts                     int
	// Reporting health: reports due in the window by each residency's
	// cadence, submitted, accepted, overdue.
	Due, Submitted, Accepted, Overdue int
	// Milestones due in the window: planned, due (not waived), verified,
	// overdue, waived.
	Milestones [5]int
	// Funnel is, per chain step, the companies that reached it and the
	// median months from the step before ("3@1.5").
	Funnel []string
}

func (w *world) recount(day string) recount {
	from, to := "2026-01-01", day
	rc := recount{Flows: map[string]int{}, Promotions: map[string]int{}}
	for _, c := range w.all("officer@lixia.demo", "/api/v1/regions/"+w.region+"/carriers") {
		rc.Carriers++
		rc.Capacity += int(num(c["capacity"]))
		rc.Area += num(c["area_m2"])
	}
	res := w.all("officer@lixia.demo", "/api/v1/regions/"+w.region+"/residencies")
	kindOf := map[string]string{}
	for _, r := range res {
		kindOf[str(r["carrier_id"])] = str(r["carrier_kind"])
	}
	within := func(d string) bool { return d != "" && d >= from && d <= to }
	seen := map[string]map[string]bool{}
	count := func(m, key string) {
		if seen[m] == nil {
			seen[m] = map[string]bool{}
		}
		seen[m][key] = true
	}
	residentAt := map[string][]string{}
	for _, r := range res {
		key := str(r["company_key"])
		in := str(r["moved_in_on"]) != "" && str(r["moved_in_on"]) <= to && (str(r["ended_on"]) == "" || str(r["ended_on"]) > to)
		if in {
			count("in_residence", key)
			rc.Residents++
			rc.AreaUsed += num(r["area_m2"])
			residentAt[key] = append(residentAt[key], str(r["carrier_id"]))
			if t := str(r["term_end_on"]); t != "" && t < to {
				count("past_term", key)
			}
		}
		if within(str(r["admitted_on"])) {
			count("admitted", key)
		}
		if within(str(r["moved_in_on"])) {
			count("moved_in", key)
		}
		if o := str(r["outcome"]); o != "" && within(str(r["ended_on"])) {
			count(o, key)
		}
		if str(r["promoted_from_id"]) != "" && within(str(r["admitted_on"])) {
			for _, from := range res {
				if from["id"] == r["promoted_from_id"] {
					rc.Promotions[str(from["carrier_kind"])+"→"+str(r["carrier_kind"])]++
				}
			}
		}
	}
	for _, m := range []string{"in_residence", "admitted", "moved_in", "graduated", "exited", "promoted", "past_term"} {
		rc.Flows[m] = len(seen[m])
	}
	rc.Funnel = funnelOf(res, to)
	packs := map[int]string{}
	for _, p := range w.all("officer@lixia.demo", "/api/v1/regions/"+w.region+"/rule-packs") {
		packs[int(num(p["version"]))] = str(p["cadence"])
	}
	filed, grace := map[string]string{}, 0
	for _, cs := range residentAt {
		if len(cs) > 1 {
			rc.Conflicts++
		}
	}
	for _, co := range w.all("officer@lixia.demo", "/api/v1/regions/"+w.region+"/companies") {
		if inner, ok := co["company"].(map[string]any); ok {
			co = inner
		}
		id := str(co["id"])
		for _, l := range w.all("officer@lixia.demo", "/api/v1/companies/"+id+"/ladder") {
			if str(l["step"]) == "tech_sme" && str(l["status"]) == "verified" && str(l["date"]) <= to && (str(l["expiry"]) == "" || str(l["expiry"]) >= to) {
				rc.TechSME++
				if str(l["date"]) >= from {
					rc.NewTechSME++
				}
			}
		}
		latestPeriod, employees := "", int64(0)
		for _, rep := range w.all("officer@lixia.demo", "/api/v1/companies/"+id+"/reports") {
			filed[id+"|"+str(rep["period"])] = str(rep["status"])
			if end, _ := time.Parse(time.DateOnly, str(rep["period_end"])); end.Year() > 1 {
				due, _ := time.Parse(time.DateOnly, str(rep["due_on"]))
				grace = int(due.Sub(end).Hours() / 24)
			}
			// The source keeps a report's state and its latest revision:
			// accepted means the latest revision is the one that counts.
			if str(rep["status"]) != "accepted" || str(rep["period_end"]) > to {
				continue
			}
			one := w.must("officer@lixia.demo", "GET", "/api/v1/companies/"+id+"/reports/"+str(rep["period"]), nil, 200)
			revs, _ := one["revisions"].([]any)
			var m map[string]any
			for _, r := range revs {
				if r := r.(map[string]any); int(num(r["revision"])) == int(num(one["revision"])) {
					m = r["metrics"].(map[string]any)
				}
			}
			v := func(k string) float64 { return num(m[k].(map[string]any)["value"]) }
			rc.Reports++
			rc.RD += v("rd_expenditure") / 1000
			rc.Revenue += v("revenue") / 1000
			rc.Financing += v("financing_amount") / 1000
			rc.IPFiled += int64(v("ip_filed"))
			if p := str(rep["period_end"]); p > latestPeriod {
				latestPeriod, employees = p, int64(v("employees_total"))
			}
		}
		rc.Employees += employees
	}
	if grace == 0 {
		w.t.Fatal("no report to learn incubatees' grace days from")
	}
	rc.health(res, packs, filed, grace, from, to)
	today := calendar.Date(time.Now())
	for _, c := range w.all("officer@lixia.demo", "/api/v1/regions/"+w.region+"/carriers") {
		for _, m := range w.all("officer@lixia.demo", "/api/v1/carriers/"+str(c["id"])+"/milestones") {
			due, state := str(m["due_on"]), str(m["state"])
			if due < from || due > to {
				continue
			}
			rc.Milestones[0]++
			if state != "waived" {
				rc.Milestones[1]++
			}
			if state == "verified" {
				rc.Milestones[2]++
			}
			if state != "verified" && state != "waived" && due < today {
				rc.Milestones[3]++
			}
			if state == "waived" {
				rc.Milestones[4]++
			}
		}
	}
	return rc
}

// health counts the reports due in the window [from, to]: for each
// residency, each period of its rule pack's cadence (quarterly without
// one) whose deadline (grace days after the period ends, as incubatees
// gives it on its reports) falls in the window and in which the company
// lived there; filed is each company's report status by period.
func (rc *recount) health(res []map[string]any, packs map[int]string, filed map[string]string, grace int, from, to string) {
	for _, r := range res {
		months := 3
		if packs[int(num(r["rule_pack_version"]))] == "monthly" {
			months = 1
		}
		in, ended := str(r["moved_in_on"]), str(r["ended_on"])
		if in == "" {
			continue
		}
		for start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); start.Format(time.DateOnly) <= to; start = start.AddDate(0, months, 0) {
			end := start.AddDate(0, months, -1)
			due := end.AddDate(0, 0, grace).Format(time.DateOnly)
			if due < from || due > to || in > end.Format(time.DateOnly) || (ended != "" && ended <= start.Format(time.DateOnly)) {
				continue
			}
			period := start.Format("2006-01")
			if months == 3 {
				period = fmt.Sprintf("%d-Q%d", start.Year(), (int(start.Month())-1)/3+1)
			}
			rc.Due++
			switch filed[str(r["company_id"])+"|"+period] {
			case "accepted":
				rc.Submitted++
				rc.Accepted++
			case "submitted", "returned":
				rc.Submitted++
			default:
				if due < calendar.Date(time.Now()) {
					rc.Overdue++
				}
			}
		}
	}
}

// funnelOf walks each company's chain in the residencies: its first entry
// at each of the four steps, each on or after the one before.
func funnelOf(res []map[string]any, to string) []string {
	first := map[string]map[int]string{}
	for _, r := range res {
		order, on := int(num(r["chain_order"])), str(r["admitted_on"])
		if order < 1 || order > 4 || on > to {
			continue
		}
		k := str(r["company_key"])
		if first[k] == nil {
			first[k] = map[int]string{}
		}
		if cur, ok := first[k][order]; !ok || on < cur {
			first[k][order] = on
		}
	}
	counts, months := make([]int, 4), make([][]float64, 4)
	for _, steps := range first {
		prev := ""
		for i := 1; i <= 4; i++ {
			on, ok := steps[i]
			if !ok || on < prev {
				break
			}
			counts[i-1]++
			if prev != "" {
				a, _ := time.Parse(time.DateOnly, prev)
				b, _ := time.Parse(time.DateOnly, on)
				months[i-1] = append(months[i-1], math.Round(b.Sub(a).Hours()/24/(365.25/12)*10)/10)
			}
			prev = on
		}
	}
	out := make([]string, 4)
	for i := range out {
		m := 0.0
		if ms := months[i]; len(ms) > 0 {
			slices.Sort(ms)
			m = ms[len(ms)/2]
			if len(ms)%2 == 0 {
				m = (ms[len(ms)/2-1] + ms[len(ms)/2]) / 2
			}
		}
		out[i] = fmt.Sprintf("%d@%.1f", counts[i], math.Round(m*10)/10)
	}
	return out
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// fromRollups reads the same figures from a rollups Figures answer.
func fromRollups(f rollups.Figures) recount {
	rc := recount{Flows: f.Flows.Companies, Promotions: map[string]int{}}
	rc.Carriers, rc.Capacity, rc.Residents = f.Carriers.Total.Carriers, f.Carriers.Total.Capacity, f.Carriers.Total.Residents
	rc.Area, rc.AreaUsed = f.Carriers.Total.AreaM2, f.Carriers.Total.AreaUsedM2
	for _, p := range f.Flows.Promotions {
		rc.Promotions[p.FromKind+"→"+p.ToKind] = p.Companies
	}
	rc.TechSME, rc.NewTechSME = f.Ladder.Rungs[0].Companies, f.Ladder.Rungs[0].New
	s := f.Reports.Sums
	rc.Reports, rc.RD, rc.Revenue, rc.Financing, rc.IPFiled, rc.Employees = f.Reports.Reports, s.RDExpenditure, s.Revenue, s.FinancingAmount, s.IPFiled, s.EmployeesTotal
	rc.Conflicts = len(f.Conflicts)
	h := f.Health.Total
	rc.Due, rc.Submitted, rc.Accepted, rc.Overdue = h.Due, h.Submitted, h.Accepted, h.Overdue
	m := f.Milestones.Total
	rc.Milestones = [5]int{m.Planned, m.Due, m.Verified, m.Overdue, m.Waived}
	for _, st := range f.Funnel.Steps {
		rc.Funnel = append(rc.Funnel, fmt.Sprintf("%d@%.1f", st.Companies, st.MedianMonthsFromPrevious))
	}
	return rc
}

// viaGateway reads every figure of the recount through the gateway as the
// district officer, each from its own route.
func (w *world) viaGateway(day string) recount {
	q := "?" + url.Values{"as_of": {day}}.Encode()
	var f rollups.Figures
	base := "/api/v1/regions/" + w.region + "/rollups/"
	for path, into := range map[string]any{"carriers": &f.Carriers, "residencies": &f.Flows, "ladder": &f.Ladder, "reports": &f.Reports, "funnel": &f.Funnel,
		"health": &f.Health, "milestones": &f.Milestones} {
		body := w.user("officer@lixia.demo").do("GET", base+path+q, nil)
		if body.status != 200 {
			w.t.Fatalf("%s: %d %s", path, body.status, body.body)
		}
		if err := json.Unmarshal(body.body, into); err != nil {
			w.t.Fatal(err)
		}
	}
	for range w.all("officer@lixia.demo", base+"conflicts"+q) {
		f.Conflicts = append(f.Conflicts, rollups.Conflict{})
	}
	return fromRollups(f)
}

func closeEnough(a, b recount) bool {
	round := func(r recount) recount {
		r.Area, r.AreaUsed = math.Round(r.Area*100)/100, math.Round(r.AreaUsed*100)/100
		r.RD, r.Revenue, r.Financing = math.Round(r.RD*1000)/1000, math.Round(r.Revenue*1000)/1000, math.Round(r.Financing*1000)/1000
		return r
	}
	return reflect.DeepEqual(round(a), round(b))
}

// replayCopies publishes a copy of every event of service's stream again
// (no Nats-Msg-Id, so the server's duplicate window does not stop it),
// and the first half again under new ids with their old times: late,
// older states of aggregates that have moved on.
func replayCopies(t *testing.T, js jetstream.JetStream, streamName, subjectPrefix string) int {
	t.Helper()
	ctx := context.Background()
	stream, err := js.Stream(ctx, streamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A service's user may create consumers on any stream, not get
	// messages one by one: read the stream through an ordered consumer.
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var evs []events.Envelope
	for seen := uint64(0); seen < info.State.LastSeq; {
		batch, err := cons.Fetch(100, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			if meta, err := msg.Metadata(); err == nil {
				seen = meta.Sequence.Stream
			}
			var ev events.Envelope
			if json.Unmarshal(msg.Data(), &ev) == nil && ev.ID != "" && !strings.Contains(ev.Type, ".member.") {
				evs = append(evs, ev)
			}
		}
		if n == 0 {
			t.Fatalf("read %s up to %d of %d", streamName, seen, info.State.LastSeq)
		}
	}
	publish := func(ev events.Envelope) {
		data, _ := json.Marshal(ev)
		if _, err := js.Publish(ctx, subjectPrefix+ev.Type, data); err != nil {
			t.Fatal(err)
		}
	}
	for i := len(evs) - 1; i >= 0; i-- { // newest first: the copies arrive out of order
		publish(evs[i])
	}
	for _, ev := range evs[:len(evs)/2] {
		ev.ID = events.NewID()
		publish(ev)
	}
	return len(evs)
}

// The "Must show": after a history driven through parks,
// incubatees and documents, with a returned and revised report, copies of
// every event and older states arriving late, every figure of rollups
// equals a recount from the source services' own APIs; a projection that
// counts every revision or adds a redelivered event does not.
func TestRollupsEqualARecountOfTheSources(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := settingsAllOn(t, d)
			l := start(t, s, TargetAll)
			w := &world{t: t, base: "http://" + s.Gateway.Addr, as: map[string]*client{}, carriers: map[string]string{}, company: map[string]string{}}
			w.region = demoIDs(t, w.user("officer@lixia.demo"))["regions"]
			w.build()
			day := calendar.Date(time.Now())

			var want recount
			waitUntil(t, "rollups to equal the recount", func() bool {
				want = w.recount(day)
				return closeEnough(w.viaGateway(day), want)
			})
			if want.Reports != 2 || want.Flows["promoted"] != 1 || want.Flows["exited"] != 1 || want.TechSME != 1 || !strings.HasPrefix(want.Funnel[1], "1@") {
				t.Fatalf("the history is not the one intended: %+v", want)
			}
			// Reports fall due by cadence, period by period: the old rule
			// (one report due from each company in residence at the
			// window's end) would count the residents instead.
			if want.Due <= want.Residents || want.Overdue == 0 || want.Accepted != 2 {
				t.Fatalf("the history does not tell reports due by cadence from residents: %+v", want)
			}
			if want.Milestones != [5]int{3, 2, 1, 1, 1} {
				t.Fatalf("the milestones are not the ones planned: %v", want.Milestones)
			}

			// Copies and late older states of every event of incubatees
			// and parks, then one more enrolment (c3: the fourth company
			// admitted this year): once it shows, the copies before it have
			// been through the consumers.
			n := replayCopies(t, l.incubatees.Bus.JetStream(), l.incubatees.Bus.StreamName("incubatees"), strings.TrimSuffix(l.incubatees.Bus.Subject("x"), "x"))
			n += replayCopies(t, l.parks.Bus.JetStream(), l.parks.Bus.StreamName("parks"), strings.TrimSuffix(l.parks.Bus.Subject("x"), "x"))
			t.Logf("published %d copies and late states", n+n/2)
			w.enrol("maker@lixia.demo", w.carriers["maker"], w.company["c3"], day, day, 20)
			waitUntil(t, "the enrolment after the copies", func() bool {
				got := w.viaGateway(day)
				want = w.recount(day)
				return want.Flows["admitted"] == 4 && closeEnough(got, want)
			})
			t.Logf("the sources' recount: %+v", want)
			if got := w.viaGateway(day); !closeEnough(got, want) {
				t.Errorf("after copies and late states, rollups:\n%+v\nthe sources:\n%+v", got, want)
			}
			sys, err := l.rollups.Figures(context.Background(), w.region, rollups.FilterInput{AsOf: day})
			if err != nil {
				t.Fatal(err)
			}
			if got := fromRollups(sys); !closeEnough(got, want) {
				t.Errorf("the service's own figures:\n%+v\nthe sources:\n%+v", got, want)
			}

			// The recount would catch a projection that ignores revisions
			// or counts an event twice: each faulty one, fed the same
			// streams, disagrees with it.
			for _, c := range []struct {
				name   string
				faults rollups.Faults
			}{
				{"counts every revision", rollups.Faults{SumEveryRevision: true}},
				{"adds a redelivered event", rollups.Faults{AddOnRedelivery: true}},
				{"none (the control)", rollups.Faults{}},
			} {
				faulty, err := rollups.New(context.Background(), rollups.Config{Home: testkit.Home(t, d)},
					rollups.Deps{Bus: l.rollups.Bus, Signer: l.signer, Log: bustest.Logger(t), Faults: c.faults})
				if err != nil {
					t.Fatal(err)
				}
				if err := faulty.Rebuild(context.Background(), nil); err != nil {
					t.Fatal(err)
				}
				f, err := faulty.Figures(context.Background(), w.region, rollups.FilterInput{AsOf: day})
				_ = faulty.DB.Close()
				if err != nil {
					t.Fatal(err)
				}
				agrees := closeEnough(fromRollups(f), want)
				if c.faults == (rollups.Faults{}) != agrees {
					t.Errorf("a projection that %s: agrees with the recount %v:\n%+v\nthe sources:\n%+v", c.name, agrees, fromRollups(f), want)
				}
			}
		})
	}
}
