package app

import (
	"context"
	"time"
)

// ResidencyTx stores residencies, rule packs and the chain.
type ResidencyTx interface{}

// Admission is an application admitted by a carrier: where the intake
// area hands over to the residency area.
type Admission struct {
	ApplicationID string
	CompanyID     string
	CarrierID     string
	RegionID      string
	At            time.Time
}

// onAdmitted runs inside the transaction that admits an application. For
// now it links the company to the carrier so the carrier's staff may see
// it; the residency area opens the residency here.
func (a *App) onAdmitted(ctx context.Context, tx Tx, actor Actor, ad Admission) error {
	return tx.LinkCarrier(ctx, ad.CompanyID, ad.CarrierID, ad.At)
}
