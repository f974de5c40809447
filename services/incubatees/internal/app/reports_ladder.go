package app

import (
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// LadderPayload is e of company c as its events carry it.
func LadderPayload(c *domain.Company, e domain.LadderEntry) events.LadderStepV1 {
	return events.LadderStepV1{EntryID: e.ID, CompanyID: c.ID, RegionID: c.RegionID, Step: string(e.Step), CertificateNo: e.CertificateNo,
		Date: e.Date.Format(time.DateOnly), Expiry: DayString(e.Expiry), EvidenceDocumentID: e.EvidenceDocID, Status: string(e.Status)}
}
