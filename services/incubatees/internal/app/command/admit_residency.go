package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// AdmitResidencyHandler opens the residency of an admitted application.
// It runs inside the intake transaction that admits (the context carries
// it), so the application and its residency commit together.
type AdmitResidencyHandler struct {
	repo opener
	now  func() time.Time
}

// NewAdmitResidencyHandler returns the handler over repo.
func NewAdmitResidencyHandler(repo opener, now func() time.Time) AdmitResidencyHandler {
	return AdmitResidencyHandler{repo: repo, now: now}
}

// Handle links the company to the carrier (its staff may now see it) and
// opens a residency in status admitted, unless one is already open there.
func (h AdmitResidencyHandler) Handle(ctx context.Context, actor app.Actor, ad app.Admission) error {
	if err := h.repo.LinkCarrier(ctx, ad.CompanyID, ad.CarrierID, ad.At); err != nil {
		return err
	}
	if _, err := h.repo.OpenResidencyAt(ctx, ad.CompanyID, ad.CarrierID); err == nil {
		return nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	carrier, err := h.repo.GetCarrier(ctx, ad.CarrierID)
	if err != nil {
		return err
	}
	_, err = openResidency(ctx, h.repo, actor, ad.CompanyID, carrier, domain.ResidencySource{ApplicationID: ad.ApplicationID}, ad.At, h.now())
	return err
}
