package events

// ResidencyDualFlagged is published when a company enters a carrier
// (admitted by application, enrolled by an accepted offer, or promoted)
// while it is still open (admitted or in residence) at another carrier of
// its region: the district's duplicate-counting rule counts it once, and
// every carrier involved and the district are told.
const ResidencyDualFlagged = "incubatees.residency.dual_flagged"

// DualResidencyFlaggedV1 names the company, the carrier and residency it
// entered, and its other open residencies.
type DualResidencyFlaggedV1 struct {
	RegionID      string `json:"region_id"`
	CompanyID     string `json:"company_id"`
	USCC          string `json:"uscc,omitempty"`
	CompanyNameZH string `json:"company_name_zh"`
	// CarrierID and ResidencyID are where the company entered.
	CarrierID     string `json:"carrier_id"`
	CarrierNameZH string `json:"carrier_name_zh"`
	CarrierNameEN string `json:"carrier_name_en,omitempty"`
	ResidencyID   string `json:"residency_id"`
	// Via is how it entered: application, enrolment or promotion.
	Via    string                 `json:"via"`
	Others []DualResidencyOtherV1 `json:"others"`
}

// DualResidencyOtherV1 is one other open residency of the company.
type DualResidencyOtherV1 struct {
	CarrierID     string `json:"carrier_id"`
	CarrierNameZH string `json:"carrier_name_zh"`
	CarrierNameEN string `json:"carrier_name_en,omitempty"`
	ResidencyID   string `json:"residency_id"`
	CompanyID     string `json:"company_id"`
	Status        string `json:"status"`
	AdmittedOn    string `json:"admitted_on"`
}

func (DualResidencyFlaggedV1) EventType() string { return ResidencyDualFlagged }
func (DualResidencyFlaggedV1) EventVersion() int { return 1 }
