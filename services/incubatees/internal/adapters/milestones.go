package adapters

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

type verifiedMilestoneRow struct {
	bun.BaseModel `bun:"table:verified_milestones,alias:vm"`
	MilestoneID   string `bun:"milestone_id,pk"`
	CompanyID     string `bun:"company_id"`
	ResidencyID   string `bun:"residency_id"`
	CarrierID     string `bun:"carrier_id"`
	TitleZH       string `bun:"title_zh"`
	TitleEN       string `bun:"title_en"`
	Category      string `bun:"category"`
	VerifiedOn    string `bun:"verified_on"`
	CarrierNameZH string `bun:"carrier_name_zh,scanonly"`
	CarrierNameEN string `bun:"carrier_name_en,scanonly"`
	CarrierKind   string `bun:"carrier_kind,scanonly"`
}

// PutVerifiedMilestone keeps m in the consumer's transaction tx; a
// verification is final, so the first copy of a milestone stays and a
// redelivery (under any event id) changes nothing.
func PutVerifiedMilestone(ctx context.Context, tx bun.IDB, m app.VerifiedMilestone) error {
	_, err := tx.NewInsert().Model(&verifiedMilestoneRow{MilestoneID: m.MilestoneID, CompanyID: m.CompanyID, ResidencyID: m.ResidencyID,
		CarrierID: m.CarrierID, TitleZH: m.TitleZH, TitleEN: m.TitleEN, Category: m.Category, VerifiedOn: m.VerifiedOn}).
		On("CONFLICT (milestone_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return fmt.Errorf("put verified milestone %s: %w", m.MilestoneID, err)
	}
	return nil
}

// VerifiedMilestones is the company's verified milestones with their
// carriers, oldest verification first.
func (q Reads) VerifiedMilestones(ctx context.Context, companyID string) ([]app.VerifiedMilestone, error) {
	return read(ctx, q.s, func(ctx context.Context, tx app.Tx) ([]app.VerifiedMilestone, error) {
		var rows []verifiedMilestoneRow
		sel := tx.(*txStore).NewSelect().Model(&rows).ColumnExpr("vm.*").
			ColumnExpr("COALESCE(ca.name_zh, '') AS carrier_name_zh, COALESCE(ca.name_en, '') AS carrier_name_en, COALESCE(ca.kind, '') AS carrier_kind").
			Join("LEFT JOIN carriers AS ca ON ca.id = vm.carrier_id").
			Where("vm.company_id = ?", companyID).Order("vm.verified_on", "vm.milestone_id")
		return db.MapAll(ctx, sel, &rows, "verified milestones", func(r verifiedMilestoneRow) app.VerifiedMilestone {
			return app.VerifiedMilestone{MilestoneID: r.MilestoneID, CompanyID: r.CompanyID, ResidencyID: r.ResidencyID, CarrierID: r.CarrierID,
				TitleZH: r.TitleZH, TitleEN: r.TitleEN, Category: r.Category, VerifiedOn: r.VerifiedOn,
				CarrierNameZH: r.CarrierNameZH, CarrierNameEN: r.CarrierNameEN, CarrierKind: r.CarrierKind}
		})
	})
}
