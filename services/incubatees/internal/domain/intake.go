package domain

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/calendar"
)

// MaterialTypes are the kinds of documents an intake call may require. The
// call only names the slots; the documents service fills them.
var MaterialTypes = []string{"business_licence", "business_plan", "ip_certificate", "financial_statements", "rd_ledger", "other"}

// Question types of an intake call's form.
const (
	QText   = "text"
	QNumber = "number"
	QMoney  = "money"
	QDate   = "date"
	QChoice = "choice"
	QFile   = "file"
)

// QuestionTypes lists every question type.
var QuestionTypes = []string{QText, QNumber, QMoney, QDate, QChoice, QFile}

// Money units: whole 元 or 千元 (Torch reports in 千元), always explicit.
const (
	UnitYuan         = "yuan"
	UnitThousandYuan = "thousand_yuan"
)

// DefaultCriteria is the review rubric when a call defines none.
var DefaultCriteria = []string{"team", "technology", "market", "fit"}

// Question is one typed field of a call's application form.
type Question struct {
	Key      string   `json:"key"`
	LabelZH  string   `json:"label_zh"`
	LabelEN  string   `json:"label_en"`
	Type     string   `json:"type"`
	Required bool     `json:"required"`
	Options  []string `json:"options,omitempty"` // choice only
	Unit     string   `json:"unit,omitempty"`    // money only
}

// CallStatus is where an intake call stands.
type CallStatus string

const (
	CallDraft  CallStatus = "draft"
	CallOpen   CallStatus = "open"
	CallClosed CallStatus = "closed"
)

// CallFields are an intake call's editable details.
type CallFields struct {
	TitleZH     string
	TitleEN     string
	OpensOn     time.Time // date (UTC midnight)
	ClosesOn    time.Time // date (UTC midnight)
	Eligibility string
	Materials   []string
	Questions   []Question
	Criteria    []string // review rubric; empty means DefaultCriteria
	Capacity    int
	// MinReviews is how many reviews an application needs before it may
	// be admitted (DefaultMinReviews unless the call says otherwise).
	MinReviews int
}

// DefaultMinReviews is the number of reviews admission needs when a call
// does not set its own.
const DefaultMinReviews = 1

// IntakeCall is a carrier's 招募批次: a window in which companies apply.
type IntakeCall struct {
	ID        string
	RegionID  string
	CarrierID string
	Fields    CallFields
	Status    CallStatus
	CreatedAt time.Time
	UpdatedAt time.Time
}

var intakeKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// NewIntakeCall validates a new call, which starts as a draft.
func NewIntakeCall(id, regionID, carrierID string, f CallFields, now time.Time) (*IntakeCall, error) {
	f = intakeNormalizeCall(f)
	if err := intakeValidateCall(f); err != nil {
		return nil, err
	}
	return &IntakeCall{ID: id, RegionID: regionID, CarrierID: carrierID, Fields: f, Status: CallDraft, CreatedAt: now, UpdatedAt: now}, nil
}

// Update replaces the details. A closed call is final; once a call is open
// its form (questions, materials, criteria) is frozen, because applicants
// have answered it.
func (c *IntakeCall) Update(f CallFields, now time.Time) error {
	if c.Status == CallClosed {
		return apperr.ConflictErr("intake-call-closed")
	}
	f = intakeNormalizeCall(f)
	if err := intakeValidateCall(f); err != nil {
		return err
	}
	if c.Status == CallOpen {
		v := apperr.NewValidation("invalid-intake-call")
		v.Check(!intakeSameJSON(c.Fields.Questions, f.Questions), "questions", "frozen_when_open")
		v.Check(!slices.Equal(c.Fields.Materials, f.Materials), "materials", "frozen_when_open")
		v.Check(!slices.Equal(c.Fields.Criteria, f.Criteria), "criteria", "frozen_when_open")
		if err := v.Err(); err != nil {
			return err
		}
	}
	c.Fields, c.UpdatedAt = f, now
	return nil
}

// Open starts taking applications.
func (c *IntakeCall) Open(now time.Time) error {
	if c.Status != CallDraft {
		return apperr.ConflictErr("intake-call-not-draft")
	}
	if calendar.Today(now).After(c.Fields.ClosesOn) {
		return apperr.NewValidation("invalid-intake-call").Add("closes_on", "in_past").Err()
	}
	c.Status, c.UpdatedAt = CallOpen, now
	return nil
}

// Close stops taking applications.
func (c *IntakeCall) Close(now time.Time) error {
	if c.Status != CallOpen {
		return apperr.ConflictErr("intake-call-not-open")
	}
	c.Status, c.UpdatedAt = CallClosed, now
	return nil
}

// Accepting reports whether the call takes applications at now: open, and
// today inside its dates.
func (c *IntakeCall) Accepting(now time.Time) bool {
	d := calendar.Today(now)
	return c.Status == CallOpen && !d.Before(c.Fields.OpensOn) && !d.After(c.Fields.ClosesOn)
}

// Question returns the question with key.
func (c *IntakeCall) Question(key string) (Question, bool) {
	for _, q := range c.Fields.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

func intakeDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func intakeSameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func intakeNormalizeCall(f CallFields) CallFields {
	f.TitleZH, f.TitleEN, f.Eligibility = strings.TrimSpace(f.TitleZH), strings.TrimSpace(f.TitleEN), strings.TrimSpace(f.Eligibility)
	f.OpensOn, f.ClosesOn = intakeDay(f.OpensOn), intakeDay(f.ClosesOn)
	if f.Materials == nil {
		f.Materials = []string{}
	}
	if f.Questions == nil {
		f.Questions = []Question{}
	}
	if len(f.Criteria) == 0 {
		f.Criteria = slices.Clone(DefaultCriteria)
	}
	for i := range f.Questions {
		q := &f.Questions[i]
		q.Key, q.LabelZH, q.LabelEN = strings.TrimSpace(q.Key), strings.TrimSpace(q.LabelZH), strings.TrimSpace(q.LabelEN)
	}
	return f
}

func intakeValidateCall(f CallFields) error {
	v := apperr.NewValidation("invalid-intake-call")
	v.Check(f.TitleZH == "", "title_zh", "required")
	v.Check(utf8.RuneCountInString(f.TitleZH) > 200, "title_zh", "too_long", "max", 200)
	v.Check(utf8.RuneCountInString(f.TitleEN) > 200, "title_en", "too_long", "max", 200)
	v.Check(utf8.RuneCountInString(f.Eligibility) > 5000, "eligibility", "too_long", "max", 5000)
	v.Check(f.OpensOn.IsZero(), "opens_on", "required")
	v.Check(f.ClosesOn.IsZero(), "closes_on", "required")
	if !f.OpensOn.IsZero() && !f.ClosesOn.IsZero() && f.ClosesOn.Before(f.OpensOn) {
		v.Add("closes_on", "before_opens_on")
	}
	v.Check(f.Capacity < 1 || f.Capacity > 10000, "capacity", "out_of_range", "min", 1, "max", 10000)
	v.Check(f.MinReviews < 0 || f.MinReviews > 20, "min_reviews", "out_of_range", "min", 0, "max", 20)
	seenM := map[string]bool{}
	for i, m := range f.Materials {
		field := "materials." + intakeItoa(i)
		v.Check(!slices.Contains(MaterialTypes, m), field, "unknown_material", "value", m)
		v.Check(seenM[m], field, "listed_twice")
		seenM[m] = true
	}
	v.Check(len(f.Questions) > 100, "questions", "too_many", "max", 100)
	seenQ := map[string]bool{}
	for i, q := range f.Questions {
		p := "questions." + intakeItoa(i) + "."
		v.Check(!intakeKeyRe.MatchString(q.Key), p+"key", "bad_key")
		v.Check(seenQ[q.Key], p+"key", "duplicate")
		seenQ[q.Key] = true
		v.Check(q.LabelZH == "", p+"label_zh", "required")
		v.Check(!slices.Contains(QuestionTypes, q.Type), p+"type", "unknown_question_type", "value", q.Type)
		switch q.Type {
		case QMoney:
			v.Check(q.Unit != UnitYuan && q.Unit != UnitThousandYuan, p+"unit", "money_unit")
		default:
			v.Check(q.Unit != "", p+"unit", "only_for_money")
		}
		if q.Type == QChoice {
			v.Check(len(q.Options) < 2, p+"options", "too_few", "min", 2)
			seen := map[string]bool{}
			for _, o := range q.Options {
				v.Check(strings.TrimSpace(o) == "" || seen[o], p+"options", "bad_option")
				seen[o] = true
			}
		} else {
			v.Check(len(q.Options) > 0, p+"options", "only_for_choice")
		}
	}
	seenC := map[string]bool{}
	for i, c := range f.Criteria {
		field := "criteria." + intakeItoa(i)
		v.Check(!intakeKeyRe.MatchString(c), field, "bad_key")
		v.Check(seenC[c], field, "listed_twice")
		seenC[c] = true
	}
	v.Check(len(f.Criteria) > 20, "criteria", "too_many", "max", 20)
	return v.Err()
}

func intakeItoa(i int) string { return strconv.Itoa(i) }
