package ports

import (
	"time"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

// ConcurrentResidencyDTO is another carrier where the company is open
// (admitted or in residence) at the same time: the district counts it once.
type ConcurrentResidencyDTO struct {
	CarrierID     string `json:"carrier_id"`
	CarrierName   string `json:"carrier_name"`
	CarrierNameEN string `json:"carrier_name_en"`
	Status        string `json:"status"`
	Since         string `json:"since"` // YYYY-MM-DD, the day it was admitted there
}

func concurrentDTOs(vs []app.ResidencyView) []ConcurrentResidencyDTO {
	var out []ConcurrentResidencyDTO
	for _, v := range vs {
		out = append(out, ConcurrentResidencyDTO{CarrierID: v.CarrierID(), CarrierName: v.CarrierNameZH, CarrierNameEN: v.CarrierNameEN,
			Status: string(v.Status()), Since: v.AdmittedOn().Format(time.DateOnly)})
	}
	return out
}
