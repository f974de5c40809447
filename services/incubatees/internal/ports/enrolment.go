package ports

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

func (h *HTTP) enrolmentRoutes() []httpx.Endpoint {
	return httpx.Tagged(tResidency,
		httpx.POST("/api/v1/carriers/:id/enrolment-offers", h.offerEnrolment).Doc("邀请已在本载体的企业确认入驻（企业接受后才建立在孵记录） / Offer a company already at the carrier a residency; it opens only when the company accepts").Takes(EnrolmentOfferInput{}).Creates(EnrolmentOfferDTO{}),
		httpx.GET("/api/v1/carriers/:id/enrolment-offers", h.listCarrierEnrolmentOffers).Doc("载体发出的入驻邀请 / A carrier's enrolment offers (filter: status)").Lists(EnrolmentOfferDTO{}),
		httpx.GET("/api/v1/companies/:id/enrolment-offers", h.listCompanyEnrolmentOffers).Doc("企业收到的入驻邀请 / Enrolment offers made to a company (filter: status)").Lists(EnrolmentOfferDTO{}),
		httpx.POST("/api/v1/enrolment-offers/:id/accept", h.acceptEnrolment).Doc("企业接受入驻邀请 / The company's admin accepts; the residency opens").Returns(EnrolmentOfferDTO{}),
		httpx.POST("/api/v1/enrolment-offers/:id/decline", h.declineEnrolment).Doc("企业拒绝入驻邀请 / The company's admin declines").Takes(EnrolmentDeclineInput{}).Returns(EnrolmentOfferDTO{}),
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
		AdmittedOn: residencyDayStr(v.AdmittedOn()), Note: v.Note(), Reason: v.Reason(), ResidencyID: v.ResidencyID(), CreatedAt: v.CreatedAt(), UpdatedAt: v.UpdatedAt()}
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

func (h *HTTP) offerEnrolment(c *gin.Context) {
	httpx.BindRespond(c, http.StatusCreated, func(in EnrolmentOfferInput) (app.EnrolmentView, error) {
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
		return h.cq.Commands.OfferEnrolment.Handle(c.Request.Context(), command.OfferEnrolment{Actor: actor(c), CarrierID: c.Param("id"), OfferEnrolmentInput: oi})
	}, carrierSideDTO)
}

func enrolmentStatusQuery(c *gin.Context) (domain.EnrolmentStatus, error) {
	s := domain.EnrolmentStatus(c.Query("status"))
	if s == "" || s.Valid() {
		return s, nil
	}
	names := make([]string, len(domain.EnrolmentStatuses))
	for i, x := range domain.EnrolmentStatuses {
		names[i] = string(x)
	}
	return "", apperr.NewValidation("invalid-query").Add("status", "one_of", "allowed", strings.Join(names, ", ")).Err()
}

func (h *HTTP) listEnrolmentOffers(c *gin.Context, fetch func(domain.EnrolmentStatus, list.Params) ([]app.EnrolmentView, int, error), dto func(app.EnrolmentView) EnrolmentOfferDTO) {
	httpx.RespondPage(c, []string{"created_at", "updated_at"}, func(p list.Params) ([]app.EnrolmentView, int, error) {
		status, err := enrolmentStatusQuery(c)
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

func (h *HTTP) declineEnrolment(c *gin.Context) {
	httpx.BindRespond(c, http.StatusOK, func(in EnrolmentDeclineInput) (app.EnrolmentView, error) {
		return h.cq.Commands.DeclineEnrolment.Handle(c.Request.Context(), command.DeclineEnrolment{Actor: actor(c), OfferID: c.Param("id"), Reason: in.Reason})
	}, enrolmentDTO)
}

func (h *HTTP) withdrawEnrolment(c *gin.Context) {
	x, err := h.cq.Commands.WithdrawEnrolment.Handle(c.Request.Context(), command.WithdrawEnrolment{Actor: actor(c), OfferID: c.Param("id")})
	httpx.Respond(c, http.StatusOK, x, err, carrierSideDTO)
}
