package domain

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// PromotionStatus is where a promotion up the chain stands.
type PromotionStatus string

// proposed (by the current carrier) → consented (by the company) →
// accepted (by the next carrier).
const (
	PromotionProposed  PromotionStatus = "proposed"
	PromotionConsented PromotionStatus = "consented"
	PromotionAccepted  PromotionStatus = "accepted"
)

// SharedItems are what the company may let travel in the handoff packet;
// its profile always does.
var SharedItems = []string{"profile", "latest_metrics", "milestones"}

// ChainCarrier is what a promotion needs to know of a carrier.
type ChainCarrier struct {
	ID, RegionID, Kind string
	ChainOrder         int
}

// Promotion moves a company from its carrier to one higher in the chain.
type Promotion struct {
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
	NewResidencyID string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

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
		if !residencyContains(SharedItems, s) {
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
	return &Promotion{ID: id, ResidencyID: r.id, CompanyID: r.companyID, RegionID: r.regionID, From: from, To: to,
		Status: PromotionProposed, Note: note, Shared: items, ProposedBy: by, CreatedAt: now, UpdatedAt: now}, nil
}

func residencyPromotionRefused(s PromotionStatus, act string) error {
	return apperr.ConflictErr("promotion-transition-refused").With("status", string(s)).With("action", act)
}

// Consent records the company's consent and the packet it lets travel.
func (p *Promotion) Consent(by string, packet []byte, now time.Time) error {
	if p.Status != PromotionProposed {
		return residencyPromotionRefused(p.Status, "consent")
	}
	p.Status, p.ConsentedBy, p.Packet, p.UpdatedAt = PromotionConsented, by, packet, now
	return nil
}

// Accept records the next carrier's acceptance and the residency it opened.
func (p *Promotion) Accept(by, newResidencyID string, now time.Time) error {
	if p.Status != PromotionConsented {
		return residencyPromotionRefused(p.Status, "accept")
	}
	p.Status, p.AcceptedBy, p.NewResidencyID, p.UpdatedAt = PromotionAccepted, by, newResidencyID, now
	return nil
}

// Open reports whether the promotion still waits for someone.
func (p *Promotion) Open() bool {
	return p.Status == PromotionProposed || p.Status == PromotionConsented
}
