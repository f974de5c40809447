package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// The district counts a company once, whatever number of carriers list
// it. A company may still enter a carrier while it is open (admitted or
// in residence) at another one: that is allowed, but flagged — on the
// admission's application.decided (its Conflicts), and to every carrier
// involved and the district by residency.dual_flagged, whichever way it
// entered (an admitted application, an accepted enrolment offer, an
// accepted promotion).

// elsewhereReader lists a company's open residencies at other carriers.
type elsewhereReader interface {
	OpenElsewhere(ctx context.Context, companyID, uscc, carrierID string) ([]app.ResidencyView, error)
}

// openElsewhere is the one place that answers which open residencies a
// company (or any company with its USCC) entering carrierID keeps at
// other carriers; leaving (the residency a promotion moves it out of) is
// not one of them.
func openElsewhere(ctx context.Context, repo elsewhereReader, co *domain.Company, carrierID, leaving string) ([]app.ResidencyView, error) {
	all, err := repo.OpenElsewhere(ctx, co.ID, string(co.USCC), carrierID)
	if err != nil {
		return nil, err
	}
	var out []app.ResidencyView
	for _, o := range all {
		if o.ID() != leaving {
			out = append(out, o)
		}
	}
	return out, nil
}

// How a company entered the carrier, as residency.dual_flagged names it.
const (
	viaApplication = "application"
	viaEnrolment   = "enrolment"
	viaPromotion   = "promotion"
)

// dualFlag is the residency.dual_flagged event for r, the residency co
// entered at carrier through src, when the company is open elsewhere;
// none when it is not. It travels with r's own event, through the outbox
// in the same transaction.
func dualFlag(ctx context.Context, repo elsewhereReader, co *domain.Company, r *domain.Residency, carrier app.Carrier, src domain.ResidencySource) ([]events.Payload, error) {
	others, err := openElsewhere(ctx, repo, co, carrier.ID, src.PromotedFromID)
	if err != nil || len(others) == 0 {
		return nil, err
	}
	via := viaApplication
	switch {
	case src.PromotedFromID != "":
		via = viaPromotion
	case src.EnrolmentOfferID != "":
		via = viaEnrolment
	}
	p := events.DualResidencyFlaggedV1{RegionID: r.RegionID(), CompanyID: co.ID, USCC: string(co.USCC), CompanyNameZH: co.Fields.NameZH,
		CarrierID: carrier.ID, CarrierNameZH: carrier.NameZH, CarrierNameEN: carrier.NameEN, ResidencyID: r.ID(), Via: via}
	for _, o := range others {
		p.Others = append(p.Others, events.DualResidencyOtherV1{CarrierID: o.CarrierID(), CarrierNameZH: o.CarrierNameZH, CarrierNameEN: o.CarrierNameEN,
			ResidencyID: o.ID(), CompanyID: o.CompanyID(), Status: string(o.Status()), AdmittedOn: o.AdmittedOn().Format(time.DateOnly)})
	}
	return []events.Payload{p}, nil
}
