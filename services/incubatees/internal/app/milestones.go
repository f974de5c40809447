package app

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
)

// MilestoneEventTypes are the milestones events this service keeps a copy
// from: only verifications, which are final, for the handoff packet.
var MilestoneEventTypes = []string{events.MilestoneVerified}

// VerifiedMilestone is a company's milestone the carrier verified, as the
// milestones service announced it (VerifiedOn: YYYY-MM-DD).
type VerifiedMilestone struct {
	MilestoneID, CompanyID, ResidencyID, CarrierID string
	TitleZH, TitleEN, Category, VerifiedOn         string
	CarrierNameZH, CarrierNameEN, CarrierKind      string // from the carrier's copy
}

// MilestoneReader reads the company's verified milestones, oldest
// verification first.
type MilestoneReader interface {
	VerifiedMilestones(ctx context.Context, companyID string) ([]VerifiedMilestone, error)
}

// milestoneItems are verified milestones as the handoff packet lists them.
func milestoneItems(ms []VerifiedMilestone) []map[string]any {
	out := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, map[string]any{"milestone_id": m.MilestoneID, "title_zh": m.TitleZH, "title_en": m.TitleEN, "category": m.Category,
			"verified_on": m.VerifiedOn, "carrier": map[string]any{"id": m.CarrierID, "name_zh": m.CarrierNameZH, "name_en": m.CarrierNameEN, "kind": m.CarrierKind}})
	}
	return out
}
