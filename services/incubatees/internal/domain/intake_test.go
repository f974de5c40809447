package domain

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

var intakeNow = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

func intakeDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func intakeTestCall(t *testing.T) *IntakeCall {
	t.Helper()
	c, err := NewIntakeCall("call1", "r1", "c1", CallFields{
		TitleZH: "2027 春季招募", OpensOn: intakeDate("2026-11-01"), ClosesOn: intakeDate("2026-12-31"), Capacity: 10,
		Materials: []string{"business_licence", "business_plan"},
		Questions: []Question{
			{Key: "pitch", LabelZH: "项目简介", Type: QText, Required: true},
			{Key: "staff", LabelZH: "员工人数", Type: QNumber},
			{Key: "revenue", LabelZH: "上年营收", Type: QMoney, Unit: UnitThousandYuan, Required: true},
			{Key: "founded", LabelZH: "成立日期", Type: QDate},
			{Key: "stage", LabelZH: "阶段", Type: QChoice, Options: []string{"idea", "mvp", "revenue"}, Required: true},
			{Key: "deck", LabelZH: "路演材料", Type: QFile},
		},
	}, intakeNow)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fieldCodes flattens a validation error into "field=code" strings.
func intakeFieldCodes(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("not an apperr: %v", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+"="+f.Code)
	}
	if out == nil {
		out = []string{e.Slug}
	}
	return out
}

func TestIntakeApplicationTransitions(t *testing.T) {
	allowed := map[AppStatus]map[AppAction]AppStatus{
		AppDraft:     {AppActSubmit: AppSubmitted, AppActWithdraw: AppWithdrawn},
		AppSubmitted: {AppActReview: AppReviewing, AppActAdmit: AppAdmitted, AppActReject: AppRejected, AppActWithdraw: AppWithdrawn, AppActReturn: AppDraft},
		AppReviewing: {AppActReview: AppReviewing, AppActAdmit: AppAdmitted, AppActReject: AppRejected, AppActWithdraw: AppWithdrawn, AppActReturn: AppDraft},
	}
	// Every status × every action: the allowed ones land where expected,
	// the rest are refused as a conflict and leave the status unchanged.
	for _, from := range AppStatuses {
		for _, act := range AppActions {
			want, ok := allowed[from][act]
			t.Run(string(from)+"/"+string(act), func(t *testing.T) {
				got, err := NextAppStatus(from, act)
				if ok {
					if err != nil || got != want {
						t.Fatalf("got %s, %v; want %s", got, err, want)
					}
					return
				}
				if !apperr.Is(err, apperr.Conflict) || got != from {
					t.Fatalf("got %s, %v; want refusal", got, err)
				}
			})
		}
	}
	for _, s := range AppStatuses {
		if s.Final() != (s == AppAdmitted || s == AppRejected || s == AppWithdrawn) {
			t.Errorf("%s: Final() = %v", s, s.Final())
		}
	}
}

func TestIntakeApplicationLifecycle(t *testing.T) {
	call := intakeTestCall(t)
	good := map[string]json.RawMessage{
		"pitch": json.RawMessage(`"AI 视觉检测"`), "revenue": json.RawMessage(`{"amount": 1200, "unit": "thousand_yuan"}`),
		"stage": json.RawMessage(`"mvp"`),
	}
	a, err := NewApplication("a1", call, "co1", "u1", map[string]json.RawMessage{"pitch": json.RawMessage(`"x"`)}, intakeNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Materials) != 2 || a.Materials[0].Type != "business_licence" || a.Materials[0].DocumentID != "" {
		t.Fatalf("material slots: %+v", a.Materials)
	}
	// A draft may be incomplete, but not submitted so.
	if got := intakeFieldCodes(t, a.Submit(call, intakeNow)); !slices.Equal(got, []string{"answers.revenue=required", "answers.stage=required"}) {
		t.Fatalf("submit incomplete: %v", got)
	}
	if a.Status != AppDraft {
		t.Fatalf("status %s after refused submit", a.Status)
	}
	if err := a.SetAnswers(call, good, intakeNow); err != nil {
		t.Fatal(err)
	}
	// Answered, but the materials are not uploaded yet.
	if got := intakeFieldCodes(t, a.Submit(call, intakeNow)); !slices.Equal(got, []string{"materials.business_licence=material_missing", "materials.business_plan=material_missing"}) {
		t.Fatalf("submit without materials: %v", got)
	}
	for _, m := range call.Fields.Materials {
		if why := a.ApplyDocument(DocumentChange{Type: m, DocumentID: "d-" + m, Status: MaterialUploaded, Version: 1, At: intakeNow}, intakeNow); why != "" {
			t.Fatalf("upload %s: ignored (%s)", m, why)
		}
	}
	if err := a.Submit(call, intakeNow); err != nil || a.Status != AppSubmitted || a.SubmittedAt == nil {
		t.Fatalf("submit: %v %s", err, a.Status)
	}
	if err := a.SetAnswers(call, good, intakeNow); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("answers after submit: %v", err)
	}
	if got := intakeFieldCodes(t, a.Decide(AppActAdmit, "  ", "u2", intakeNow)); !slices.Equal(got, []string{"reason=required"}) {
		t.Fatalf("decide without reason: %v", got)
	}
	if got := intakeFieldCodes(t, a.Decide(AppActWithdraw, "x", "u2", intakeNow)); !slices.Equal(got, []string{"decision=one_of"}) {
		t.Fatalf("decide withdraw: %v", got)
	}
	if err := a.Decide(AppActAdmit, "团队优秀", "u2", intakeNow); err != nil || a.Status != AppAdmitted || a.Reason != "团队优秀" {
		t.Fatalf("admit: %v %+v", err, a)
	}
	if err := a.Move(AppActWithdraw, intakeNow); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("withdraw after decision: %v", err)
	}
}

func TestIntakeValidateAnswers(t *testing.T) {
	call := intakeTestCall(t)
	base := func(extra map[string]string) map[string]json.RawMessage {
		m := map[string]json.RawMessage{"pitch": json.RawMessage(`"x"`), "revenue": json.RawMessage(`{"amount":5,"unit":"thousand_yuan"}`), "stage": json.RawMessage(`"idea"`)}
		for k, v := range extra {
			if v == "" {
				delete(m, k)
				continue
			}
			m[k] = json.RawMessage(v)
		}
		return m
	}
	cases := []struct {
		name     string
		answers  map[string]json.RawMessage
		complete bool
		want     []string
	}{
		{"complete and valid", base(map[string]string{"staff": `12`, "founded": `"2025-03-18"`, "deck": `"01HDOC"`}), true, nil},
		{"money in the wrong unit", base(map[string]string{"revenue": `{"amount":1200000,"unit":"yuan"}`}), true, []string{"answers.revenue=money_unit_mismatch"}},
		{"money without a unit", base(map[string]string{"revenue": `{"amount":1200}`}), true, []string{"answers.revenue=money_unit_missing"}},
		{"money as a bare number", base(map[string]string{"revenue": `1200`}), true, []string{"answers.revenue=want_money"}},
		{"money not an integer", base(map[string]string{"revenue": `{"amount":1.5,"unit":"thousand_yuan"}`}), true, []string{"answers.revenue=want_money"}},
		{"negative money", base(map[string]string{"revenue": `{"amount":-1,"unit":"thousand_yuan"}`}), true, []string{"answers.revenue=negative"}},
		{"missing required", base(map[string]string{"stage": "", "pitch": ""}), true, []string{"answers.pitch=required", "answers.stage=required"}},
		{"missing required in a draft is fine", base(map[string]string{"stage": "", "pitch": ""}), false, nil},
		{"null counts as missing", base(map[string]string{"stage": "null"}), true, []string{"answers.stage=required"}},
		{"blank required text", base(map[string]string{"pitch": `"  "`}), true, []string{"answers.pitch=required"}},
		{"choice not in options", base(map[string]string{"stage": `"ipo"`}), true, []string{"answers.stage=not_an_option"}},
		{"choice not a string", base(map[string]string{"stage": `3`}), false, []string{"answers.stage=not_an_option"}},
		{"number as text", base(map[string]string{"staff": `"twelve"`}), true, []string{"answers.staff=want_number"}},
		{"bad date", base(map[string]string{"founded": `"2025/03/18"`}), true, []string{"answers.founded=date_format"}},
		{"text as number", base(map[string]string{"pitch": `5`}), true, []string{"answers.pitch=want_text"}},
		{"file not an id", base(map[string]string{"deck": `""`}), true, []string{"answers.deck=want_document_id"}},
		{"unknown question", base(map[string]string{"zzz": `"x"`}), false, []string{"answers.zzz=unknown_question"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := intakeFieldCodes(t, ValidateAnswers(call.Fields.Questions, c.answers, c.complete))
			if !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestIntakeCallValidation(t *testing.T) {
	ok := CallFields{TitleZH: "招募", OpensOn: intakeDate("2026-11-01"), ClosesOn: intakeDate("2026-11-30"), Capacity: 5}
	cases := []struct {
		name string
		edit func(f *CallFields)
		want []string
	}{
		{"valid", func(f *CallFields) {}, nil},
		{"closes before opens", func(f *CallFields) { f.ClosesOn = intakeDate("2026-10-31") }, []string{"closes_on=before_opens_on"}},
		{"same day is fine", func(f *CallFields) { f.ClosesOn = f.OpensOn }, nil},
		{"no title, no dates", func(f *CallFields) { f.TitleZH, f.OpensOn, f.ClosesOn = " ", time.Time{}, time.Time{} },
			[]string{"title_zh=required", "opens_on=required", "closes_on=required"}},
		{"capacity zero", func(f *CallFields) { f.Capacity = 0 }, []string{"capacity=out_of_range"}},
		{"unknown material", func(f *CallFields) { f.Materials = []string{"business_plan", "passport"} }, []string{"materials.1=unknown_material"}},
		{"money question without unit", func(f *CallFields) { f.Questions = []Question{{Key: "rev", LabelZH: "营收", Type: QMoney}} },
			[]string{"questions.0.unit=money_unit"}},
		{"unit on a text question", func(f *CallFields) {
			f.Questions = []Question{{Key: "t", LabelZH: "t", Type: QText, Unit: UnitYuan}}
		}, []string{"questions.0.unit=only_for_money"}},
		{"choice with one option", func(f *CallFields) {
			f.Questions = []Question{{Key: "c", LabelZH: "c", Type: QChoice, Options: []string{"a"}}}
		}, []string{"questions.0.options=too_few"}},
		{"duplicate key and bad type", func(f *CallFields) {
			f.Questions = []Question{{Key: "a", LabelZH: "a", Type: QText}, {Key: "a", LabelZH: "b", Type: "essay"}}
		}, []string{"questions.1.key=duplicate", "questions.1.type=unknown_question_type"}},
		{"bad key", func(f *CallFields) { f.Questions = []Question{{Key: "Bad Key", LabelZH: "a", Type: QText}} }, []string{"questions.0.key=bad_key"}},
		{"bad criterion", func(f *CallFields) { f.Criteria = []string{"team", "team"} }, []string{"criteria.1=listed_twice"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := ok
			c.edit(&f)
			_, err := NewIntakeCall("id", "r", "c", f, intakeNow)
			if got := intakeFieldCodes(t, err); !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestIntakeCallLifecycle(t *testing.T) {
	c := intakeTestCall(t)
	if !slices.Equal(c.Fields.Criteria, DefaultCriteria) {
		t.Fatalf("default criteria: %v", c.Fields.Criteria)
	}
	if c.Accepting(intakeNow) {
		t.Fatal("a draft accepts applications")
	}
	if err := c.Close(intakeNow); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("close a draft: %v", err)
	}
	if err := c.Open(intakeNow); err != nil || c.Status != CallOpen {
		t.Fatalf("open: %v", err)
	}
	if err := c.Open(intakeNow); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("open twice: %v", err)
	}
	if !c.Accepting(intakeNow) || c.Accepting(intakeDate("2027-01-01")) || c.Accepting(intakeDate("2026-10-31")) {
		t.Fatal("accepting outside/inside dates wrong")
	}
	// Once open the form is frozen; the text is not.
	f := c.Fields
	f.Questions = f.Questions[:1]
	if got := intakeFieldCodes(t, c.Update(f, intakeNow)); !slices.Equal(got, []string{"questions=frozen_when_open"}) {
		t.Fatalf("edit questions when open: %v", got)
	}
	f = c.Fields
	f.Eligibility = "注册在历下区"
	if err := c.Update(f, intakeNow); err != nil || c.Fields.Eligibility != "注册在历下区" {
		t.Fatalf("edit eligibility when open: %v", err)
	}
	if err := c.Close(intakeNow); err != nil || c.Status != CallClosed {
		t.Fatalf("close: %v", err)
	}
	if err := c.Update(f, intakeNow); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("edit a closed call: %v", err)
	}
	// A call whose dates have passed cannot be opened.
	late := intakeTestCall(t)
	if got := intakeFieldCodes(t, late.Open(intakeDate("2027-01-01"))); !slices.Equal(got, []string{"closes_on=in_past"}) {
		t.Fatalf("open after close date: %v", got)
	}
}

func TestIntakeReviewScores(t *testing.T) {
	call := intakeTestCall(t)
	cases := []struct {
		name   string
		scores map[string]int
		want   []string
	}{
		{"all four", map[string]int{"team": 5, "technology": 4, "market": 3, "fit": 1}, nil},
		{"missing and out of range", map[string]int{"team": 6, "technology": 0, "market": 3}, []string{"scores.team=out_of_range", "scores.technology=out_of_range", "scores.fit=required"}},
		{"unknown criterion", map[string]int{"team": 5, "technology": 4, "market": 3, "fit": 1, "luck": 5}, []string{"scores.luck=unknown_criterion"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewReview(call, "a", "u", c.scores, "ok", intakeNow)
			if got := intakeFieldCodes(t, err); !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}
