package events_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
)

func TestMilestonesPayloadTypes(t *testing.T) {
	pct := 40
	m := events.MilestoneV1{MilestoneID: "01HM", ResidencyID: "01HR", CompanyID: "01HC", RegionID: "01HREG", CarrierID: "01HCAR",
		CarrierKind: "incubator", TitleZH: "首笔营收", TitleEN: "First revenue", Category: "revenue", State: "in_progress", DueOn: "2026-06-30",
		Target: &events.FigureV1{Value: 5000, Unit: "thousand_yuan"}, Percent: &pct, Evidence: []string{"01HD"}}
	payloads := []events.Payload{
		events.MilestonePlannedV1{MilestoneV1: m}, events.MilestoneProgressedV1{MilestoneV1: m, UpdateID: "01HU", Text: "签约"},
		events.MilestoneSubmittedV1{MilestoneV1: m}, events.MilestoneVerifiedV1{MilestoneV1: m}, events.MilestoneReturnedV1{MilestoneV1: m},
		events.MilestoneWaivedV1{MilestoneV1: m}, events.MilestoneRescheduledV1{MilestoneV1: m},
		events.MilestoneDueSoonV1{MilestoneV1: m, DaysLeft: 3}, events.MilestoneOverdueV1{MilestoneV1: m, DaysOverdue: 2},
	}
	seen := map[string]bool{}
	for _, p := range payloads {
		typ := p.EventType()
		if events.Service(typ) != "milestones" || strings.Count(typ, ".") != 2 || !strings.HasPrefix(typ, "milestones.milestone.") {
			t.Errorf("%T type %q does not follow milestones.milestone.<verb>", p, typ)
		}
		if p.EventVersion() != 1 {
			t.Errorf("%T version %d, want 1", p, p.EventVersion())
		}
		if seen[typ] {
			t.Errorf("type %q used twice", typ)
		}
		seen[typ] = true
		env, err := events.New(events.Scope{RegionID: "01HREG", CarrierID: "01HCAR"}, "a", "01HM", p)
		if err != nil {
			t.Fatalf("New(%T): %v", p, err)
		}
		back := reflect.New(reflect.TypeOf(p))
		if err := env.Decode(back.Interface()); err != nil {
			t.Fatalf("Decode(%T): %v", p, err)
		}
		if !reflect.DeepEqual(back.Elem().Interface(), p) {
			t.Errorf("%T round trip = %+v", p, back.Elem().Interface())
		}
	}
}

// The wire shape consumers (notifications, rollups, the console) read:
// flat snake_case fields, dates as YYYY-MM-DD, figures as {value, unit},
// empty optional fields left out.
func TestMilestoneWireShape(t *testing.T) {
	p := events.MilestoneOverdueV1{MilestoneV1: events.MilestoneV1{MilestoneID: "01HM", ResidencyID: "01HR", CompanyID: "01HC", RegionID: "01HREG",
		CarrierID: "01HCAR", CarrierKind: "accelerator", TitleZH: "营收达标", TitleEN: "Revenue threshold", Category: "revenue", State: "planned",
		DueOn: "2026-03-01", Target: &events.FigureV1{Value: 5000, Unit: "thousand_yuan"}}, DaysOverdue: 4}
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"milestone_id":"01HM","residency_id":"01HR","company_id":"01HC","region_id":"01HREG","carrier_id":"01HCAR",` +
		`"carrier_kind":"accelerator","title_zh":"营收达标","title_en":"Revenue threshold","category":"revenue","state":"planned",` +
		`"due_on":"2026-03-01","target":{"value":5000,"unit":"thousand_yuan"},"days_overdue":4}`
	if string(got) != want {
		t.Errorf("wire shape\n got %s\nwant %s", got, want)
	}
	r := events.MilestoneRescheduledV1{MilestoneV1: events.MilestoneV1{MilestoneID: "01HM", State: "in_progress", DueOn: "2026-05-01",
		Reason: "设备延期到货", PreviousDueOn: "2026-03-01"}}
	got, err = json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{`"reason":"设备延期到货"`, `"previous_due_on":"2026-03-01"`, `"due_on":"2026-05-01"`} {
		if !strings.Contains(string(got), frag) {
			t.Errorf("rescheduled %s lacks %s", got, frag)
		}
	}
	for _, absent := range []string{`"owner_id"`, `"target"`, `"percent"`, `"figure"`, `"evidence"`} {
		if strings.Contains(string(got), absent) {
			t.Errorf("rescheduled %s carries empty %s", got, absent)
		}
	}
}
