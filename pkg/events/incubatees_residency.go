package events

// Residency, promotion and rule-pack events of the incubatees service.
// Every residency event carries the carrier's kind and chain order and the
// dates, so district rollups (residents per carrier, graduates, chain
// moves) can be built from events alone.
const (
	ResidencyAdmitted  = "incubatees.residency.admitted"
	ResidencyMovedIn   = "incubatees.residency.moved_in"
	ResidencyGraduated = "incubatees.residency.graduated"
	ResidencyExited    = "incubatees.residency.exited"
	ResidencyPromoted  = "incubatees.residency.promoted"
	PromotionProposed  = "incubatees.promotion.proposed"
	PromotionConsented = "incubatees.promotion.consented"
	PromotionAccepted  = "incubatees.promotion.accepted"
	PromotionDeclined  = "incubatees.promotion.declined"
	RulePackPublished  = "incubatees.rule_pack.published"
)

// ResidencyV1 is a residency's state after a change. Dates are YYYY-MM-DD.
type ResidencyV1 struct {
	ResidencyID     string  `json:"residency_id"`
	CompanyID       string  `json:"company_id"`
	USCC            string  `json:"uscc,omitempty"`
	RegionID        string  `json:"region_id"`
	CarrierID       string  `json:"carrier_id"`
	CarrierKind     string  `json:"carrier_kind"`
	ChainOrder      int     `json:"chain_order"`
	Status          string  `json:"status"`
	ApplicationID   string  `json:"application_id,omitempty"`
	PromotedFromID  string  `json:"promoted_from_id,omitempty"`
	AdmittedOn      string  `json:"admitted_on"`
	MovedInOn       string  `json:"moved_in_on,omitempty"`
	Unit            string  `json:"unit,omitempty"`
	AreaM2          float64 `json:"area_m2,omitempty"`
	TermEndOn       string  `json:"term_end_on,omitempty"`
	RulePackVersion int     `json:"rule_pack_version,omitempty"`
	EndedOn         string  `json:"ended_on,omitempty"`
	Reason          string  `json:"reason,omitempty"`
}

// ResidencyAdmittedV1 announces a residency opened (admitted, not yet moved in).
type ResidencyAdmittedV1 struct{ ResidencyV1 }

func (ResidencyAdmittedV1) EventType() string { return ResidencyAdmitted }
func (ResidencyAdmittedV1) EventVersion() int { return 1 }

// ResidencyMovedInV1 announces a company in residence: it now counts as a resident.
type ResidencyMovedInV1 struct{ ResidencyV1 }

func (ResidencyMovedInV1) EventType() string { return ResidencyMovedIn }
func (ResidencyMovedInV1) EventVersion() int { return 1 }

// ResidencyGraduatedV1 announces a graduate of the carrier.
type ResidencyGraduatedV1 struct{ ResidencyV1 }

func (ResidencyGraduatedV1) EventType() string { return ResidencyGraduated }
func (ResidencyGraduatedV1) EventVersion() int { return 1 }

// ResidencyExitedV1 announces a company that left without graduating.
type ResidencyExitedV1 struct{ ResidencyV1 }

func (ResidencyExitedV1) EventType() string { return ResidencyExited }
func (ResidencyExitedV1) EventVersion() int { return 1 }

// ResidencyPromotedV1 announces a residency closed by a promotion; ToResidencyID
// is the residency opened at the next carrier.
type ResidencyPromotedV1 struct {
	ResidencyV1
	PromotionID   string `json:"promotion_id"`
	ToCarrierID   string `json:"to_carrier_id"`
	ToResidencyID string `json:"to_residency_id"`
}

func (ResidencyPromotedV1) EventType() string { return ResidencyPromoted }
func (ResidencyPromotedV1) EventVersion() int { return 1 }

// PromotionV1 is a promotion's state after a change.
type PromotionV1 struct {
	PromotionID    string   `json:"promotion_id"`
	ResidencyID    string   `json:"residency_id"`
	CompanyID      string   `json:"company_id"`
	RegionID       string   `json:"region_id"`
	FromCarrierID  string   `json:"from_carrier_id"`
	FromKind       string   `json:"from_kind"`
	FromChainOrder int      `json:"from_chain_order"`
	ToCarrierID    string   `json:"to_carrier_id"`
	ToKind         string   `json:"to_kind"`
	ToChainOrder   int      `json:"to_chain_order"`
	Status         string   `json:"status"`
	Shared         []string `json:"shared"`
	NewResidencyID string   `json:"new_residency_id,omitempty"`
}

// PromotionProposedV1 announces that a carrier proposed a company for the next one.
type PromotionProposedV1 struct{ PromotionV1 }

func (PromotionProposedV1) EventType() string { return PromotionProposed }
func (PromotionProposedV1) EventVersion() int { return 1 }

// PromotionConsentedV1 announces the company's consent to the handoff.
type PromotionConsentedV1 struct{ PromotionV1 }

func (PromotionConsentedV1) EventType() string { return PromotionConsented }
func (PromotionConsentedV1) EventVersion() int { return 1 }

// PromotionAcceptedV1 announces the next carrier's acceptance.
type PromotionAcceptedV1 struct{ PromotionV1 }

func (PromotionAcceptedV1) EventType() string { return PromotionAccepted }
func (PromotionAcceptedV1) EventVersion() int { return 1 }

// PromotionDeclinedV1 announces that the next carrier declined a consented
// promotion, and why; the residency stays where it was.
type PromotionDeclinedV1 struct {
	PromotionV1
	Reason string `json:"reason"`
}

func (PromotionDeclinedV1) EventType() string { return PromotionDeclined }
func (PromotionDeclinedV1) EventVersion() int { return 1 }

// RulePackPublishedV1 announces a new version of a region's rule pack.
type RulePackPublishedV1 struct {
	RegionID       string         `json:"region_id"`
	Version        int            `json:"version"`
	Name           string         `json:"name"`
	EntryAgeMonths int            `json:"entry_age_months"`
	TermMonths     int            `json:"term_months"`
	IndustryTerms  map[string]int `json:"industry_terms"`
	HighTechCert   bool           `json:"graduation_high_tech_certificate"`
	FinancingYuan  int64          `json:"graduation_financing_over_yuan"`
	RevenueYuan    int64          `json:"graduation_revenue_over_yuan"`
	RevenueYears   int            `json:"graduation_revenue_consecutive_years"`
	Cadence        string         `json:"cadence"`
	// ReportGraceDays is how many days after a period ends its report is
	// due (added later: absent in older events, where it was 15).
	ReportGraceDays int `json:"report_grace_days,omitempty"`
}

func (RulePackPublishedV1) EventType() string { return RulePackPublished }
func (RulePackPublishedV1) EventVersion() int { return 1 }

// Direct enrolment: a carrier offers to record a company as its resident;
// the company's admin accepts (a residency opens) or declines.
const (
	EnrolmentOffered   = "incubatees.enrolment.offered"
	EnrolmentAccepted  = "incubatees.enrolment.accepted"
	EnrolmentDeclined  = "incubatees.enrolment.declined"
	EnrolmentWithdrawn = "incubatees.enrolment.withdrawn"
)

// EnrolmentV1 is an enrolment offer's state after a change. ResidencyID is
// set once the company accepted.
type EnrolmentV1 struct {
	OfferID     string `json:"offer_id"`
	CompanyID   string `json:"company_id"`
	RegionID    string `json:"region_id"`
	CarrierID   string `json:"carrier_id"`
	Status      string `json:"status"`
	ResidencyID string `json:"residency_id,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// EnrolmentOfferedV1 tells the company a carrier offers to enrol it; the
// carrier gains nothing of the company until it accepts.
type EnrolmentOfferedV1 struct{ EnrolmentV1 }

func (EnrolmentOfferedV1) EventType() string { return EnrolmentOffered }
func (EnrolmentOfferedV1) EventVersion() int { return 1 }

// EnrolmentAcceptedV1 announces the company's consent; a residency.admitted
// event for the new residency travels in the same transaction.
type EnrolmentAcceptedV1 struct{ EnrolmentV1 }

func (EnrolmentAcceptedV1) EventType() string { return EnrolmentAccepted }
func (EnrolmentAcceptedV1) EventVersion() int { return 1 }

// EnrolmentDeclinedV1 tells the carrier the company declined.
type EnrolmentDeclinedV1 struct{ EnrolmentV1 }

func (EnrolmentDeclinedV1) EventType() string { return EnrolmentDeclined }
func (EnrolmentDeclinedV1) EventVersion() int { return 1 }

// EnrolmentWithdrawnV1 tells the company the carrier took its offer back.
type EnrolmentWithdrawnV1 struct{ EnrolmentV1 }

func (EnrolmentWithdrawnV1) EventType() string { return EnrolmentWithdrawn }
func (EnrolmentWithdrawnV1) EventVersion() int { return 1 }
