package ports

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

const tResidency = "residencies 在孵与孵化链"

func (h *HTTP) residencyRoutes() []httpx.Endpoint {
	return httpx.Tagged(tResidency,
		httpx.GET("/api/v1/residencies/:id", h.getResidency).Doc("在孵记录（含规则包评估） / A residency, evaluated by its rule pack").Returns(ResidencyDTO{}),
		httpx.POST("/api/v1/residencies/:id/move-in", h.moveIn).Doc("登记入驻 / Record the move-in").Takes(MoveInInput{}).Returns(ResidencyDTO{}),
		httpx.POST("/api/v1/residencies/:id/graduate", h.endResidency(domain.ActGraduate)).Doc("登记毕业 / Graduate the company").Takes(EndInput{}).Returns(ResidencyDTO{}),
		httpx.POST("/api/v1/residencies/:id/exit", h.endResidency(domain.ActExit)).Doc("登记退出 / Record the company's exit").Takes(EndInput{}).Returns(ResidencyDTO{}),
		httpx.POST("/api/v1/residencies/:id/promotions", h.proposePromotion).Doc("推荐晋级到上级载体 / Propose promotion up the chain").Takes(PromotionInput{}).Creates(PromotionDTO{}),
		httpx.GET("/api/v1/residencies/:id/promotion/targets", h.promotionTargets).Doc("可晋级的上级载体 / Carriers the residency may be promoted to").Lists(PromotionTargetDTO{}),
		httpx.GET("/api/v1/residencies/:id/promotion", h.getPromotion).Doc("晋级及交接材料 / The promotion and its handoff packet").Returns(PromotionDTO{}),
		httpx.POST("/api/v1/residencies/:id/promotion/consent", h.consentPromotion).Doc("企业同意晋级 / The company consents").Returns(PromotionDTO{}),
		httpx.POST("/api/v1/residencies/:id/promotion/accept", h.acceptPromotion).Doc("接收载体确认 / The next carrier accepts").Returns(PromotionDTO{}),
		httpx.POST("/api/v1/residencies/:id/promotion/decline", h.declinePromotion).Doc("接收载体婉拒（须说明理由） / The next carrier declines, with a reason").Takes(DeclinePromotionInput{}).Returns(PromotionDTO{}),
		httpx.GET("/api/v1/carriers/:id/incoming-promotions", h.incomingPromotions).Doc("晋级待接收（接收载体；status: consented 默认, accepted, declined） / Promotions coming to the carrier (status: consented, the default, accepted or declined)").Lists(PromotionDTO{}),
		httpx.GET("/api/v1/carriers/:id/incoming-promotions/count", h.countIncomingPromotions).Doc("晋级待接收数量（菜单角标） / How many promotions wait for the carrier (the menu badge)").Returns(PromotionCountDTO{}),
		httpx.GET("/api/v1/carriers/:id/residencies", h.listCarrierResidencies).Doc("载体在孵企业 / A carrier's residents (filters: status, industry, overstaying)").Lists(ResidencyDTO{}),
		httpx.GET("/api/v1/regions/:id/residencies", h.listRegionResidencies).Doc("区域在孵企业 / A region's residencies (district)").Lists(ResidencyDTO{}),
		httpx.GET("/api/v1/companies/:id/chain", h.companyChain).Doc("企业孵化链履历 / The company's chain history").Lists(ResidencyDTO{}),
		httpx.GET("/api/v1/regions/:id/rule-packs", h.listRulePacks).Doc("规则包版本 / A region's rule pack versions").Lists(RulePackDTO{}),
		httpx.POST("/api/v1/regions/:id/rule-packs", idBind(http.StatusCreated, h.publishRulePack, rulePackDTO)).Doc("发布规则包新版本 / Publish a new rule pack version").Takes(RulePackInput{}).Creates(RulePackDTO{}),
	)
}

// ResidencyDTO is a residency on the wire. Dates are YYYY-MM-DD.
type ResidencyDTO struct {
	ID              string             `json:"id"`
	CompanyID       string             `json:"company_id"`
	CompanyName     string             `json:"company_name"`
	CompanyKey      string             `json:"company_key"`
	IndustryCode    string             `json:"industry_code"`
	CarrierID       string             `json:"carrier_id"`
	CarrierName     string             `json:"carrier_name"`
	CarrierNameEN   string             `json:"carrier_name_en"`
	CarrierKind     string             `json:"carrier_kind"`
	ChainOrder      int                `json:"chain_order"`
	RegionID        string             `json:"region_id"`
	Status          string             `json:"status"`
	ApplicationID   string             `json:"application_id,omitempty"`
	PromotedFromID  string             `json:"promoted_from_id,omitempty"`
	AdmittedOn      string             `json:"admitted_on"`
	MovedInOn       string             `json:"moved_in_on,omitempty"`
	Unit            string             `json:"unit,omitempty"`
	AreaM2          float64            `json:"area_m2,omitempty"`
	TermEndOn       string             `json:"term_end_on,omitempty"`
	RulePackVersion int                `json:"rule_pack_version,omitempty"`
	EndedOn         string             `json:"ended_on,omitempty"`
	Outcome         string             `json:"outcome,omitempty"` // graduated | exited | promoted
	Reason          string             `json:"reason,omitempty"`
	Overstaying     bool               `json:"overstaying"`
	Evaluation      *domain.Evaluation `json:"evaluation,omitempty"`
	// Concurrent are the company's other open residencies, on a residency
	// read alone (for the staff of its carriers, the district and the
	// company) and on each row of a carrier's or a region's residents.
	Concurrent []ConcurrentResidencyDTO `json:"concurrent,omitempty"`
	UpdatedAt  time.Time                `json:"updated_at"`
}

func residencyDTO(v app.ResidencyView, today time.Time) ResidencyDTO {
	d := ResidencyDTO{ID: v.ID(), CompanyID: v.CompanyID(), CompanyName: v.CompanyNameZH, CompanyKey: v.CompanyKey, IndustryCode: v.IndustryCode,
		CarrierID: v.CarrierID(), CarrierName: v.CarrierNameZH, CarrierNameEN: v.CarrierNameEN, CarrierKind: v.CarrierKind, ChainOrder: v.ChainOrder,
		RegionID: v.RegionID(), Status: string(v.Status()), ApplicationID: v.ApplicationID(), PromotedFromID: v.PromotedFromID(),
		AdmittedOn: v.AdmittedOn().Format(time.DateOnly), MovedInOn: app.DayString(v.MovedInOn()), Unit: v.Unit(), AreaM2: v.AreaM2(),
		TermEndOn: app.DayString(v.TermEndOn()), RulePackVersion: v.RulePackVersion(), EndedOn: app.DayString(v.EndedOn()), Reason: v.EndReason(),
		Overstaying: v.Overstaying(today), UpdatedAt: v.UpdatedAt()}
	if !v.Status().Open() {
		d.Outcome = string(v.Status())
	}
	return d
}

// parseDay reads an optional YYYY-MM-DD field into v.
func residencyParseDay(v *apperr.Validation, field, s string) time.Time {
	if strings.TrimSpace(s) == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		v.Add(field, "date_format")
		return time.Time{}
	}
	return d
}

// MoveInInput is the body of move-in.
type MoveInInput struct {
	MovedInOn string  `json:"moved_in_on"`
	Unit      string  `json:"unit"`
	AreaM2    float64 `json:"area_m2"`
}

// EndInput is the body of graduate and exit.
type EndInput struct {
	Reason string `json:"reason" text:"multiline"`
	On     string `json:"on"`
}

// PromotionInput proposes a promotion.
type PromotionInput struct {
	ToCarrierID string   `json:"to_carrier_id"`
	Note        string   `json:"note" text:"multiline"`
	Shared      []string `json:"shared"`
}

// PromotionDTO is a promotion named by its company and carriers; Packet
// is the handoff packet once consented (never in the inbox's list).
type PromotionDTO struct {
	ID                string          `json:"id"`
	ResidencyID       string          `json:"residency_id"`
	CompanyID         string          `json:"company_id"`
	CompanyName       string          `json:"company_name"`
	FromCarrierID     string          `json:"from_carrier_id"`
	FromCarrierName   string          `json:"from_carrier_name"`
	FromCarrierNameEN string          `json:"from_carrier_name_en"`
	FromKind          string          `json:"from_kind"`
	FromChainOrder    int             `json:"from_chain_order"`
	ToCarrierID       string          `json:"to_carrier_id"`
	ToCarrierName     string          `json:"to_carrier_name"`
	ToCarrierNameEN   string          `json:"to_carrier_name_en"`
	ToKind            string          `json:"to_kind"`
	ToChainOrder      int             `json:"to_chain_order"`
	Status            string          `json:"status"`
	Note              string          `json:"note"`
	Shared            []string        `json:"shared"`
	Packet            json.RawMessage `json:"packet,omitempty"`
	NewResidencyID    string          `json:"new_residency_id,omitempty"`
	DeclineReason     string          `json:"decline_reason,omitempty"` // why the next carrier declined
	CreatedAt         time.Time       `json:"created_at"`
	UpdatedAt         time.Time       `json:"updated_at"`
}

// PromotionCountDTO is how many promotions of Status come to a carrier.
type PromotionCountDTO struct {
	Status string `json:"status" enum:"consented,accepted,declined"`
	Count  int    `json:"count"`
}

func promotionDTO(v app.PromotionView) PromotionDTO {
	p, from, to := v.Promotion, v.From(), v.To()
	d := PromotionDTO{ID: p.ID(), ResidencyID: p.ResidencyID(), CompanyID: p.CompanyID(), CompanyName: v.CompanyNameZH,
		FromCarrierID: from.ID, FromCarrierName: v.FromNameZH, FromCarrierNameEN: v.FromNameEN, FromKind: from.Kind, FromChainOrder: from.ChainOrder,
		ToCarrierID: to.ID, ToCarrierName: v.ToNameZH, ToCarrierNameEN: v.ToNameEN, ToKind: to.Kind, ToChainOrder: to.ChainOrder, Status: string(p.Status()),
		Note: p.Note(), Shared: p.Shared(), NewResidencyID: p.NewResidencyID(), DeclineReason: p.DeclineReason(), CreatedAt: p.CreatedAt(), UpdatedAt: p.UpdatedAt()}
	if packet := p.Packet(); len(packet) > 0 {
		d.Packet = json.RawMessage(packet)
	}
	return d
}

// DeclinePromotionInput is why the next carrier declines.
type DeclinePromotionInput struct {
	Reason string `json:"reason" text:"multiline"`
}

// RulePackInput is a new rule pack version.
type RulePackInput struct {
	Name           string                 `json:"name"`
	EntryAgeMonths int                    `json:"entry_age_months"`
	TermMonths     int                    `json:"term_months"`
	IndustryTerms  map[string]int         `json:"industry_terms"`
	Graduation     domain.GraduationRules `json:"graduation"`
	Cadence        string                 `json:"cadence"`
}

// RulePackDTO is a published rule pack version.
type RulePackDTO struct {
	RegionID    string    `json:"region_id"`
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
	Version     int       `json:"version"`
	RulePackInput
}

func rulePackDTO(p domain.RulePack) RulePackDTO {
	return RulePackDTO{RegionID: p.RegionID, Version: p.Version, PublishedAt: p.PublishedAt, PublishedBy: p.PublishedBy,
		RulePackInput: RulePackInput{Name: p.Name, EntryAgeMonths: p.EntryAgeMonths, TermMonths: p.TermMonths, IndustryTerms: p.IndustryTerms,
			Graduation: p.Graduation, Cadence: p.Cadence}}
}

func (h *HTTP) getResidency(c *gin.Context) { h.respondResidency(c, http.StatusOK, c.Param("id")) }

// respondResidency answers with the residency re-read as the caller.
func (h *HTTP) respondResidency(c *gin.Context, status int, id string) {
	d, err := h.cq.Queries.GetResidency.Handle(c.Request.Context(), query.GetResidency{Actor: actor(c), ResidencyID: id})
	if err != nil {
		httpx.Error(c, err)
		return
	}
	dto := residencyDTO(d.ResidencyView, h.clock.Today())
	dto.Evaluation = d.Evaluation
	dto.Concurrent = concurrentDTOs(d.Concurrent)
	c.JSON(status, dto)
}

// residencyDay is the day s names, or an invalid-residency problem on
// field when it names none.
func residencyDay(field, s string) (time.Time, error) {
	v := apperr.NewValidation("invalid-residency")
	on := residencyParseDay(v, field, s)
	return on, v.Err()
}

// changeResidency binds the body, runs change with it and answers with
// the residency it changed, re-read as the caller.
func changeResidency[In any](h *HTTP, c *gin.Context, change func(in In) (*domain.Residency, error)) {
	in, ok := httpx.Bound[In](c)
	if !ok {
		return
	}
	r, err := change(in)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	h.respondResidency(c, http.StatusOK, r.ID())
}

func (h *HTTP) moveIn(c *gin.Context) {
	changeResidency(h, c, func(in MoveInInput) (*domain.Residency, error) {
		on, err := residencyDay("moved_in_on", in.MovedInOn)
		if err != nil {
			return nil, err
		}
		return h.cq.Commands.MoveIn.Handle(c.Request.Context(), command.MoveIn{Actor: actor(c), ResidencyID: c.Param("id"),
			Facts: domain.MoveInFacts{On: on, Unit: in.Unit, AreaM2: in.AreaM2}})
	})
}

func (h *HTTP) endResidency(act domain.ResidencyAction) gin.HandlerFunc {
	return func(c *gin.Context) {
		changeResidency(h, c, func(in EndInput) (*domain.Residency, error) {
			on, err := residencyDay("on", in.On)
			if err != nil {
				return nil, err
			}
			return h.cq.Commands.EndResidency.Handle(c.Request.Context(), command.EndResidency{Actor: actor(c), ResidencyID: c.Param("id"),
				Action: act, Reason: in.Reason, On: on})
		})
	}
}

// residencyFilter reads ?status=&industry=&overstaying=true.
func residencyFilter(c *gin.Context, today time.Time) (app.ResidencyFilter, error) {
	v := apperr.NewValidation("invalid-query")
	var f app.ResidencyFilter
	if s := c.Query("status"); s != "" {
		f.Status = domain.ResidencyStatus(s)
		domain.CheckOneOf(v, "status", f.Status, domain.ResidencyStatuses)
	}
	f.Industry = strings.ToUpper(strings.TrimSpace(c.Query("industry")))
	switch c.Query("overstaying") {
	case "", "false":
	case "true":
		f.Overstaying = today
	default:
		v.Add("overstaying", "one_of", "allowed", "true, false")
	}
	return f, v.Err()
}

func (h *HTTP) listResidencies(c *gin.Context, carrierID, regionID string) {
	today := h.clock.Today()
	httpx.RespondPage(c, adapters.ResidencySortFields(), func(p list.Params) ([]query.Resident, int, error) {
		f, err := residencyFilter(c, today)
		if err != nil {
			return nil, 0, err
		}
		return h.cq.Queries.ListResidencies.Handle(c.Request.Context(), query.ListResidencies{Actor: actor(c), CarrierID: carrierID, RegionID: regionID, Filter: f, Page: p})
	}, func(r query.Resident) ResidencyDTO {
		dto := residencyDTO(r.ResidencyView, today)
		dto.Concurrent = concurrentDTOs(r.Concurrent)
		return dto
	})
}

// residenciesAsOf writes residencies on the wire as of today.
func residenciesAsOf(today time.Time) func(app.ResidencyView) ResidencyDTO {
	return func(v app.ResidencyView) ResidencyDTO { return residencyDTO(v, today) }
}

func (h *HTTP) listCarrierResidencies(c *gin.Context) { h.listResidencies(c, c.Param("id"), "") }

func (h *HTTP) listRegionResidencies(c *gin.Context) { h.listResidencies(c, "", c.Param("id")) }

func (h *HTTP) companyChain(c *gin.Context) {
	vs, err := h.cq.Queries.CompanyChain.Handle(c.Request.Context(), query.CompanyChain{Actor: actor(c), CompanyID: c.Param("id")})
	httpx.RespondAll(c, vs, err, residenciesAsOf(h.clock.Today()))
}

// respondPromotion answers with the residency's promotion re-read (and
// named) as the caller, once change has succeeded.
func (h *HTTP) respondPromotion(c *gin.Context, status int, err error) {
	if err != nil {
		httpx.Error(c, err)
		return
	}
	p, err := h.cq.Queries.GetPromotion.Handle(c.Request.Context(), query.GetPromotion{Actor: actor(c), ResidencyID: c.Param("id")})
	httpx.Respond(c, status, p, err, promotionDTO)
}

func (h *HTTP) proposePromotion(c *gin.Context) {
	in, ok := httpx.Bound[PromotionInput](c)
	if !ok {
		return
	}
	_, err := h.cq.Commands.ProposePromotion.Handle(c.Request.Context(), command.ProposePromotion{Actor: actor(c), ResidencyID: c.Param("id"),
		ToCarrierID: strings.TrimSpace(in.ToCarrierID), Note: in.Note, Shared: in.Shared})
	h.respondPromotion(c, http.StatusCreated, err)
}

func (h *HTTP) getPromotion(c *gin.Context) { h.respondPromotion(c, http.StatusOK, nil) }

func (h *HTTP) consentPromotion(c *gin.Context) {
	_, err := h.cq.Commands.ConsentPromotion.Handle(c.Request.Context(), command.ConsentPromotion{Actor: actor(c), ResidencyID: c.Param("id")})
	h.respondPromotion(c, http.StatusOK, err)
}

func (h *HTTP) acceptPromotion(c *gin.Context) {
	_, _, err := h.cq.Commands.AcceptPromotion.Handle(c.Request.Context(), command.AcceptPromotion{Actor: actor(c), ResidencyID: c.Param("id")})
	h.respondPromotion(c, http.StatusOK, err)
}

func (h *HTTP) declinePromotion(c *gin.Context) {
	in, ok := httpx.Bound[DeclinePromotionInput](c)
	if !ok {
		return
	}
	_, err := h.cq.Commands.DeclinePromotion.Handle(c.Request.Context(), command.DeclinePromotion{Actor: actor(c), ResidencyID: c.Param("id"), Reason: in.Reason})
	h.respondPromotion(c, http.StatusOK, err)
}

// incomingFilter reads ?status= (consented, the default, accepted or declined).
func incomingFilter(c *gin.Context) (app.IncomingPromotionFilter, error) {
	f := app.IncomingPromotionFilter{CarrierID: c.Param("id"), Status: domain.PromotionStatus(c.DefaultQuery("status", string(domain.PromotionConsented)))}
	v := apperr.NewValidation("invalid-query")
	domain.CheckOneOf(v, "status", f.Status, domain.IncomingStatuses)
	return f, v.Err()
}

func (h *HTTP) incomingPromotions(c *gin.Context) {
	httpx.RespondPage(c, adapters.PromotionSortFields(), func(p list.Params) ([]app.PromotionView, int, error) {
		f, err := incomingFilter(c)
		if err != nil {
			return nil, 0, err
		}
		return h.cq.Queries.IncomingPromotions.Handle(c.Request.Context(), query.IncomingPromotions{Actor: actor(c), Filter: f, Page: p})
	}, promotionDTO)
}

func (h *HTTP) countIncomingPromotions(c *gin.Context) {
	f, err := incomingFilter(c)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	n, err := h.cq.Queries.IncomingPromotions.Count(c.Request.Context(), actor(c), f)
	httpx.Respond(c, http.StatusOK, n, err, func(n int) PromotionCountDTO { return PromotionCountDTO{Status: string(f.Status), Count: n} })
}

func (h *HTTP) listRulePacks(c *gin.Context) {
	ps, err := h.cq.Queries.RulePacks.Handle(c.Request.Context(), query.RulePacks{Actor: actor(c), RegionID: c.Param("id")})
	httpx.RespondAll(c, ps, err, rulePackDTO)
}

func (h *HTTP) publishRulePack(ctx context.Context, a app.Actor, id string, in RulePackInput) (domain.RulePack, error) {
	return h.cq.Commands.PublishRulePack.Handle(ctx, command.PublishRulePack{Actor: a, RegionID: id,
		Pack: domain.RulePack{Name: in.Name, EntryAgeMonths: in.EntryAgeMonths, TermMonths: in.TermMonths, IndustryTerms: in.IndustryTerms,
			Graduation: in.Graduation, Cadence: in.Cadence}})
}

// PromotionTargetDTO is a carrier a residency may be promoted to.
type PromotionTargetDTO struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	ChainOrder int    `json:"chain_order"`
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
}

func (h *HTTP) promotionTargets(c *gin.Context) {
	cs, err := h.cq.Queries.PromotionTargets.Handle(c.Request.Context(), query.PromotionTargets{Actor: actor(c), ResidencyID: c.Param("id")})
	if err != nil {
		httpx.Error(c, err)
		return
	}
	items := make([]PromotionTargetDTO, 0, len(cs))
	for _, x := range cs {
		items = append(items, PromotionTargetDTO{ID: x.ID, Kind: x.Kind, ChainOrder: x.ChainOrder, NameZH: x.NameZH, NameEN: x.NameEN})
	}
	c.JSON(http.StatusOK, httpx.NewPage(items, len(items), list.First(len(items))))
}

func (h *HTTP) enrolmentRoutes() []httpx.Endpoint {
	return httpx.Tagged(tResidency,
		httpx.POST("/api/v1/carriers/:id/enrolment-offers", idBind(http.StatusCreated, h.offerEnrolment, carrierSideDTO)).Doc("邀请已在本载体的企业确认入驻（企业接受后才建立在孵记录） / Offer a company already at the carrier a residency; it opens only when the company accepts").Takes(EnrolmentOfferInput{}).Creates(EnrolmentOfferDTO{}),
		httpx.GET("/api/v1/carriers/:id/enrolment-offers", h.listCarrierEnrolmentOffers).Doc("载体发出的入驻邀请 / A carrier's enrolment offers (filter: status)").Lists(EnrolmentOfferDTO{}),
		httpx.GET("/api/v1/companies/:id/enrolment-offers", h.listCompanyEnrolmentOffers).Doc("企业收到的入驻邀请 / Enrolment offers made to a company (filter: status)").Lists(EnrolmentOfferDTO{}),
		httpx.POST("/api/v1/enrolment-offers/:id/accept", h.acceptEnrolment).Doc("企业接受入驻邀请 / The company's admin accepts; the residency opens").Returns(EnrolmentOfferDTO{}),
		httpx.POST("/api/v1/enrolment-offers/:id/decline", idBind(http.StatusOK, h.declineEnrolment, enrolmentDTO)).Doc("企业拒绝入驻邀请 / The company's admin declines").Takes(EnrolmentDeclineInput{}).Returns(EnrolmentOfferDTO{}),
		httpx.POST("/api/v1/enrolment-offers/:id/withdraw", h.withdrawEnrolment).Doc("载体撤回入驻邀请 / The carrier withdraws its pending offer").Returns(EnrolmentOfferDTO{}),
	)
}

// EnrolmentOfferInput is a carrier's offer: the company by id or by USCC
// (one of them), and optionally the admission date and the move-in facts
// (moved_in_on, unit and area_m2 together).
type EnrolmentOfferInput struct {
	CompanyID  string  `json:"company_id"`
	USCC       string  `json:"uscc"`
	AdmittedOn string  `json:"admitted_on"`
	MovedInOn  string  `json:"moved_in_on"`
	Unit       string  `json:"unit"`
	AreaM2     float64 `json:"area_m2"`
	Note       string  `json:"note"`
}

// EnrolmentDeclineInput is the company's optional reason.
type EnrolmentDeclineInput struct {
	Reason string `json:"reason"`
}

// EnrolmentOfferDTO is an enrolment offer. To the carrier, company_id and
// company_name stay empty until the company accepts; company_ref is what
// the carrier named it by.
type EnrolmentOfferDTO struct {
	ID            string    `json:"id"`
	CompanyID     string    `json:"company_id,omitempty"`
	CompanyRef    string    `json:"company_ref"`
	CompanyName   string    `json:"company_name,omitempty"`
	CarrierID     string    `json:"carrier_id"`
	CarrierName   string    `json:"carrier_name"`
	CarrierNameEN string    `json:"carrier_name_en"`
	RegionID      string    `json:"region_id"`
	Status        string    `json:"status"` // pending | accepted | declined | withdrawn
	AdmittedOn    string    `json:"admitted_on,omitempty"`
	MovedInOn     string    `json:"moved_in_on,omitempty"`
	Unit          string    `json:"unit,omitempty"`
	AreaM2        float64   `json:"area_m2,omitempty"`
	Note          string    `json:"note,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	ResidencyID   string    `json:"residency_id,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func enrolmentDTO(v app.EnrolmentView) EnrolmentOfferDTO {
	d := EnrolmentOfferDTO{ID: v.ID(), CompanyID: v.CompanyID(), CompanyRef: v.CompanyRef(), CompanyName: v.CompanyNameZH, CarrierID: v.CarrierID(),
		CarrierName: v.CarrierNameZH, CarrierNameEN: v.CarrierNameEN, RegionID: v.RegionID(), Status: string(v.Status()),
		AdmittedOn: app.DayString(v.AdmittedOn()), Note: v.Note(), Reason: v.Reason(), ResidencyID: v.ResidencyID(), CreatedAt: v.CreatedAt(), UpdatedAt: v.UpdatedAt()}
	if m := v.MoveIn(); m != nil {
		d.MovedInOn, d.Unit, d.AreaM2 = m.On.Format(time.DateOnly), m.Unit, m.AreaM2
	}
	return d
}

// carrierSideDTO hides from the carrier what it did not know of the company.
func carrierSideDTO(v app.EnrolmentView) EnrolmentOfferDTO {
	d := enrolmentDTO(v)
	if v.Status() != domain.EnrolmentAccepted {
		d.CompanyName = ""
		if d.CompanyRef != d.CompanyID {
			d.CompanyID = ""
		}
	}
	return d
}

func (h *HTTP) offerEnrolment(ctx context.Context, a app.Actor, id string, in EnrolmentOfferInput) (app.EnrolmentView, error) {
	v := apperr.NewValidation("invalid-enrolment")
	oi := app.OfferEnrolmentInput{CompanyID: in.CompanyID, USCC: in.USCC, Note: in.Note}
	if d := residencyParseDay(v, "admitted_on", in.AdmittedOn); !d.IsZero() {
		oi.AdmittedOn = &d
	}
	movedIn := residencyParseDay(v, "moved_in_on", in.MovedInOn)
	if strings.TrimSpace(in.MovedInOn) != "" || strings.TrimSpace(in.Unit) != "" || in.AreaM2 != 0 {
		oi.MoveIn = &domain.MoveInFacts{On: movedIn, Unit: in.Unit, AreaM2: in.AreaM2}
	}
	if err := v.Err(); err != nil {
		return app.EnrolmentView{}, err
	}
	return h.cq.Commands.OfferEnrolment.Handle(ctx, command.OfferEnrolment{Actor: a, CarrierID: id, OfferEnrolmentInput: oi})
}

func (h *HTTP) listEnrolmentOffers(c *gin.Context, fetch func(domain.EnrolmentStatus, list.Params) ([]app.EnrolmentView, int, error), dto func(app.EnrolmentView) EnrolmentOfferDTO) {
	httpx.RespondPage(c, []string{"created_at", "updated_at"}, func(p list.Params) ([]app.EnrolmentView, int, error) {
		status, err := statusQuery(c, domain.EnrolmentStatuses)
		if err != nil {
			return nil, 0, err
		}
		return fetch(status, p)
	}, dto)
}

func (h *HTTP) listCarrierEnrolmentOffers(c *gin.Context) {
	h.listEnrolmentOffers(c, func(s domain.EnrolmentStatus, p list.Params) ([]app.EnrolmentView, int, error) {
		return h.cq.Queries.EnrolmentOffers.Handle(c.Request.Context(), query.EnrolmentOffers{Actor: actor(c), CarrierID: c.Param("id"), Status: s, Page: p})
	}, carrierSideDTO)
}

func (h *HTTP) listCompanyEnrolmentOffers(c *gin.Context) {
	h.listEnrolmentOffers(c, func(s domain.EnrolmentStatus, p list.Params) ([]app.EnrolmentView, int, error) {
		return h.cq.Queries.EnrolmentOffers.Handle(c.Request.Context(), query.EnrolmentOffers{Actor: actor(c), CompanyID: c.Param("id"), Status: s, Page: p})
	}, enrolmentDTO)
}

func (h *HTTP) acceptEnrolment(c *gin.Context) {
	x, _, err := h.cq.Commands.AcceptEnrolment.Handle(c.Request.Context(), command.AcceptEnrolment{Actor: actor(c), OfferID: c.Param("id")})
	httpx.Respond(c, http.StatusOK, x, err, enrolmentDTO)
}

func (h *HTTP) declineEnrolment(ctx context.Context, a app.Actor, id string, in EnrolmentDeclineInput) (app.EnrolmentView, error) {
	return h.cq.Commands.DeclineEnrolment.Handle(ctx, command.DeclineEnrolment{Actor: a, OfferID: id, Reason: in.Reason})
}

func (h *HTTP) withdrawEnrolment(c *gin.Context) {
	x, err := h.cq.Commands.WithdrawEnrolment.Handle(c.Request.Context(), command.WithdrawEnrolment{Actor: actor(c), OfferID: c.Param("id")})
	httpx.Respond(c, http.StatusOK, x, err, carrierSideDTO)
}
