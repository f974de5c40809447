package events

// Event types of the incubatees intake area: intake calls (招募批次) and
// the applications to them. Every one carries the region and carrier ids
// in its envelope scope.
const (
	IntakeCallCreated    = "incubatees.intake_call.created"
	IntakeCallUpdated    = "incubatees.intake_call.updated"
	IntakeCallOpened     = "incubatees.intake_call.opened"
	IntakeCallClosed     = "incubatees.intake_call.closed"
	ApplicationCreated   = "incubatees.application.created"
	ApplicationSubmitted = "incubatees.application.submitted"
	ApplicationReviewed  = "incubatees.application.reviewed"
	ApplicationDecided   = "incubatees.application.decided"
	ApplicationWithdrawn = "incubatees.application.withdrawn"
	ApplicationReturned  = "incubatees.application.returned"
)

// IntakeCallV1 is an intake call's state after a change.
type IntakeCallV1 struct {
	CallID    string   `json:"call_id"`
	RegionID  string   `json:"region_id"`
	CarrierID string   `json:"carrier_id"`
	TitleZH   string   `json:"title_zh"`
	TitleEN   string   `json:"title_en"`
	OpensOn   string   `json:"opens_on"`  // YYYY-MM-DD
	ClosesOn  string   `json:"closes_on"` // YYYY-MM-DD
	Materials []string `json:"materials"`
	Capacity  int      `json:"capacity"`
	Status    string   `json:"status"`
}

// IntakeCallCreatedV1 announces a new (draft) intake call.
type IntakeCallCreatedV1 struct{ IntakeCallV1 }

func (IntakeCallCreatedV1) EventType() string { return IntakeCallCreated }
func (IntakeCallCreatedV1) EventVersion() int { return 1 }

// IntakeCallUpdatedV1 announces changed call details.
type IntakeCallUpdatedV1 struct{ IntakeCallV1 }

func (IntakeCallUpdatedV1) EventType() string { return IntakeCallUpdated }
func (IntakeCallUpdatedV1) EventVersion() int { return 1 }

// IntakeCallOpenedV1 announces a call now taking applications.
type IntakeCallOpenedV1 struct{ IntakeCallV1 }

func (IntakeCallOpenedV1) EventType() string { return IntakeCallOpened }
func (IntakeCallOpenedV1) EventVersion() int { return 1 }

// IntakeCallClosedV1 announces a call no longer taking applications.
type IntakeCallClosedV1 struct{ IntakeCallV1 }

func (IntakeCallClosedV1) EventType() string { return IntakeCallClosed }
func (IntakeCallClosedV1) EventVersion() int { return 1 }

// ApplicationV1 identifies an application and where it stands.
type ApplicationV1 struct {
	ApplicationID string `json:"application_id"`
	CallID        string `json:"call_id"`
	CompanyID     string `json:"company_id"`
	CarrierID     string `json:"carrier_id"`
	RegionID      string `json:"region_id"`
	Status        string `json:"status"`
}

// ApplicationCreatedV1 announces a draft application. Materials are the
// material types its call requires; the documents service opens a
// checklist "application:<id>" with one required slot per type.
type ApplicationCreatedV1 struct {
	ApplicationV1
	Materials []string `json:"materials,omitempty"`
}

func (ApplicationCreatedV1) EventType() string { return ApplicationCreated }
func (ApplicationCreatedV1) EventVersion() int { return 1 }

// ApplicationSubmittedV1 announces an application handed to the carrier.
type ApplicationSubmittedV1 struct {
	ApplicationV1
	SubmittedAt string `json:"submitted_at"` // RFC 3339
}

func (ApplicationSubmittedV1) EventType() string { return ApplicationSubmitted }
func (ApplicationSubmittedV1) EventVersion() int { return 1 }

// ApplicationReviewedV1 announces one reviewer's scores (a reviewer who
// scores again publishes again; the latest counts).
type ApplicationReviewedV1 struct {
	ApplicationV1
	ReviewerID string         `json:"reviewer_id"`
	Scores     map[string]int `json:"scores"`
}

func (ApplicationReviewedV1) EventType() string { return ApplicationReviewed }
func (ApplicationReviewedV1) EventVersion() int { return 1 }

// ApplicationDecidedV1 announces a decision; Decision is "admitted" or
// "rejected" and Reason is what the applicant reads.
type ApplicationDecidedV1 struct {
	ApplicationV1
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	// OverrideReason is why an admin admitted although the admission
	// rules (verified materials, enough reviews) were not met.
	OverrideReason string `json:"override_reason,omitempty"`
	// Conflicts are the company's open residencies (same company or same
	// USCC) at other carriers when it was admitted: it must not be counted
	// twice (the district's duplicate-counting rule).
	Conflicts []AdmissionConflictV1 `json:"conflicts,omitempty"`
}

// AdmissionConflictV1 is another carrier's open residency of a company
// being admitted.
type AdmissionConflictV1 struct {
	CarrierID     string `json:"carrier_id"`
	CarrierNameZH string `json:"carrier_name_zh"`
	ResidencyID   string `json:"residency_id"`
	CompanyID     string `json:"company_id"`
	Status        string `json:"status"`
}

func (ApplicationDecidedV1) EventType() string { return ApplicationDecided }
func (ApplicationDecidedV1) EventVersion() int { return 1 }

// ApplicationWithdrawnV1 announces an application the company took back.
type ApplicationWithdrawnV1 struct{ ApplicationV1 }

func (ApplicationWithdrawnV1) EventType() string { return ApplicationWithdrawn }
func (ApplicationWithdrawnV1) EventVersion() int { return 1 }

// ApplicationReturnedV1 announces a submitted application handed back to
// the company as a draft because a material it relied on was deleted;
// MaterialType names the slot to fill again before submitting anew.
type ApplicationReturnedV1 struct {
	ApplicationV1
	MaterialType string `json:"material_type"`
	DocumentID   string `json:"document_id"`
}

func (ApplicationReturnedV1) EventType() string { return ApplicationReturned }
func (ApplicationReturnedV1) EventVersion() int { return 1 }
