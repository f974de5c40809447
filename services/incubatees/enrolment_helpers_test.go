package incubatees

import (
	"context"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// companyAdminEmail is the email of an active admin of the company.
func (h *harness) companyAdminEmail(companyID string) string {
	h.T.Helper()
	var uid string
	err := h.svc.store.Read(context.Background(), func(ctx context.Context, tx app.Tx) error {
		ms, err := tx.ListMemberships(ctx, companyID)
		for _, m := range ms {
			if m.Role == domain.CompanyAdmin && m.Status == domain.Active {
				uid = m.UserID
				break
			}
		}
		return err
	})
	if err != nil {
		h.T.Fatal(err)
	}
	for email, id := range h.Users {
		if id == uid {
			return email
		}
	}
	h.T.Fatalf("company %s has no admin among the fixture users", companyID)
	return ""
}

// enrol opens a residency the one way a carrier can record a company on
// its own initiative: its staff offer, the company's admin accepts.
func (h *harness) enrol(park, carrierID string, in app.OfferEnrolmentInput) (*domain.Residency, error) {
	h.T.Helper()
	ctx := context.Background()
	o, err := h.svc.cq.Commands.OfferEnrolment.Handle(ctx, command.OfferEnrolment{Actor: app.Actor{UserID: h.Users[park]}, CarrierID: carrierID, OfferEnrolmentInput: in})
	if err != nil {
		return nil, err
	}
	_, r, err := h.svc.cq.Commands.AcceptEnrolment.Handle(ctx, command.AcceptEnrolment{Actor: app.Actor{UserID: h.Users[h.companyAdminEmail(in.CompanyID)]}, OfferID: o.ID()})
	return r, err
}

// mustEnrol is enrol that fails the test on error.
func (h *harness) mustEnrol(park, carrierID string, in app.OfferEnrolmentInput) *domain.Residency {
	h.T.Helper()
	r, err := h.enrol(park, carrierID, in)
	if err != nil {
		h.T.Fatalf("enrol %s at %s: %v", in.CompanyID, carrierID, err)
	}
	return r
}

// enrolHTTP is enrol over HTTP: the park offers with body (which names
// company_id), the company's admin accepts. It answers the first failure,
// else the residency as the park reads it, with status 201.
func (h *harness) enrolHTTP(park, carrierID string, body map[string]any) response {
	h.T.Helper()
	res := h.Do(park, "POST", "/api/v1/carriers/"+carrierID+"/enrolment-offers", body)
	if res.Status != 201 {
		return res
	}
	offer := res.JSON(h.T)["id"].(string)
	res = h.Do(h.companyAdminEmail(body["company_id"].(string)), "POST", "/api/v1/enrolment-offers/"+offer+"/accept", nil)
	if res.Status != 200 {
		return res
	}
	res = h.Do(park, "GET", "/api/v1/residencies/"+res.JSON(h.T)["residency_id"].(string), nil)
	if res.Status == 200 {
		res.Status = 201
	}
	return res
}
