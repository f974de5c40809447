package events

// Event types of the incubatees service's ladder and metrics area.
const (
	LadderStepRecorded = "incubatees.ladder.step_recorded"
	LadderStepVerified = "incubatees.ladder.step_verified"
	LadderStepRejected = "incubatees.ladder.step_rejected"
	MetricsReported    = "incubatees.metrics.reported"
	MetricsRevised     = "incubatees.metrics.revised"
	MetricsReviewed    = "incubatees.metrics.reviewed"
)

// LadderStepV1 is one recorded step of a company's cultivation ladder.
type LadderStepV1 struct {
	EntryID            string `json:"entry_id"`
	CompanyID          string `json:"company_id"`
	RegionID           string `json:"region_id"`
	Step               string `json:"step"` // team_or_result | startup | tech_sme | high_tech | leading
	CertificateNo      string `json:"certificate_no,omitempty"`
	Date               string `json:"date"`             // YYYY-MM-DD
	Expiry             string `json:"expiry,omitempty"` // YYYY-MM-DD
	EvidenceDocumentID string `json:"evidence_document_id,omitempty"`
	Status             string `json:"status"` // claimed | verified
}

// LadderStepRecordedV1 announces a step a company claims.
type LadderStepRecordedV1 struct{ LadderStepV1 }

func (LadderStepRecordedV1) EventType() string { return LadderStepRecorded }
func (LadderStepRecordedV1) EventVersion() int { return 1 }

// LadderStepVerifiedV1 announces that park staff or the district checked a step.
type LadderStepVerifiedV1 struct {
	LadderStepV1
	VerifiedBy string `json:"verified_by"`
}

func (LadderStepVerifiedV1) EventType() string { return LadderStepVerified }
func (LadderStepVerifiedV1) EventVersion() int { return 1 }

// LadderStepRejectedV1 announces that park staff or the district refused
// a claimed step, with the reason the company reads.
type LadderStepRejectedV1 struct {
	LadderStepV1
	RejectedBy string `json:"rejected_by"`
	Reason     string `json:"reason"`
}

func (LadderStepRejectedV1) EventType() string { return LadderStepRejected }
func (LadderStepRejectedV1) EventVersion() int { return 1 }

// MetricsV1 is a company's submitted figures for one period. Money is
// normalized to 元 (MoneyUnit says so) whatever unit the company typed;
// headcounts and IP are plain counts. CarrierIDs are every carrier the
// company is linked to when it reports, so rollups can credit each.
type MetricsV1 struct {
	ReportID   string           `json:"report_id"`
	CompanyID  string           `json:"company_id"`
	RegionID   string           `json:"region_id"`
	CarrierIDs []string         `json:"carrier_ids"`
	Period     string           `json:"period"`  // YYYY-MM or YYYY-Qn
	Cadence    string           `json:"cadence"` // monthly | quarterly
	Revision   int              `json:"revision"`
	MoneyUnit  string           `json:"money_unit"` // always "yuan"
	Metrics    map[string]int64 `json:"metrics"`
}

// MetricsReportedV1 announces a period's first submission.
type MetricsReportedV1 struct{ MetricsV1 }

func (MetricsReportedV1) EventType() string { return MetricsReported }
func (MetricsReportedV1) EventVersion() int { return 1 }

// MetricsRevisedV1 announces a later submitted revision; its figures
// replace the earlier ones of the same period.
type MetricsRevisedV1 struct {
	MetricsV1
	PreviousRevision int `json:"previous_revision"`
}

func (MetricsRevisedV1) EventType() string { return MetricsRevised }
func (MetricsRevisedV1) EventVersion() int { return 1 }

// MetricsReviewedV1 announces an operator's verdict on a submitted report.
type MetricsReviewedV1 struct {
	ReportID  string `json:"report_id"`
	CompanyID string `json:"company_id"`
	RegionID  string `json:"region_id"`
	CarrierID string `json:"carrier_id,omitempty"` // the reviewer's carrier; empty for district or platform
	Period    string `json:"period"`
	Revision  int    `json:"revision"`
	Decision  string `json:"decision"` // accept | return
	Status    string `json:"status"`   // accepted | returned
	Comment   string `json:"comment,omitempty"`
}

func (MetricsReviewedV1) EventType() string { return MetricsReviewed }
func (MetricsReviewedV1) EventVersion() int { return 1 }
