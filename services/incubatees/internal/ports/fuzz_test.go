package ports

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// fuzzQuestions has one question of each type.
var fuzzQuestions = []domain.Question{
	{Key: "project", Type: domain.QText, Required: true},
	{Key: "team_size", Type: domain.QNumber},
	{Key: "revenue", Type: domain.QMoney, Unit: "yuan"},
	{Key: "founded", Type: domain.QDate},
	{Key: "stage", Type: domain.QChoice, Options: []string{"idea", "seed"}},
	{Key: "plan", Type: domain.QFile},
}

// problemOnly fails unless err is nil or a 4xx problem.
func problemOnly(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	ae, ok := apperr.As(err)
	if !ok {
		t.Fatalf("not a problem error: %v", err)
	}
	if s := httpx.Status(ae.Category); s < 400 || s >= 500 {
		t.Fatalf("%v answers %d", err, s)
	}
}

// addSeeds adds each body of seeds to f's corpus.
func addSeeds(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

// decodeFuzzed decodes body with the shared binder, as the handlers do;
// a refusal must be a problem.
func decodeFuzzed[T any](t *testing.T, body []byte) (T, bool) {
	t.Helper()
	var in T
	err := httpx.DecodeJSON(body, &in)
	problemOnly(t, err)
	return in, err == nil
}

// FuzzApplicationBody: a client's application body goes through the
// shared binder and then the answers' own decoding (domain.ValidateAnswers
// unmarshals each raw answer). Neither panics, both refuse with 4xx
// problems only, and an accepted text answer is text the database stores.
func FuzzApplicationBody(f *testing.F) {
	addSeeds(f,
		`{"company_id":"01JDQ7Z5X8K2M3N4P5Q6R7S8T9","answers":{"project":"工业视觉\n质检","team_size":6,"revenue":{"amount":100,"unit":"yuan"},"founded":"2024-01-02","stage":"seed","plan":"01JDQ7Z5X8K2M3N4P5Q6R7S8T9"}}`,
		`{"answers":{"project":"a\u0000b"}}`, `{"answers":{"revenue":{"amount":1e400,"unit":"yuan"}}}`, `{"answers":{"revenue":{"amount":-1}}}`,
		`{"answers":{"team_size":"6"}}`, `{"answers":{"project":null}}`, `{"answers":{"\u202e":1}}`, `{"answers":null}`, `null`,
		`{"answers":{"founded":"2024-02-30"}}`, `{"answers":{"plan":"`+string(make([]byte, 70))+`"}}`,
	)
	f.Fuzz(func(t *testing.T, body []byte) {
		in, ok := decodeFuzzed[ApplicationInput](t, body)
		if !ok {
			return
		}
		problemOnly(t, domain.ValidateAnswers(fuzzQuestions, in.Answers, true))
		var text string
		if raw, ok := in.Answers["project"]; ok && json.Unmarshal(raw, &text) == nil {
			if code := httpx.TextProblem(text, true); code != "" {
				t.Fatalf("accepted answer %q (%s)", text, code)
			}
		}
	})
}

// FuzzReportBody: a report body goes through the shared binder and then
// metricInputs, which decodes each metric from raw JSON. Neither panics;
// a metric not flagged invalid is an integer its JSON spelled.
func FuzzReportBody(f *testing.F) {
	addSeeds(f,
		`{"period":"2026-Q1","metrics":{"employees":12,"revenue":{"value":5,"unit":"thousand_yuan"}},"explanations":{"employees":"招聘\n扩张"},"submit":true}`,
		`{"metrics":{"a":1.5}}`, `{"metrics":{"a":"1"}}`, `{"metrics":{"a":{"value":1,"unit":"yuan","x":1}}}`, `{"metrics":{"a":99999999999999999999}}`,
		`{"metrics":{"a":{"value":"\u0000"}}}`, `{"explanations":{"a":"\u0000"}}`, `{"metrics":{"a":-0}}`, `{"metrics":{"a":[]}}`, `{"metrics":{"a":null}}`,
	)
	f.Fuzz(func(t *testing.T, body []byte) {
		in, ok := decodeFuzzed[ReportInput](t, body)
		if !ok {
			return
		}
		for k, m := range metricInputs(in.Metrics) {
			if m.Invalid {
				continue
			}
			raw := in.Metrics[k]
			var obj struct {
				Value json.Number `json:"value"`
			}
			var num json.Number
			if json.Unmarshal(raw, &obj) == nil && obj.Value != "" {
				num = obj.Value
			} else if err := json.Unmarshal(raw, &num); err != nil {
				t.Fatalf("metric %s = %s accepted as %d", k, raw, m.Value)
			}
			if n, err := strconv.ParseInt(num.String(), 10, 64); err != nil || n != m.Value {
				t.Fatalf("metric %s = %s accepted as %d", k, raw, m.Value)
			}
		}
		for k, e := range in.Explanations {
			if httpx.TextProblem(k, false) != "" || httpx.TextProblem(e, true) != "" {
				t.Fatalf("accepted explanation %q: %q", k, e)
			}
		}
	})
}
