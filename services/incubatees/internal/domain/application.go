package domain

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// AppStatus is where an application stands.
type AppStatus string

const (
	AppDraft     AppStatus = "draft"
	AppSubmitted AppStatus = "submitted"
	AppReviewing AppStatus = "reviewing"
	AppAdmitted  AppStatus = "admitted"
	AppRejected  AppStatus = "rejected"
	AppWithdrawn AppStatus = "withdrawn"
)

// AppStatuses lists every application status.
var AppStatuses = []AppStatus{AppDraft, AppSubmitted, AppReviewing, AppAdmitted, AppRejected, AppWithdrawn}

// Final reports whether no further transition is possible.
func (s AppStatus) Final() bool { return s == AppAdmitted || s == AppRejected || s == AppWithdrawn }

// AppAction is what moves an application.
type AppAction string

const (
	AppActSubmit   AppAction = "submit"   // the company hands it in
	AppActReview   AppAction = "review"   // a reviewer scores it
	AppActAdmit    AppAction = "admit"    // the carrier admits
	AppActReject   AppAction = "reject"   // the carrier rejects
	AppActWithdraw AppAction = "withdraw" // the company takes it back before a decision
	AppActReturn   AppAction = "return"   // a material it relied on was deleted: back to the company
)

// AppActions lists every action.
var AppActions = []AppAction{AppActSubmit, AppActReview, AppActAdmit, AppActReject, AppActWithdraw, AppActReturn}

// intakeTransitions is the state machine: from status, action → to status.
// Anything not listed is refused.
var intakeTransitions = map[AppStatus]map[AppAction]AppStatus{
	AppDraft:     {AppActSubmit: AppSubmitted, AppActWithdraw: AppWithdrawn},
	AppSubmitted: {AppActReview: AppReviewing, AppActAdmit: AppAdmitted, AppActReject: AppRejected, AppActWithdraw: AppWithdrawn, AppActReturn: AppDraft},
	AppReviewing: {AppActReview: AppReviewing, AppActAdmit: AppAdmitted, AppActReject: AppRejected, AppActWithdraw: AppWithdrawn, AppActReturn: AppDraft},
}

// NextAppStatus returns where action takes an application in status from, or
// a conflict when the state machine does not allow it.
func NextAppStatus(from AppStatus, action AppAction) (AppStatus, error) {
	to, ok := intakeTransitions[from][action]
	if !ok {
		return from, apperr.ConflictErr("application-bad-transition").With("status", string(from)).With("action", string(action))
	}
	return to, nil
}

// MaterialStatus is where the document in a material slot stands.
type MaterialStatus string

// Material statuses. A slot is empty until the documents service reports a
// document in it, and empty again once that document is deleted.
const (
	MaterialEmpty    MaterialStatus = ""
	MaterialUploaded MaterialStatus = "uploaded"
	MaterialVerified MaterialStatus = "verified"
	MaterialReturned MaterialStatus = "returned"
	// MaterialDeleted is never stored: a deletion empties the slot.
	MaterialDeleted MaterialStatus = "deleted"
)

// MaterialSlot is one required material of an application, as the
// documents service last reported it (checklist "application:<id>").
type MaterialSlot struct {
	Type       string         `json:"type"`
	DocumentID string         `json:"document_id"`
	Status     MaterialStatus `json:"status"`
	Version    int            `json:"version"`
	Filename   string         `json:"filename"`
	// At is when the documents service made the change shown; it orders
	// events of different documents in the slot (versions order those of
	// one document).
	At time.Time `json:"at,omitzero"`
}

// DocumentChange is one documents-service event about the document in an
// application's slot.
type DocumentChange struct {
	Type       string
	DocumentID string
	Status     MaterialStatus // uploaded, verified, returned or deleted
	Version    int
	Filename   string
	At         time.Time // when the documents service made the change
}

// Why a document change leaves the slots as they are.
const (
	DocIgnoredNoSlot       = "no_slot"        // the call requires no material of this type
	DocIgnoredOlderVersion = "older_version"  // the slot shows a newer version of the document
	DocIgnoredStale        = "stale"          // the slot changed after this event happened
	DocIgnoredOtherDeleted = "other_deleted"  // a document that is not (or no longer) in the slot was deleted
	DocIgnoredBadStatus    = "unknown_status" // not a status this service knows
)

// ApplyDocument records a change of the document in the slot of its type
// and returns "" — or, when the change is out of date, why it is ignored
// (events may arrive out of order after a redelivery). Within one
// document the version orders changes: an older version never replaces a
// newer one, and the upload of a version never undoes its review. Between
// documents (one was deleted, another uploaded) the time of the change
// does. A deletion empties the slot.
func (a *Application) ApplyDocument(d DocumentChange, now time.Time) string {
	i := slices.IndexFunc(a.Materials, func(s MaterialSlot) bool { return s.Type == d.Type })
	if i < 0 {
		return DocIgnoredNoSlot
	}
	s := &a.Materials[i]
	same := s.DocumentID != "" && s.DocumentID == d.DocumentID
	switch {
	case !slices.Contains([]MaterialStatus{MaterialUploaded, MaterialVerified, MaterialReturned, MaterialDeleted}, d.Status):
		return DocIgnoredBadStatus
	case d.Status == MaterialDeleted && !same:
		return DocIgnoredOtherDeleted
	case d.Status == MaterialDeleted:
		// A deletion ends the document whatever version it names.
	case same && d.Version < s.Version:
		return DocIgnoredOlderVersion
	case same && d.Version == s.Version && d.Status == MaterialUploaded && s.Status != MaterialUploaded:
		return DocIgnoredOlderVersion
	case same && d.Version == s.Version && d.At.Before(s.At):
		return DocIgnoredStale // two reviews of one version: the later one holds
	case !same && d.At.Before(s.At):
		return DocIgnoredStale
	}
	if d.Status == MaterialDeleted {
		*s = MaterialSlot{Type: s.Type, At: maxTime(s.At, d.At)}
	} else {
		*s = MaterialSlot{Type: s.Type, DocumentID: d.DocumentID, Status: d.Status, Version: d.Version, Filename: d.Filename, At: maxTime(s.At, d.At)}
	}
	a.UpdatedAt = now
	return ""
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// CheckMaterials refuses while a material the call requires has no
// document (never uploaded, or deleted) or its document was returned.
// Field errors are named "materials.<type>".
func (a *Application) CheckMaterials(call *IntakeCall) error {
	v := apperr.NewValidation("materials-incomplete")
	for _, m := range call.Fields.Materials {
		field := "materials." + m
		i := slices.IndexFunc(a.Materials, func(s MaterialSlot) bool { return s.Type == m })
		switch {
		case i < 0 || a.Materials[i].DocumentID == "":
			v.Add(field, "material_missing")
		case a.Materials[i].Status == MaterialReturned:
			v.Add(field, "material_returned")
		case a.Materials[i].Status != MaterialUploaded && a.Materials[i].Status != MaterialVerified:
			v.Add(field, "material_missing")
		}
	}
	return v.Err()
}

// AdmissionIncomplete is the slug of CheckAdmission's refusal.
const AdmissionIncomplete = "admission-incomplete"

// CheckAdmission refuses to admit while a material the call requires is
// not verified or the application has fewer than the call's MinReviews
// reviews. Field errors: "materials.<type>" (material_not_verified) and
// "reviews" (too_few_reviews, with min and got).
func (a *Application) CheckAdmission(call *IntakeCall, reviews int) error {
	v := apperr.NewValidation(AdmissionIncomplete)
	for _, m := range call.Fields.Materials {
		i := slices.IndexFunc(a.Materials, func(s MaterialSlot) bool { return s.Type == m })
		if i < 0 || a.Materials[i].DocumentID == "" || a.Materials[i].Status != MaterialVerified {
			v.Add("materials."+m, "material_not_verified")
		}
	}
	v.Check(reviews < call.Fields.MinReviews, "reviews", "too_few_reviews", "min", call.Fields.MinReviews, "got", reviews)
	return v.Err()
}

// Admit admits the application: CheckAdmission's refusal stands unless
// override gives a reason (the caller checked that the actor may
// override), which the application keeps.
func (a *Application) Admit(call *IntakeCall, reviews int, reason, override, by string, now time.Time) error {
	override = strings.TrimSpace(override)
	if utf8.RuneCountInString(override) > 2000 {
		return apperr.NewValidation("invalid-decision").Add("override_reason", "too_long", "max", 2000).Err()
	}
	// The reason and the transition are checked first: a final
	// application is a conflict whatever its materials.
	b := *a
	if err := b.Decide(AppActAdmit, reason, by, now); err != nil {
		return err
	}
	if err := a.CheckAdmission(call, reviews); err == nil {
		override = ""
	} else if override == "" {
		return err
	}
	b.Override = override
	*a = b
	return nil
}

// AdmissionConflict is another carrier's open residency of a company
// being admitted (the same company, or one with its USCC).
type AdmissionConflict struct {
	CarrierID     string `json:"carrier_id"`
	CarrierNameZH string `json:"carrier_name_zh"`
	ResidencyID   string `json:"residency_id"`
	CompanyID     string `json:"company_id"`
	Status        string `json:"status"`
}

// Application is a company's application to an intake call.
type Application struct {
	ID        string
	CallID    string
	CarrierID string
	RegionID  string
	CompanyID string
	Status    AppStatus
	Answers   map[string]json.RawMessage
	Materials []MaterialSlot
	Reason    string // the decision's reason, visible to the applicant
	// Override is why an admin admitted although CheckAdmission refused
	// (materials not verified, too few reviews); empty otherwise.
	Override string
	// ReturnedFor is the material type whose deletion handed a submitted
	// application back to the company (the notice it reads); a new
	// submission clears it.
	ReturnedFor string
	// Conflicts are the company's open residencies at other carriers when
	// it was admitted (a warning: the company is counted by one only).
	Conflicts   []AdmissionConflict
	DecidedBy   string
	DecidedAt   *time.Time
	SubmittedAt *time.Time
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// NewApplication starts a draft for call; answers may be partial.
func NewApplication(id string, call *IntakeCall, companyID, createdBy string, answers map[string]json.RawMessage, now time.Time) (*Application, error) {
	if err := ValidateAnswers(call.Fields.Questions, answers, false); err != nil {
		return nil, err
	}
	a := &Application{ID: id, CallID: call.ID, CarrierID: call.CarrierID, RegionID: call.RegionID, CompanyID: companyID,
		Status: AppDraft, Answers: intakeCleanAnswers(answers), CreatedBy: createdBy, CreatedAt: now, UpdatedAt: now}
	for _, m := range call.Fields.Materials {
		a.Materials = append(a.Materials, MaterialSlot{Type: m})
	}
	if a.Materials == nil {
		a.Materials = []MaterialSlot{}
	}
	return a, nil
}

// SetAnswers merges changes into the answers of a draft (JSON merge
// patch, RFC 7396, one level deep): a question absent from changes keeps
// its answer, a value replaces it, null clears it. A PATCH carrying one
// answer must not erase the others.
func (a *Application) SetAnswers(call *IntakeCall, changes map[string]json.RawMessage, now time.Time) error {
	if a.Status != AppDraft {
		return apperr.ConflictErr("application-not-draft")
	}
	if err := ValidateAnswers(call.Fields.Questions, changes, false); err != nil {
		return err
	}
	merged := make(map[string]json.RawMessage, len(a.Answers)+len(changes))
	for k, v := range a.Answers {
		merged[k] = v
	}
	for k, v := range changes {
		merged[k] = v
	}
	a.Answers, a.UpdatedAt = intakeCleanAnswers(merged), now
	return nil
}

// Submit hands the draft in; every required question must be answered
// and every required material uploaded (and not returned).
func (a *Application) Submit(call *IntakeCall, now time.Time) error {
	to, err := NextAppStatus(a.Status, AppActSubmit)
	if err != nil {
		return err
	}
	if err := ValidateAnswers(call.Fields.Questions, a.Answers, true); err != nil {
		return err
	}
	if err := a.CheckMaterials(call); err != nil {
		return err
	}
	a.Status, a.SubmittedAt, a.UpdatedAt, a.ReturnedFor = to, &now, now, ""
	return nil
}

// ReturnForDeletedMaterial hands a submitted (or in review) application
// back to the company as a draft when the document in its slot of type
// typ was deleted: what the carrier would decide on is gone. It reports
// whether it did; a draft or a decided application stays as it is.
func (a *Application) ReturnForDeletedMaterial(typ string, now time.Time) bool {
	to, err := NextAppStatus(a.Status, AppActReturn)
	if err != nil {
		return false
	}
	a.Status, a.SubmittedAt, a.ReturnedFor, a.UpdatedAt = to, nil, typ, now
	return true
}

// Move applies a transition without a payload (review, withdraw).
func (a *Application) Move(action AppAction, now time.Time) error {
	to, err := NextAppStatus(a.Status, action)
	if err != nil {
		return err
	}
	a.Status, a.UpdatedAt = to, now
	return nil
}

// CheckDecision refuses an action that is not a decision: admit or reject.
func CheckDecision(action AppAction) error {
	if action != AppActAdmit && action != AppActReject {
		return apperr.NewValidation("invalid-decision").Add("decision", "one_of", "allowed", "admit, reject").Err()
	}
	return nil
}

// Decide admits or rejects with a reason the applicant reads.
func (a *Application) Decide(action AppAction, reason, by string, now time.Time) error {
	if err := CheckDecision(action); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	v := apperr.NewValidation("invalid-decision")
	v.Check(reason == "", "reason", "required")
	v.Check(utf8.RuneCountInString(reason) > 2000, "reason", "too_long", "max", 2000)
	if err := v.Err(); err != nil {
		return err
	}
	to, err := NextAppStatus(a.Status, action)
	if err != nil {
		return err
	}
	a.Status, a.Reason, a.DecidedBy, a.DecidedAt, a.UpdatedAt = to, reason, by, &now, now
	return nil
}

// cleanAnswers drops null answers so a cleared field reads as absent.
func intakeCleanAnswers(in map[string]json.RawMessage) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range in {
		if !intakeIsNull(v) {
			out[k] = v
		}
	}
	return out
}

func intakeIsNull(v json.RawMessage) bool {
	t := bytes.TrimSpace(v)
	return len(t) == 0 || string(t) == "null"
}

// MoneyAnswer is a money answer: an integer amount with its unit, which
// must be the question's.
type MoneyAnswer struct {
	Amount *int64 `json:"amount"`
	Unit   string `json:"unit"`
}

// ValidateAnswers checks answers against the call's questions: known keys,
// the right type, money in the question's unit, a choice among the options;
// complete also requires every required question. Field errors are named
// "answers.<key>".
func ValidateAnswers(qs []Question, answers map[string]json.RawMessage, complete bool) error {
	v := apperr.NewValidation("invalid-answers")
	byKey := map[string]Question{}
	for _, q := range qs {
		byKey[q.Key] = q
	}
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		raw := answers[k]
		field := "answers." + k
		q, ok := byKey[k]
		if !ok {
			v.Add(field, "unknown_question")
			continue
		}
		if intakeIsNull(raw) {
			continue
		}
		intakeCheckAnswer(v, field, q, raw)
	}
	if complete {
		for _, q := range qs {
			if q.Required && intakeIsNull(answers[q.Key]) {
				v.Add("answers."+q.Key, "required")
			}
		}
	}
	return v.Err()
}

func intakeCheckAnswer(v *apperr.Validation, field string, q Question, raw json.RawMessage) {
	var s string
	switch q.Type {
	case QText:
		if json.Unmarshal(raw, &s) != nil {
			v.Add(field, "want_text")
			return
		}
		v.Check(utf8.RuneCountInString(s) > 5000, field, "too_long", "max", 5000)
		v.Check(q.Required && strings.TrimSpace(s) == "", field, "required")
	case QNumber:
		var n float64
		v.Check(json.Unmarshal(raw, &n) != nil, field, "want_number")
	case QMoney:
		var m MoneyAnswer
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if dec.Decode(&m) != nil || m.Amount == nil {
			v.Add(field, "want_money")
			return
		}
		switch {
		case m.Unit == "":
			v.Add(field, "money_unit_missing", "want", q.Unit)
		case m.Unit != q.Unit:
			v.Add(field, "money_unit_mismatch", "want", q.Unit, "got", m.Unit)
		case *m.Amount < 0:
			v.Add(field, "negative")
		}
	case QDate:
		if json.Unmarshal(raw, &s) != nil {
			v.Add(field, "date_format")
			return
		}
		_, err := time.Parse(time.DateOnly, s)
		v.Check(err != nil, field, "date_format")
	case QChoice:
		if json.Unmarshal(raw, &s) != nil || !slices.Contains(q.Options, s) {
			v.Add(field, "not_an_option", "allowed", strings.Join(q.Options, ", "))
		}
	case QFile:
		// A document id; submission checks it names one of the company's documents.
		if json.Unmarshal(raw, &s) != nil || strings.TrimSpace(s) == "" || len(s) > 64 {
			v.Add(field, "want_document_id")
		}
	}
}

// ApplicationReview is one reviewer's rubric scores and comment; a
// reviewer who reviews again replaces their earlier review.
type ApplicationReview struct {
	ApplicationID string
	ReviewerID    string
	Scores        map[string]int
	Comment       string
	At            time.Time
}

// NewReview validates scores against the call's criteria: every criterion
// scored, each from 1 to 5, nothing else.
func NewReview(call *IntakeCall, applicationID, reviewerID string, scores map[string]int, comment string, now time.Time) (ApplicationReview, error) {
	v := apperr.NewValidation("invalid-application-review")
	for _, c := range call.Fields.Criteria {
		s, ok := scores[c]
		switch {
		case !ok:
			v.Add("scores."+c, "required")
		case s < 1 || s > 5:
			v.Add("scores."+c, "out_of_range", "min", 1, "max", 5)
		}
	}
	keys := make([]string, 0, len(scores))
	for k := range scores {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v.Check(!slices.Contains(call.Fields.Criteria, k), "scores."+k, "unknown_criterion")
	}
	comment = strings.TrimSpace(comment)
	v.Check(utf8.RuneCountInString(comment) > 5000, "comment", "too_long", "max", 5000)
	if err := v.Err(); err != nil {
		return ApplicationReview{}, err
	}
	return ApplicationReview{ApplicationID: applicationID, ReviewerID: reviewerID, Scores: scores, Comment: comment, At: now}, nil
}
