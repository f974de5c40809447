package events

// Event types published by the incubatees service. Payload types of the
// intake, residency, ladder and metrics areas live beside them.
const (
	CompanyRegistered = "incubatees.company.registered"
	CompanyUpdated    = "incubatees.company.updated"
	CompanyUSCCLinked = "incubatees.company.uscc_linked"
	// Company membership is published as role assignments in the
	// company:<id> domain, which every service's enforcer applies.
	CompanyRoleGranted = "incubatees.member.role_granted"
	CompanyRoleRevoked = "incubatees.member.role_revoked"
)

// CompanyV1 is a company's state after a change.
type CompanyV1 struct {
	CompanyID     string `json:"company_id"`
	RegionID      string `json:"region_id"`
	USCC          string `json:"uscc,omitempty"`
	ProvisionalID string `json:"provisional_id,omitempty"`
	NameZH        string `json:"name_zh"`
	NameEN        string `json:"name_en"`
	IndustryCode  string `json:"industry_code"`
	TechField     string `json:"tech_field"`
	FoundedOn     string `json:"founded_on,omitempty"` // YYYY-MM-DD
}

// CompanyRegisteredV1 announces a new company (or team before it registers).
type CompanyRegisteredV1 struct{ CompanyV1 }

func (CompanyRegisteredV1) EventType() string { return CompanyRegistered }
func (CompanyRegisteredV1) EventVersion() int { return 1 }

// CompanyUpdatedV1 announces changed company details.
type CompanyUpdatedV1 struct{ CompanyV1 }

func (CompanyUpdatedV1) EventType() string { return CompanyUpdated }
func (CompanyUpdatedV1) EventVersion() int { return 1 }

// CompanyUSCCLinkedV1 announces that a team got its registered code; the
// company id (and so its history) stays the same.
type CompanyUSCCLinkedV1 struct {
	CompanyID     string `json:"company_id"`
	USCC          string `json:"uscc"`
	ProvisionalID string `json:"provisional_id"`
}

func (CompanyUSCCLinkedV1) EventType() string { return CompanyUSCCLinked }
func (CompanyUSCCLinkedV1) EventVersion() int { return 1 }

// CompanyRoleGrantedV1 grants a user startup_member in company:<id>.
type CompanyRoleGrantedV1 struct{ RoleAssignmentV1 }

func (CompanyRoleGrantedV1) EventType() string { return CompanyRoleGranted }
func (CompanyRoleGrantedV1) EventVersion() int { return 1 }

// CompanyRoleRevokedV1 revokes it.
type CompanyRoleRevokedV1 struct{ RoleAssignmentV1 }

func (CompanyRoleRevokedV1) EventType() string { return CompanyRoleRevoked }
func (CompanyRoleRevokedV1) EventVersion() int { return 1 }
