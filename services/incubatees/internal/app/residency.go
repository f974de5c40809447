package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ResidencyTx stores residencies, promotions, enrolment offers and rule packs.
type ResidencyTx interface {
	EnrolmentTx
	InsertResidency(ctx context.Context, r *domain.Residency) error
	UpdateResidency(ctx context.Context, r *domain.Residency) error
	GetResidency(ctx context.Context, id string) (*domain.Residency, error)
	// OpenResidencyAt is the company's admitted or in-residence residency
	// at a carrier (NotFound when there is none).
	OpenResidencyAt(ctx context.Context, companyID, carrierID string) (*domain.Residency, error)
	// InResidenceElsewhere lists residencies in residence of the company,
	// or of any company with the same USCC, other than exceptID.
	InResidenceElsewhere(ctx context.Context, companyID, uscc, exceptID string) ([]ResidencyView, error)
	// OpenElsewhere lists open (admitted or in residence) residencies of
	// the company, or of a company with its USCC, at other carriers.
	OpenElsewhere(ctx context.Context, companyID, uscc, carrierID string) ([]ResidencyView, error)
	// OpenOf lists the open (admitted or in residence) residencies of the
	// companies, and of any company with one of the USCCs: what a page of
	// residents is checked against (ConcurrentWith).
	OpenOf(ctx context.Context, companyIDs, usccs []string) ([]ResidencyView, error)
	ListResidencies(ctx context.Context, f ResidencyFilter, p list.Params) ([]ResidencyView, int, error)
	CompanyResidencies(ctx context.Context, companyID string) ([]ResidencyView, error)

	InsertPromotion(ctx context.Context, p *domain.Promotion) error
	UpdatePromotion(ctx context.Context, p *domain.Promotion) error
	// LatestPromotion is the residency's newest promotion (NotFound when none).
	LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error)
	// IncomingPromotions pages the promotions to a carrier in one status,
	// named (without their packets: the list is an inbox, the packet is
	// read one promotion at a time).
	IncomingPromotions(ctx context.Context, f IncomingPromotionFilter, p list.Params) ([]PromotionView, int, error)
	// CountIncomingPromotions counts what IncomingPromotions would list.
	CountIncomingPromotions(ctx context.Context, f IncomingPromotionFilter) (int, error)

	// RulePack returns a region's pack of that version, or the latest for
	// version 0 (NotFound when the region has none).
	RulePack(ctx context.Context, regionID string, version int) (domain.RulePack, error)
	ListRulePacks(ctx context.Context, regionID string) ([]domain.RulePack, error)
	// InsertRulePack stores p unless the region already has that version;
	// inserted says which.
	InsertRulePack(ctx context.Context, p domain.RulePack) (inserted bool, err error)
}

// ResidencyFilter narrows a residency list.
type ResidencyFilter struct {
	RegionID    string
	CarrierID   string // empty: every carrier of the region
	Status      domain.ResidencyStatus
	Industry    string    // GB/T 4754 prefix
	Overstaying time.Time // non-zero: only those in residence past their term end on this date
}

// Admission is an application admitted by a carrier: where the intake
// area hands over to the residency area.
type Admission struct {
	ApplicationID string
	CompanyID     string
	CarrierID     string
	RegionID      string
	At            time.Time
}

// AdmissionHandler opens the residency of an admitted application inside
// the intake transaction (command.AdmitResidencyHandler; the wiring sets it).
type AdmissionHandler interface {
	Handle(ctx context.Context, actor Actor, ad Admission) error
}

type txKey struct{}

// WithTx returns ctx carrying tx, so that a use case called from inside
// another's transaction (an admission inside intake's) joins it instead
// of opening its own.
func WithTx(ctx context.Context, tx Tx) context.Context { return context.WithValue(ctx, txKey{}, tx) }

// TxFrom returns the transaction ctx carries, if any.
func TxFrom(ctx context.Context) (Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(Tx)
	return tx, ok
}

// ResidencyScope is where a residency's events are seen from.
func ResidencyScope(r *domain.Residency) events.Scope {
	return events.Scope{RegionID: r.RegionID(), CarrierID: r.CarrierID()}
}

// DayString is a date as YYYY-MM-DD, "" for none.
func DayString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// ResidencyPayload is a residency as its events carry it.
func ResidencyPayload(r *domain.Residency, uscc string, c Carrier) events.ResidencyV1 {
	return events.ResidencyV1{ResidencyID: r.ID(), CompanyID: r.CompanyID(), USCC: uscc, RegionID: r.RegionID(),
		CarrierID: r.CarrierID(), CarrierKind: c.Kind, ChainOrder: c.ChainOrder, Status: string(r.Status()),
		ApplicationID: r.ApplicationID(), PromotedFromID: r.PromotedFromID(), AdmittedOn: r.AdmittedOn().Format(time.DateOnly),
		MovedInOn: DayString(r.MovedInOn()), Unit: r.Unit(), AreaM2: r.AreaM2(), TermEndOn: DayString(r.TermEndOn()), RulePackVersion: r.RulePackVersion(),
		EndedOn: DayString(r.EndedOn()), Reason: r.EndReason()}
}

// ResidencyAudit is the audit line of a residency event: one table, so
// the repository that writes the event writes its audit line too.
func ResidencyAudit(actor Actor, r *domain.Residency, p events.Payload) (AuditEntry, bool) {
	e := AuditEntry{Actor: actor.UserID, ObjectID: r.ID(), RegionID: r.RegionID(), CarrierID: r.CarrierID(), CompanyID: r.CompanyID()}
	switch p := p.(type) {
	case events.ResidencyAdmittedV1:
		e.Action, e.Detail = "residency.admit", map[string]any{"application_id": r.ApplicationID(),
			"promoted_from_id": r.PromotedFromID(), "enrolment_offer_id": r.EnrolmentOfferID()}
	case events.ResidencyMovedInV1:
		e.Action, e.Detail = "residency.move_in", map[string]any{"moved_in_on": p.MovedInOn,
			"unit": p.Unit, "area_m2": p.AreaM2, "term_end_on": p.TermEndOn, "rule_pack_version": p.RulePackVersion}
	case events.ResidencyGraduatedV1:
		e.Action, e.Detail = "residency.graduate", map[string]any{"reason": p.Reason, "on": p.EndedOn}
	case events.ResidencyExitedV1:
		e.Action, e.Detail = "residency.exit", map[string]any{"reason": p.Reason, "on": p.EndedOn}
	case events.ResidencyPromotedV1:
		e.Action, e.Detail = "residency.promote", map[string]any{"to_residency_id": p.ToResidencyID, "promotion_id": p.PromotionID}
	case events.DualResidencyFlaggedV1:
		e.Action, e.Detail = "residency.dual_flag", map[string]any{"via": p.Via, "others": len(p.Others)}
	default:
		return e, false
	}
	return e, true
}

// ResidencyView is a residency with what lists and the chain show beside it.
type ResidencyView struct {
	domain.Residency
	CompanyNameZH string
	CompanyKey    string
	USCC          string
	IndustryCode  string
	CarrierNameZH string
	CarrierNameEN string
	CarrierKind   string
	ChainOrder    int
}

// Within runs step inside run (a repository's Transaction or a read
// model's Snapshot) and answers what step made, or T's zero value with
// the error.
func Within[T any](ctx context.Context, run func(ctx context.Context, fn func(ctx context.Context) error) error,
	step func(ctx context.Context) (T, error)) (T, error) {
	var out T
	err := run(ctx, func(ctx context.Context) error {
		var err error
		out, err = step(ctx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// SignedInWithin is Within for a signed-in actor (401 to anyone else).
func SignedInWithin[T any](ctx context.Context, actor Actor, run func(ctx context.Context, fn func(ctx context.Context) error) error,
	step func(ctx context.Context) (T, error)) (T, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		var zero T
		return zero, err
	}
	return Within(ctx, run, step)
}

// AuthorizeResidency lets act on r through; else 403 to who may read it
// and 404 to everyone else.
func AuthorizeResidency(e *authz.Enforcer, actor Actor, r *domain.Residency, act string) error {
	return e.Decide(authz.Request{UserID: actor.UserID, Object: "residency", Action: act, NotFound: "residency-not-found",
		Scopes: []authz.Scope{{RegionID: r.RegionID(), CarrierID: r.CarrierID(), CompanyID: r.CompanyID()}}})
}

// AuthorizeInCarrier lets act on obj in carrier c through; who may read
// the carrier sees it (403), everyone else gets 404.
func AuthorizeInCarrier(e *authz.Enforcer, actor Actor, c Carrier, obj, act string) error {
	s := []authz.Scope{{RegionID: c.RegionID, CarrierID: c.ID}}
	return e.Decide(authz.Request{UserID: actor.UserID, Scopes: s, Object: obj, Action: act,
		CanSee: e.MayRead(actor.UserID, "carrier", s...), NotFound: "carrier-not-found"})
}

// Direct enrolment: a carrier records a company that is already at the
// carrier (from before Incuchain, or outside an intake call). It is
// two-sided, because a residency gives the carrier's staff the company's
// profile, members, chain, reports and ladder: the carrier offers, and
// only the company's admin opens the residency by accepting. A pending,
// declined or withdrawn offer gives the carrier nothing of the company.

// EnrolmentTx stores enrolment offers.
type EnrolmentTx interface {
	InsertEnrolmentOffer(ctx context.Context, o *domain.EnrolmentOffer) error
	UpdateEnrolmentOffer(ctx context.Context, o *domain.EnrolmentOffer) error
	// LockEnrolmentOffer reads an offer and holds it until the transaction ends.
	LockEnrolmentOffer(ctx context.Context, id string) (*domain.EnrolmentOffer, error)
	// PendingEnrolmentOffer is the company's pending offer from a carrier (NotFound when none).
	PendingEnrolmentOffer(ctx context.Context, companyID, carrierID string) (*domain.EnrolmentOffer, error)
	ListEnrolmentOffers(ctx context.Context, f EnrolmentFilter, p list.Params) ([]EnrolmentView, int, error)
}

// EnrolmentFilter narrows an offer list to a carrier's or a company's.
type EnrolmentFilter struct {
	CarrierID string
	CompanyID string
	Status    domain.EnrolmentStatus
}

// EnrolmentView is an offer with the names lists show beside it.
// CompanyNameZH is blank where the caller may not see the company (a
// carrier's offer the company has not accepted).
type EnrolmentView struct {
	domain.EnrolmentOffer
	CompanyNameZH string
	CarrierNameZH string
	CarrierNameEN string
}

// OfferEnrolmentInput names the company by its id or its USCC (what a
// carrier knows of a company it hosts), with the residency's facts.
type OfferEnrolmentInput struct {
	CompanyID  string
	USCC       string
	AdmittedOn *time.Time
	MoveIn     *domain.MoveInFacts
	Note       string
}

// EnrolmentPayload is an offer as its events carry it.
func EnrolmentPayload(o *domain.EnrolmentOffer) events.EnrolmentV1 {
	return events.EnrolmentV1{OfferID: o.ID(), CompanyID: o.CompanyID(), RegionID: o.RegionID(), CarrierID: o.CarrierID(),
		Status: string(o.Status()), ResidencyID: o.ResidencyID(), Reason: o.Reason()}
}

// EnrolmentScope is where an offer's events are seen from.
func EnrolmentScope(o *domain.EnrolmentOffer) events.Scope {
	return events.Scope{RegionID: o.RegionID(), CarrierID: o.CarrierID()}
}

// auditActions are the audit actions of the offers' and the promotions'
// events, by event type; an event not named has no audit line.
var auditActions = map[string]string{
	events.EnrolmentOffered:   "enrolment.offer",
	events.EnrolmentAccepted:  "enrolment.accept",
	events.EnrolmentDeclined:  "enrolment.decline",
	events.EnrolmentWithdrawn: "enrolment.withdraw",
	events.PromotionProposed:  "promotion.propose",
	events.PromotionConsented: "promotion.consent",
	events.PromotionAccepted:  "promotion.accept",
	events.PromotionDeclined:  "promotion.decline",
}

// auditLine is e with the action of event p (auditActions), or false
// for an event without an audit line.
func auditLine(p events.Payload, e AuditEntry) (AuditEntry, bool) {
	action, ok := auditActions[p.EventType()]
	if !ok {
		return AuditEntry{}, false
	}
	e.Action = action
	return e, true
}

// EnrolmentAudit is the audit line of an offer's event: one table, so the
// repository that writes the event writes its audit line too.
func EnrolmentAudit(actor Actor, o *domain.EnrolmentOffer, p events.Payload) (AuditEntry, bool) {
	return auditLine(p, AuditEntry{Actor: actor.UserID, ObjectID: o.ID(), RegionID: o.RegionID(), CarrierID: o.CarrierID(),
		CompanyID: o.CompanyID(), Detail: map[string]any{"status": string(o.Status()), "residency_id": o.ResidencyID()}})
}

// CanSeeOffer: the company's members, the offering carrier's staff and
// the district (and platform) see an offer.
func CanSeeOffer(e *authz.Enforcer, actor Actor, o *domain.EnrolmentOffer) bool {
	return e.Can(actor.UserID, authz.Scope{RegionID: o.RegionID(), CompanyID: o.CompanyID()}, "residency", "read") ||
		e.Can(actor.UserID, authz.Scope{RegionID: o.RegionID(), CarrierID: o.CarrierID()}, "residency", "read")
}

// OpenElsewhereIn is the rule OpenElsewhere answers by, applied to open
// (open residencies, as OpenOf lists them): those of the company, or of a
// company with its USCC, at carriers other than carrierID.
func OpenElsewhereIn(open []ResidencyView, companyID, uscc, carrierID string) []ResidencyView {
	var out []ResidencyView
	for _, o := range open {
		same := o.CompanyID() == companyID || (uscc != "" && o.USCC == uscc)
		if same && o.CarrierID() != carrierID {
			out = append(out, o)
		}
	}
	return out
}

// ConcurrentWith is what OpenElsewhere answers for r while r is open,
// taken from open (OpenOf of a page's companies and USCCs), so a page of
// residents is checked in one query instead of one per row.
func ConcurrentWith(r ResidencyView, open []ResidencyView) []ResidencyView {
	if !r.Status().Open() {
		return nil
	}
	return OpenElsewhereIn(open, r.CompanyID(), r.USCC, r.CarrierID())
}
