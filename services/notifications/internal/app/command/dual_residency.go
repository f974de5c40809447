package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// districtRoles read the whole region's figures, where a company counts once.
var districtRoles = []string{authz.RoleDistrictAdmin, authz.RoleDistrictViewer}

// dualFlagged tells of a company that entered a carrier while open at
// others: the staff of the carrier it entered and of each other carrier,
// each led to their own residency, and the region's district, led to the
// residency it entered. A user in several of those hears it once (the
// inbox keeps one notification per event and user).
func (h DeliverHandler) dualFlagged(ctx context.Context, tx app.Tx, p events.DualResidencyFlaggedV1) ([]message, error) {
	company, err := h.companyName(ctx, tx, p.CompanyID)
	if err != nil {
		return nil, err
	}
	if company.ZH == "" {
		company.ZH = p.CompanyNameZH
	}
	others := make([]domain.Name, 0, len(p.Others))
	for _, o := range p.Others {
		others = append(others, domain.Name{ZH: o.CarrierNameZH, EN: o.CarrierNameEN})
	}
	text := domain.DualResidency(company, domain.Name{ZH: p.CarrierNameZH, EN: p.CarrierNameEN}, others)
	at := func(carrierID, residencyID string, to []string) message {
		return message{kind: domain.KindResidencyDualFlagged, regionID: p.RegionID, carrierID: carrierID, companyID: p.CompanyID,
			link: "/residencies/" + residencyID, text: text, to: to}
	}
	var out []message
	staffOf := func(carrierID, residencyID string) error {
		staff, err := h.toStaff(ctx, tx, at(carrierID, residencyID, nil))
		out = append(out, staff...)
		return err
	}
	if err := staffOf(p.CarrierID, p.ResidencyID); err != nil {
		return nil, err
	}
	for _, o := range p.Others {
		if err := staffOf(o.CarrierID, o.ResidencyID); err != nil {
			return nil, err
		}
	}
	district, err := tx.Holders(ctx, authz.RegionDomain(p.RegionID), districtRoles...)
	if err != nil {
		return nil, err
	}
	return append(out, at(p.CarrierID, p.ResidencyID, district)), nil
}
