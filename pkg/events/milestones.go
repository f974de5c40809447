package events

// Event types published by the milestones service. A milestone belongs to
// one residency's plan; every event carries its full state after the
// change, so the notifications and rollups services build their views
// from events alone.
const (
	MilestonePlanned     = "milestones.milestone.planned"
	MilestoneProgressed  = "milestones.milestone.progressed"
	MilestoneSubmitted   = "milestones.milestone.submitted"
	MilestoneVerified    = "milestones.milestone.verified"
	MilestoneReturned    = "milestones.milestone.returned"
	MilestoneWaived      = "milestones.milestone.waived"
	MilestoneRescheduled = "milestones.milestone.rescheduled"
	MilestoneDueSoon     = "milestones.milestone.due_soon"
	MilestoneOverdue     = "milestones.milestone.overdue"
)

// FigureV1 is a measured or target figure with its unit ("thousand_yuan"
// for 千元, "people", "count", "percent").
type FigureV1 struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// MilestoneV1 is a milestone's state after a change. Dates are YYYY-MM-DD.
// Reason is the why of a waiver, a reschedule or a return; PreviousDueOn
// is set on a reschedule.
type MilestoneV1 struct {
	MilestoneID   string    `json:"milestone_id"`
	ResidencyID   string    `json:"residency_id"`
	CompanyID     string    `json:"company_id"`
	RegionID      string    `json:"region_id"`
	CarrierID     string    `json:"carrier_id"`
	CarrierKind   string    `json:"carrier_kind"`
	TitleZH       string    `json:"title_zh"`
	TitleEN       string    `json:"title_en"`
	Category      string    `json:"category"`
	State         string    `json:"state"`
	DueOn         string    `json:"due_on"`
	OwnerID       string    `json:"owner_id,omitempty"`
	Target        *FigureV1 `json:"target,omitempty"`
	Percent       *int      `json:"percent,omitempty"`
	Figure        *FigureV1 `json:"figure,omitempty"`
	Evidence      []string  `json:"evidence,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	PreviousDueOn string    `json:"previous_due_on,omitempty"`
}

// MilestonePlannedV1 announces a milestone added to a plan (from a
// template or by hand).
type MilestonePlannedV1 struct{ MilestoneV1 }

func (MilestonePlannedV1) EventType() string { return MilestonePlanned }
func (MilestonePlannedV1) EventVersion() int { return 1 }

// MilestoneProgressedV1 announces a progress update by the startup.
type MilestoneProgressedV1 struct {
	MilestoneV1
	UpdateID string `json:"update_id"`
	Text     string `json:"text,omitempty"`
}

func (MilestoneProgressedV1) EventType() string { return MilestoneProgressed }
func (MilestoneProgressedV1) EventVersion() int { return 1 }

// MilestoneSubmittedV1 announces a milestone submitted for verification.
type MilestoneSubmittedV1 struct{ MilestoneV1 }

func (MilestoneSubmittedV1) EventType() string { return MilestoneSubmitted }
func (MilestoneSubmittedV1) EventVersion() int { return 1 }

// MilestoneVerifiedV1 announces an operator's verification.
type MilestoneVerifiedV1 struct{ MilestoneV1 }

func (MilestoneVerifiedV1) EventType() string { return MilestoneVerified }
func (MilestoneVerifiedV1) EventVersion() int { return 1 }

// MilestoneReturnedV1 announces a submission sent back with a comment (Reason).
type MilestoneReturnedV1 struct{ MilestoneV1 }

func (MilestoneReturnedV1) EventType() string { return MilestoneReturned }
func (MilestoneReturnedV1) EventVersion() int { return 1 }

// MilestoneWaivedV1 announces a milestone no longer asked for (Reason).
type MilestoneWaivedV1 struct{ MilestoneV1 }

func (MilestoneWaivedV1) EventType() string { return MilestoneWaived }
func (MilestoneWaivedV1) EventVersion() int { return 1 }

// MilestoneRescheduledV1 announces a new due date (Reason, PreviousDueOn).
type MilestoneRescheduledV1 struct{ MilestoneV1 }

func (MilestoneRescheduledV1) EventType() string { return MilestoneRescheduled }
func (MilestoneRescheduledV1) EventVersion() int { return 1 }

// MilestoneDueSoonV1 reminds that a milestone falls due within DaysLeft
// days; sent once per milestone and due date.
type MilestoneDueSoonV1 struct {
	MilestoneV1
	DaysLeft int `json:"days_left"`
}

func (MilestoneDueSoonV1) EventType() string { return MilestoneDueSoon }
func (MilestoneDueSoonV1) EventVersion() int { return 1 }

// MilestoneOverdueV1 announces a milestone past its due date and not yet
// verified or waived; sent once per milestone and due date.
type MilestoneOverdueV1 struct {
	MilestoneV1
	DaysOverdue int `json:"days_overdue"`
}

func (MilestoneOverdueV1) EventType() string { return MilestoneOverdue }
func (MilestoneOverdueV1) EventVersion() int { return 1 }
