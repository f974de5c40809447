package app

import (
	"context"
	"fmt"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/httpx"
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
	ListResidencies(ctx context.Context, f ResidencyFilter, p httpx.ListParams) ([]ResidencyView, int, error)
	CompanyResidencies(ctx context.Context, companyID string) ([]ResidencyView, error)

	InsertPromotion(ctx context.Context, p *domain.Promotion) error
	UpdatePromotion(ctx context.Context, p *domain.Promotion) error
	// LatestPromotion is the residency's newest promotion (NotFound when none).
	LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error)

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

// Admission is an application admitted by a carrier: where the intake
// area hands over to the residency area.
type Admission struct {
	ApplicationID string
	CompanyID     string
	CarrierID     string
	RegionID      string
	At            time.Time
}

// onAdmitted runs inside the transaction that admits an application: it
// links the company to the carrier (its staff may now see it) and opens a
// residency in status admitted, unless one is already open there.
func (a *App) onAdmitted(ctx context.Context, tx Tx, actor Actor, ad Admission) error {
	if err := tx.LinkCarrier(ctx, ad.CompanyID, ad.CarrierID, ad.At); err != nil {
		return err
	}
	if _, err := tx.OpenResidencyAt(ctx, ad.CompanyID, ad.CarrierID); err == nil {
		return nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	carrier, err := tx.GetCarrier(ctx, ad.CarrierID)
	if err != nil {
		return err
	}
	_, err = a.openResidency(ctx, tx, actor, ad.CompanyID, carrier, residencySource{ApplicationID: ad.ApplicationID}, ad.At)
	return err
}

// residencySource is the relationship a residency comes from: exactly one
// of an admitted application, an accepted promotion (the residency it
// continues) or an enrolment offer the company accepted. There is no
// other way to open one: a residency makes the company visible to the
// carrier, so the company must have entered the relationship itself.
type residencySource struct {
	ApplicationID, PromotedFromID, EnrolmentOfferID string
}

func (s residencySource) valid() bool {
	n := 0
	for _, x := range []string{s.ApplicationID, s.PromotedFromID, s.EnrolmentOfferID} {
		if x != "" {
			n++
		}
	}
	return n == 1
}

// openResidency opens an admitted residency of a company at carrier.
func (a *App) openResidency(ctx context.Context, tx Tx, actor Actor, companyID string, carrier Carrier, src residencySource, admittedOn time.Time) (*domain.Residency, error) {
	if !src.valid() {
		return nil, fmt.Errorf("open residency of %s at %s: no single source %+v", companyID, carrier.ID, src)
	}
	if _, err := tx.OpenResidencyAt(ctx, companyID, carrier.ID); err == nil {
		return nil, apperr.ConflictErr("residency-exists").With("carrier_name", carrier.NameZH)
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	r := domain.NewResidency(events.NewID(), companyID, carrier.ID, carrier.RegionID, src.ApplicationID, domain.ResidencyToday(admittedOn), a.now())
	r.PromotedFromID, r.EnrolmentOfferID = src.PromotedFromID, src.EnrolmentOfferID
	if err := tx.InsertResidency(ctx, r); err != nil {
		return nil, err
	}
	if err := tx.LinkCarrier(ctx, companyID, carrier.ID, a.now()); err != nil {
		return nil, err
	}
	p, err := a.residencyPayload(ctx, tx, r, carrier)
	if err != nil {
		return nil, err
	}
	if err := a.publish(ctx, tx, residencyScope(r), actor, r.ID, events.ResidencyAdmittedV1{ResidencyV1: p}); err != nil {
		return nil, err
	}
	return r, a.auditResidency(ctx, tx, actor, "residency.admit", r, map[string]any{"application_id": src.ApplicationID,
		"promoted_from_id": src.PromotedFromID, "enrolment_offer_id": src.EnrolmentOfferID})
}

// Today is the date in China by the app's clock (overstaying is judged on it).
func (a *App) Today() time.Time { return domain.ResidencyToday(a.now()) }

func residencyScope(r *domain.Residency) events.Scope {
	return events.Scope{RegionID: r.RegionID, CarrierID: r.CarrierID}
}

func (a *App) auditResidency(ctx context.Context, tx Tx, actor Actor, action string, r *domain.Residency, detail map[string]any) error {
	return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: action, ObjectID: r.ID, RegionID: r.RegionID,
		CarrierID: r.CarrierID, CompanyID: r.CompanyID, Detail: detail})
}

func residencyDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (a *App) residencyPayload(ctx context.Context, tx Tx, r *domain.Residency, c Carrier) (events.ResidencyV1, error) {
	co, err := tx.GetCompany(ctx, r.CompanyID)
	if err != nil {
		return events.ResidencyV1{}, err
	}
	return events.ResidencyV1{ResidencyID: r.ID, CompanyID: r.CompanyID, USCC: string(co.USCC), RegionID: r.RegionID,
		CarrierID: r.CarrierID, CarrierKind: c.Kind, ChainOrder: c.ChainOrder, Status: string(r.Status),
		ApplicationID: r.ApplicationID, PromotedFromID: r.PromotedFromID, AdmittedOn: r.AdmittedOn.Format(time.DateOnly),
		MovedInOn: residencyDay(r.MovedInOn), Unit: r.Unit, AreaM2: r.AreaM2, TermEndOn: residencyDay(r.TermEndOn), RulePackVersion: r.RulePackVersion,
		EndedOn: residencyDay(r.EndedOn), Reason: r.EndReason}, nil
}

// authorizeResidency lets act on a residency through, else answers 403
// to who may read it and 404 to everyone else.
func (a *App) authorizeResidency(actor Actor, r *domain.Residency, act string) error {
	s := authz.Scope{RegionID: r.RegionID, CarrierID: r.CarrierID, CompanyID: r.CompanyID}
	return a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{s}, Object: "residency", Action: act, NotFound: "residency-not-found"})
}

// loadResidency reads a residency for a signed-in caller.
func loadResidency(ctx context.Context, tx Tx, actor Actor, id string) (*domain.Residency, error) {
	if actor.UserID == "" {
		return nil, unauthenticated()
	}
	return tx.GetResidency(ctx, id)
}

// ResidencyDetail is a residency with its rule-pack evaluation today.
type ResidencyDetail struct {
	ResidencyView
	Evaluation domain.Evaluation
}

// GetResidency returns a residency the actor may see, evaluated today
// with the rule pack version it was moved in under (the latest before).
func (a *App) GetResidency(ctx context.Context, actor Actor, id string) (ResidencyDetail, error) {
	var out ResidencyDetail
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		r, err := loadResidency(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := a.authorizeResidency(actor, r, "read"); err != nil {
			// The carrier a consented promotion goes to may read the
			// residency it takes over, as it may read the handoff packet.
			if _, _, perr := a.promotionFor(ctx, tx, actor, id); perr != nil {
				return err
			}
		}
		if out.ResidencyView, err = residencyView(ctx, tx, r); err != nil {
			return err
		}
		out.Evaluation, err = a.evaluate(ctx, tx, r)
		return err
	})
	return out, err
}

func residencyView(ctx context.Context, tx Tx, r *domain.Residency) (ResidencyView, error) {
	co, err := tx.GetCompany(ctx, r.CompanyID)
	if err != nil {
		return ResidencyView{}, err
	}
	c, err := tx.GetCarrier(ctx, r.CarrierID)
	if err != nil {
		return ResidencyView{}, err
	}
	return ResidencyView{Residency: *r, CompanyNameZH: co.Fields.NameZH, CompanyKey: co.Key(), USCC: string(co.USCC),
		IndustryCode: co.Fields.IndustryCode, CarrierNameZH: c.NameZH, CarrierNameEN: c.NameEN, CarrierKind: c.Kind, ChainOrder: c.ChainOrder}, nil
}

// evaluate applies the residency's pack (the one recorded at move-in, else
// the region's latest) to it today.
func (a *App) evaluate(ctx context.Context, tx Tx, r *domain.Residency) (domain.Evaluation, error) {
	pack, err := a.rulePack(ctx, tx, r.RegionID, r.RulePackVersion)
	if err != nil {
		return domain.Evaluation{}, err
	}
	co, err := tx.GetCompany(ctx, r.CompanyID)
	if err != nil {
		return domain.Evaluation{}, err
	}
	facts, err := a.companyFacts(ctx, tx, co)
	if err != nil {
		return domain.Evaluation{}, err
	}
	return domain.Evaluate(pack, *r, facts, domain.ResidencyToday(a.now())), nil
}

// MoveIn records that an admitted company moved in.
func (a *App) MoveIn(ctx context.Context, actor Actor, id string, f domain.MoveInFacts) (*domain.Residency, error) {
	var r *domain.Residency
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if r, err = loadResidency(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := a.authorizeResidency(actor, r, "update"); err != nil {
			return err
		}
		carrier, err := tx.GetCarrier(ctx, r.CarrierID)
		if err != nil {
			return err
		}
		return a.moveIn(ctx, tx, actor, r, carrier, f)
	})
	return r, err
}

func (a *App) moveIn(ctx context.Context, tx Tx, actor Actor, r *domain.Residency, carrier Carrier, f domain.MoveInFacts) error {
	if _, ok := domain.NextResidencyStatus(r.Status, domain.ActMoveIn); !ok {
		return apperr.ConflictErr("residency-transition-refused").With("status", string(r.Status)).With("action", string(domain.ActMoveIn))
	}
	if err := r.ValidateMoveIn(f, a.now()); err != nil {
		return err
	}
	co, err := tx.GetCompany(ctx, r.CompanyID)
	if err != nil {
		return err
	}
	// One company, one carrier at a time: never counted twice.
	others, err := tx.InResidenceElsewhere(ctx, r.CompanyID, string(co.USCC), r.ID)
	if err != nil {
		return err
	}
	if len(others) > 0 {
		o := others[0]
		return apperr.ConflictErr("already-in-residence").With("carrier_id", o.CarrierID).With("carrier_name", o.CarrierNameZH).
			With("residency_id", o.ID)
	}
	pack, err := a.rulePack(ctx, tx, r.RegionID, 0)
	if err != nil {
		return err
	}
	termEnd := domain.TermEnd(f.On, pack.TermFor(co.Fields.IndustryCode))
	if err := r.MoveIn(f, termEnd, pack.Version, a.now()); err != nil {
		return err
	}
	if err := tx.UpdateResidency(ctx, r); err != nil {
		return err
	}
	p, err := a.residencyPayload(ctx, tx, r, carrier)
	if err != nil {
		return err
	}
	if err := a.publish(ctx, tx, residencyScope(r), actor, r.ID, events.ResidencyMovedInV1{ResidencyV1: p}); err != nil {
		return err
	}
	return a.auditResidency(ctx, tx, actor, "residency.move_in", r, map[string]any{"moved_in_on": residencyDay(r.MovedInOn),
		"unit": r.Unit, "area_m2": r.AreaM2, "term_end_on": residencyDay(r.TermEndOn), "rule_pack_version": r.RulePackVersion})
}

// EndResidency graduates a company or records its exit.
func (a *App) EndResidency(ctx context.Context, actor Actor, id string, act domain.ResidencyAction, reason string, on time.Time) (*domain.Residency, error) {
	if act != domain.ActGraduate && act != domain.ActExit {
		return nil, apperr.New(apperr.IncorrectInput, "invalid-residency")
	}
	var r *domain.Residency
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if r, err = loadResidency(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := a.authorizeResidency(actor, r, "update"); err != nil {
			return err
		}
		if err := r.End(act, reason, on, a.now()); err != nil {
			return err
		}
		if err := tx.UpdateResidency(ctx, r); err != nil {
			return err
		}
		carrier, err := tx.GetCarrier(ctx, r.CarrierID)
		if err != nil {
			return err
		}
		p, err := a.residencyPayload(ctx, tx, r, carrier)
		if err != nil {
			return err
		}
		var ev events.Payload = events.ResidencyExitedV1{ResidencyV1: p}
		if act == domain.ActGraduate {
			ev = events.ResidencyGraduatedV1{ResidencyV1: p}
		}
		if err := a.publish(ctx, tx, residencyScope(r), actor, r.ID, ev); err != nil {
			return err
		}
		return a.auditResidency(ctx, tx, actor, "residency."+string(act), r, map[string]any{"reason": r.EndReason, "on": residencyDay(r.EndedOn)})
	})
	return r, err
}

// ListCarrierResidencies lists a carrier's residencies for its staff and
// the district.
func (a *App) ListCarrierResidencies(ctx context.Context, actor Actor, carrierID string, f ResidencyFilter, p httpx.ListParams) ([]ResidencyView, int, error) {
	var out []ResidencyView
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		c, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "residency", "read")
		if err != nil {
			return err
		}
		f.RegionID, f.CarrierID = c.RegionID, c.ID
		out, total, err = tx.ListResidencies(ctx, f, p)
		return err
	})
	return out, total, err
}

// ListRegionResidencies lists every residency of a region (district roles).
func (a *App) ListRegionResidencies(ctx context.Context, actor Actor, regionID string, f ResidencyFilter, p httpx.ListParams) ([]ResidencyView, int, error) {
	if actor.UserID == "" {
		return nil, 0, unauthenticated()
	}
	var out []ResidencyView
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		ok, err := tx.RegionExists(ctx, regionID)
		if err != nil {
			return err
		}
		if !ok || !a.authz.Can(actor.UserID, authz.Scope{RegionID: regionID}, "residency", "read") {
			return apperr.NotFoundErr("region-not-found")
		}
		f.RegionID, f.CarrierID = regionID, ""
		out, total, err = tx.ListResidencies(ctx, f, p)
		return err
	})
	return out, total, err
}

// CompanyChain is the company's chain history: every residency in order.
func (a *App) CompanyChain(ctx context.Context, actor Actor, companyID string) ([]ResidencyView, error) {
	var out []ResidencyView
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		co, err := tx.GetCompany(ctx, companyID)
		if err != nil {
			if actor.UserID == "" {
				return unauthenticated()
			}
			return err
		}
		if err := a.authorizeCompany(ctx, tx, actor, co.ID, co.RegionID, "company", "read"); err != nil {
			return err
		}
		out, err = tx.CompanyResidencies(ctx, co.ID)
		return err
	})
	return out, err
}
