package incubatees

import (
	"context"

	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
)

// Direct enrolment offers in the authorization matrix. Offers are made by
// the platform admin at the target's carrier to a fresh company of the
// target's founder, so the carrier's staff see it and only that founder
// answers it.
func init() {
	addMatrix("POST /api/v1/carriers/:id/enrolment-offers", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=201,201,201 district_admin=403,403,404 district_viewer=403,403,404 park_admin=201,404,404 park_operator=403,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/carriers/" + h.IDs[matrixTargets[ti].Carrier] + "/enrolment-offers", map[string]any{"company_id": h.freshCompany(ti, n)}
		}})
	addMatrix("GET /api/v1/carriers/:id/enrolment-offers", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"})
	// The company's members and the district; carrier staff who see the
	// company get 403 (other carriers' offers are not theirs to read), the
	// stranger that made an offer gets 404.
	addMatrix("GET /api/v1/companies/:id/enrolment-offers", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=200,404,404 anonymous=401,401,401"})
	// Only the company's admin answers; whoever else sees the offer gets 403.
	answer := "all=404,404,404 stranger_park=404,404,404 platform_admin=403,403,403 district_admin=403,403,404 district_viewer=403,403,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=200,404,404 anonymous=401,401,401"
	addMatrix("POST /api/v1/enrolment-offers/:id/accept", matrixCase{Spec: answer,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/enrolment-offers/" + h.matrixOffer(ti, n) + "/accept", nil
		}})
	addMatrix("POST /api/v1/enrolment-offers/:id/decline", matrixCase{Spec: answer,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/enrolment-offers/" + h.matrixOffer(ti, n) + "/decline", map[string]any{"reason": "不需要"}
		}})
	// Only the offering carrier's admins withdraw.
	addMatrix("POST /api/v1/enrolment-offers/:id/withdraw", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=403,404,404 startup_member=403,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/enrolment-offers/" + h.matrixOffer(ti, n) + "/withdraw", nil
		}})
}

// matrixOffer is a pending offer of target ti's carrier to a fresh
// company of the target's founder.
func (h *harness) matrixOffer(ti, n int) string {
	h.T.Helper()
	o, err := h.svc.cq.Commands.OfferEnrolment.Handle(context.Background(), command.OfferEnrolment{Actor: h.intakeAdmin(), CarrierID: h.IDs[matrixTargets[ti].Carrier],
		OfferEnrolmentInput: app.OfferEnrolmentInput{CompanyID: h.freshCompany(ti, n)}})
	if err != nil {
		h.T.Fatalf("offer: %v", err)
	}
	return o.ID()
}

// strangerOffers makes the stranger park (admin of A, which has never
// dealt with coA or coB) try its way in: it offers both a direct
// enrolment; coB declines, and it offers again. None is accepted.
func (h *harness) strangerOffers() {
	h.T.Helper()
	ctx := context.Background()
	stranger := app.Actor{UserID: h.Users["stranger@lixia.demo"]}
	for _, co := range []string{"coA", "coB"} {
		if _, err := h.svc.cq.Commands.OfferEnrolment.Handle(ctx, command.OfferEnrolment{Actor: stranger, CarrierID: h.IDs["A"],
			OfferEnrolmentInput: app.OfferEnrolmentInput{CompanyID: h.IDs[co], Note: "我们想登记贵司"}}); err != nil {
			h.T.Fatalf("stranger offers %s: %v", co, err)
		}
	}
	offers, _, err := h.svc.cq.Queries.EnrolmentOffers.Handle(ctx, query.EnrolmentOffers{Actor: app.Actor{UserID: h.Users["founder2@lixia.demo"]},
		CompanyID: h.IDs["coB"], Page: firstPage()})
	if err != nil || len(offers) != 1 {
		h.T.Fatalf("coB's offers: %v %v", offers, err)
	}
	if _, err := h.svc.cq.Commands.DeclineEnrolment.Handle(ctx, command.DeclineEnrolment{Actor: app.Actor{UserID: h.Users["founder2@lixia.demo"]},
		OfferID: offers[0].ID(), Reason: "不认识"}); err != nil {
		h.T.Fatalf("decline: %v", err)
	}
	if _, err := h.svc.cq.Commands.OfferEnrolment.Handle(ctx, command.OfferEnrolment{Actor: stranger, CarrierID: h.IDs["A"],
		OfferEnrolmentInput: app.OfferEnrolmentInput{CompanyID: h.IDs["coB"]}}); err != nil {
		h.T.Fatalf("stranger offers coB again: %v", err)
	}
	// The old way in is gone.
	if res := h.Do("stranger@lixia.demo", "POST", "/api/v1/carriers/"+h.IDs["A"]+"/residencies", map[string]any{"company_id": h.IDs["coA"]}); res.Status != 404 && res.Status != 405 {
		h.T.Fatalf("direct residency route: %d %s", res.Status, res.Body)
	}
}

func firstPage() list.Params { return list.First(100) }
