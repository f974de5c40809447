package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// PromotionStatus is where a promotion up the chain stands.
type PromotionStatus string

// proposed (by the current carrier) → consented (by the company) →
// accepted or declined (by the next carrier, with a reason).
const (
	PromotionProposed  PromotionStatus = "proposed"
	PromotionConsented PromotionStatus = "consented"
	PromotionAccepted  PromotionStatus = "accepted"
	PromotionDeclined  PromotionStatus = "declined"
)

// IncomingStatuses are the states in which the receiving carrier sees a
// promotion: after the company consented (a proposal is between the
// sending carrier and the company until then).
var IncomingStatuses = []PromotionStatus{PromotionConsented, PromotionAccepted, PromotionDeclined}

// SharedItems are what the company may let travel in the handoff packet;
// its profile always does. "documents" is its verified materials (their
// kind, file name and when verified; never the files themselves).
var SharedItems = []string{"profile", "latest_metrics", "milestones", "documents"}

// ChainCarrier is what a promotion needs to know of a carrier.
type ChainCarrier struct {
	ID, RegionID, Kind string
	ChainOrder         int
}

// Promotion moves a company from its carrier to one higher in the chain.
// Its state is private: it changes only through Consent and Accept, and
// is loaded with PromotionFromDB.
type Promotion struct{ x PromotionRecord }

// PromotionRecord is a promotion as stored: what PromotionFromDB loads and
// the adapter writes back (Record).
type PromotionRecord struct {
	ID             string
	ResidencyID    string
	CompanyID      string
	RegionID       string
	From, To       ChainCarrier
	Status         PromotionStatus
	Note           string
	Shared         []string
	Packet         []byte // JSON handoff packet, filled at consent
	ProposedBy     string
	ConsentedBy    string
	AcceptedBy     string
	DeclinedBy     string
	DeclineReason  string // why the next carrier declined
	NewResidencyID string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// PromotionFromDB is a stored promotion; it validates nothing, the row
// was valid when written.
func PromotionFromDB(x PromotionRecord) *Promotion { return &Promotion{x: x} }

// Record is the promotion as the adapter stores it.
func (p *Promotion) Record() PromotionRecord { return p.x }

func (p *Promotion) ID() string              { return p.x.ID }
func (p *Promotion) ResidencyID() string     { return p.x.ResidencyID }
func (p *Promotion) CompanyID() string       { return p.x.CompanyID }
func (p *Promotion) RegionID() string        { return p.x.RegionID }
func (p *Promotion) From() ChainCarrier      { return p.x.From }
func (p *Promotion) To() ChainCarrier        { return p.x.To }
func (p *Promotion) Status() PromotionStatus { return p.x.Status }
func (p *Promotion) Note() string            { return p.x.Note }
func (p *Promotion) Shared() []string        { return append([]string(nil), p.x.Shared...) }
func (p *Promotion) Packet() []byte          { return p.x.Packet }
func (p *Promotion) NewResidencyID() string  { return p.x.NewResidencyID }
func (p *Promotion) DeclineReason() string   { return p.x.DeclineReason }
func (p *Promotion) CreatedAt() time.Time    { return p.x.CreatedAt }
func (p *Promotion) UpdatedAt() time.Time    { return p.x.UpdatedAt }

// NewPromotion validates a proposal: only up the chain, within the
// region, never to or from a service carrier (chain order 0).
func NewPromotion(id string, r *Residency, from, to ChainCarrier, note string, shared []string, by string, now time.Time) (*Promotion, error) {
	if r.status != InResidence {
		return nil, residencyRefused(r.status, ActPromote)
	}
	v := apperr.NewValidation("invalid-promotion")
	switch {
	case to.ID == from.ID:
		v.Add("to_carrier_id", "same_carrier")
	case to.RegionID != from.RegionID:
		v.Add("to_carrier_id", "other_region")
	case to.ChainOrder == 0 || from.ChainOrder == 0:
		v.Add("to_carrier_id", "not_in_chain", "kind", to.Kind)
	case to.ChainOrder <= from.ChainOrder:
		v.Add("to_carrier_id", "not_higher", "from_order", from.ChainOrder, "to_order", to.ChainOrder)
	}
	note = strings.TrimSpace(note)
	v.Check(utf8.RuneCountInString(note) > 1000, "note", "too_long", "max", 1000)
	seen := map[string]bool{}
	var items []string
	for _, s := range append([]string{"profile"}, shared...) {
		if !slices.Contains(SharedItems, s) {
			v.Add("shared", "one_of", "allowed", strings.Join(SharedItems, ", "))
			break
		}
		if !seen[s] {
			seen[s] = true
			items = append(items, s)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &Promotion{x: PromotionRecord{ID: id, ResidencyID: r.id, CompanyID: r.companyID, RegionID: r.regionID, From: from, To: to,
		Status: PromotionProposed, Note: note, Shared: items, ProposedBy: by, CreatedAt: now, UpdatedAt: now}}, nil
}

func residencyPromotionRefused(s PromotionStatus, act string) error {
	return apperr.ConflictErr("promotion-transition-refused").With("status", string(s)).With("action", act)
}

// ProposeAfter refuses a new proposal while the residency's latest
// promotion (nil: none) still waits for someone.
func ProposeAfter(latest *Promotion) error {
	if latest != nil && latest.Open() {
		return apperr.ConflictErr("promotion-in-progress")
	}
	return nil
}

// CanConsent says whether the company may consent now.
func (p *Promotion) CanConsent() error {
	if p.x.Status != PromotionProposed {
		return residencyPromotionRefused(p.x.Status, "consent")
	}
	return nil
}

// Consent records the company's consent and the packet it lets travel.
func (p *Promotion) Consent(by string, packet []byte, now time.Time) error {
	if err := p.CanConsent(); err != nil {
		return err
	}
	p.x.Status, p.x.ConsentedBy, p.x.Packet, p.x.UpdatedAt = PromotionConsented, by, packet, now
	return nil
}

// CanAccept says whether the target carrier may accept now (the company
// consented and nobody accepted yet).
func (p *Promotion) CanAccept() error {
	if p.x.Status != PromotionConsented {
		return residencyPromotionRefused(p.x.Status, "accept")
	}
	return nil
}

// Accept records the next carrier's acceptance and the residency it opened.
func (p *Promotion) Accept(by, newResidencyID string, now time.Time) error {
	if err := p.CanAccept(); err != nil {
		return err
	}
	p.x.Status, p.x.AcceptedBy, p.x.NewResidencyID, p.x.UpdatedAt = PromotionAccepted, by, newResidencyID, now
	return nil
}

// MaxDeclineReason is the longest reason a carrier may give, in characters.
const MaxDeclineReason = 1000

// Decline records the next carrier's refusal of a consented promotion and
// why; the residency stays where it is, and the sending carrier may
// propose again.
func (p *Promotion) Decline(by, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	v := apperr.NewValidation("invalid-decline")
	v.Check(reason == "", "reason", "required")
	v.Check(utf8.RuneCountInString(reason) > MaxDeclineReason, "reason", "too_long", "max", MaxDeclineReason)
	if err := v.Err(); err != nil {
		return err
	}
	if p.x.Status != PromotionConsented {
		return residencyPromotionRefused(p.x.Status, "decline")
	}
	p.x.Status, p.x.DeclinedBy, p.x.DeclineReason, p.x.UpdatedAt = PromotionDeclined, by, reason, now
	return nil
}

// Open reports whether the promotion still waits for someone.
func (p *Promotion) Open() bool {
	return p.x.Status == PromotionProposed || p.x.Status == PromotionConsented
}
