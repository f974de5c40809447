package domain

import (
	"slices"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/calendar"
)

// LadderStep is one rung of the cultivation ladder (科技企业梯次培育), a
// track per company that is separate from where it resides.
type LadderStep string

const (
	StepTeamOrResult LadderStep = "team_or_result" // 创业团队 / 科技成果
	StepStartup      LadderStep = "startup"        // 创业企业
	StepTechSME      LadderStep = "tech_sme"       // 科技型中小企业 (registered yearly)
	StepHighTech     LadderStep = "high_tech"      // 高新技术企业 (certificate valid 3 years)
	StepLeading      LadderStep = "leading"        // 科技创新领军企业
)

// LadderSteps are the steps in order, lowest first.
var LadderSteps = []LadderStep{StepTeamOrResult, StepStartup, StepTechSME, StepHighTech, StepLeading}

// Rank is the step's position on the ladder (1 = lowest), 0 when unknown.
func (s LadderStep) Rank() int { return slices.Index(LadderSteps, s) + 1 }

// LadderStatus is whether someone other than the company has checked a step.
type LadderStatus string

const (
	LadderClaimed  LadderStatus = "claimed"  // recorded by the company
	LadderVerified LadderStatus = "verified" // checked by park staff or the district
	LadderRejected LadderStatus = "rejected" // refused by park staff or the district, with a reason
)

// LadderEntry is one recorded step. A step may be recorded again (the
// yearly tech-SME registration, a renewed high-tech certificate): every
// record is kept.
type LadderEntry struct {
	ID            string
	CompanyID     string
	Step          LadderStep
	CertificateNo string
	Date          time.Time // date of the certificate or registration
	Expiry        *time.Time
	EvidenceDocID string // a documents-service id; not checked here
	Status        LadderStatus
	RecordedBy    string
	RecordedAt    time.Time
	VerifiedBy    string // who verified or rejected it
	VerifiedAt    *time.Time
	RejectReason  string
}

// LadderInput is what a company states when it records a step.
type LadderInput struct {
	Step          LadderStep
	CertificateNo string
	Date          *time.Time
	Expiry        *time.Time // nil: the step's default
	EvidenceDocID string
}

// DefaultExpiry is when a step lapses unless stated otherwise: a tech-SME
// registration at the end of its year, a high-tech certificate after three
// years; the other steps do not lapse.
func DefaultExpiry(s LadderStep, date time.Time) *time.Time {
	var d time.Time
	switch s {
	case StepTechSME:
		d = time.Date(date.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	case StepHighTech:
		d = time.Date(date.Year()+3, date.Month(), date.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	default:
		return nil
	}
	return &d
}

// certificateRequired says which steps always come with an official number
// (科技型中小企业入库登记编号, 高新技术企业证书编号).
func certificateRequired(s LadderStep) bool { return s == StepTechSME || s == StepHighTech }

// NewLadderEntry checks a step a company records against the steps it
// already has: steps go up in order (a company may start at any step, and
// may record its current top step again to renew it), dates are not in the
// future and an expiry comes after the date.
func NewLadderEntry(id, companyID string, in LadderInput, existing []LadderEntry, recordedBy string, now time.Time) (LadderEntry, error) {
	v := apperr.NewValidation("invalid-ladder-step")
	rank := in.Step.Rank()
	CheckOneOf(v, "step", in.Step, LadderSteps)
	certNo := strings.TrimSpace(in.CertificateNo)
	v.Check(len([]rune(certNo)) > 64, "certificate_no", "too_long", "max", 64)
	v.Check(rank > 0 && certificateRequired(in.Step) && certNo == "", "certificate_no", "required")
	v.Check(len(in.EvidenceDocID) > 64, "evidence_document_id", "too_long", "max", 64)
	today := calendar.Today(now)
	if in.Date == nil {
		v.Add("date", "required")
	} else if in.Date.After(today) {
		v.Add("date", "in_future")
	}
	if rank > 0 && len(existing) > 0 {
		top, last := 0, time.Time{}
		for _, e := range existing {
			if r := e.Step.Rank(); r > top {
				top = r
			}
			if e.Step == in.Step && e.Date.After(last) {
				last = e.Date
			}
		}
		switch {
		case rank < top:
			v.Add("step", "below_current", "current", string(LadderSteps[top-1]))
		case rank > top+1:
			v.Add("step", "needs_predecessor", "previous", string(LadderSteps[rank-2]))
		case rank == top && in.Date != nil && !in.Date.After(last):
			v.Add("date", "not_after_previous", "previous", last.Format(time.DateOnly))
		}
	}
	e := LadderEntry{ID: id, CompanyID: companyID, Step: in.Step, CertificateNo: certNo, EvidenceDocID: strings.TrimSpace(in.EvidenceDocID),
		Status: LadderClaimed, RecordedBy: recordedBy, RecordedAt: now}
	if in.Date != nil {
		e.Date = *in.Date
		e.Expiry = in.Expiry
		if e.Expiry == nil {
			e.Expiry = DefaultExpiry(in.Step, e.Date)
		} else if !e.Expiry.After(e.Date) {
			v.Add("expiry", "not_after_date")
		}
	}
	if err := v.Err(); err != nil {
		return LadderEntry{}, err
	}
	return e, nil
}

// Verify marks a claimed step as checked, on evidence: a document of the
// company (evidence, or the one the claim named when evidence is empty;
// the caller checks it is the company's). The ladder's order holds on
// record: a company that recorded 科技型中小企业 has it verified before
// 高新技术企业, and 高新技术企业 before 科技创新领军企业 (others are the
// company's other entries). Recording lets a company enter at any rung,
// so one whose first record is 高新技术企业 is verified without it.
func (e *LadderEntry) Verify(by, evidence string, others []LadderEntry, now time.Time) error {
	if err := e.decidable(); err != nil {
		return err
	}
	evidence = strings.TrimSpace(evidence)
	if evidence == "" {
		evidence = e.EvidenceDocID
	}
	v := apperr.NewValidation("invalid-ladder-step")
	v.Check(evidence == "", "evidence_document_id", "required")
	v.Check(len(evidence) > 64, "evidence_document_id", "too_long", "max", 64)
	// A company may enter the ladder at any rung (its first record); once
	// it has recorded the step below, that one is verified first.
	if below, ok := verifiedBelow(e.Step); ok && slices.ContainsFunc(others, func(o LadderEntry) bool { return o.Step == below }) &&
		!slices.ContainsFunc(others, func(o LadderEntry) bool { return o.Step == below && o.Status == LadderVerified }) {
		v.Add("step", "predecessor_not_verified", "previous", string(below))
	}
	if err := v.Err(); err != nil {
		return err
	}
	e.Status, e.VerifiedBy, e.VerifiedAt, e.EvidenceDocID = LadderVerified, by, &now, evidence
	return nil
}

// Reject refuses a claimed step with a reason the company reads.
func (e *LadderEntry) Reject(by, reason string, now time.Time) error {
	if err := e.decidable(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	v := apperr.NewValidation("invalid-ladder-step")
	v.Check(reason == "", "reason", "required")
	v.Check(len([]rune(reason)) > 2000, "reason", "too_long", "max", 2000)
	if err := v.Err(); err != nil {
		return err
	}
	e.Status, e.VerifiedBy, e.VerifiedAt, e.RejectReason = LadderRejected, by, &now, reason
	return nil
}

func (e *LadderEntry) decidable() error {
	switch e.Status {
	case LadderVerified:
		return apperr.ConflictErr("ladder-step-already-verified")
	case LadderRejected:
		return apperr.ConflictErr("ladder-step-rejected")
	}
	return nil
}

// verifiedBelow is the step that must be verified before s may be: the
// order the ladder page states (科技型中小企业 → 高新技术企业 →
// 科技创新领军企业). The first rungs are not certified and have none.
func verifiedBelow(s LadderStep) (LadderStep, bool) {
	switch s {
	case StepHighTech:
		return StepTechSME, true
	case StepLeading:
		return StepHighTech, true
	}
	return "", false
}

// Expired reports whether the step had lapsed at now.
func (e LadderEntry) Expired(now time.Time) bool {
	return e.Expiry != nil && e.Expiry.Before(calendar.Today(now))
}
