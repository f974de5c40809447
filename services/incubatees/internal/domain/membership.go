package domain

import (
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// MemberRole is a person's role inside their company.
type MemberRole string

const (
	CompanyAdmin  MemberRole = "company_admin" // manages the company and its members
	CompanyMember MemberRole = "member"
)

// MemberStatus is where a membership stands.
type MemberStatus string

const (
	Invited MemberStatus = "invited"
	Active  MemberStatus = "active"
	Left    MemberStatus = "left"
)

// Membership ties a user to a company. Only active members hold the
// startup_member role in the company's domain.
type Membership struct {
	CompanyID string
	UserID    string
	Role      MemberRole
	Status    MemberStatus
	InvitedBy string
	UpdatedAt time.Time
}

// Accept turns an invitation into an active membership.
func (m *Membership) Accept(now time.Time) error {
	if m.Status != Invited {
		return apperr.ConflictErr("membership-not-invited")
	}
	m.Status, m.UpdatedAt = Active, now
	return nil
}

// Leave ends a membership; activeAdmins counts the company's active admins
// (this one included), so that a company never loses its last admin.
func (m *Membership) Leave(activeAdmins int, now time.Time) error {
	if m.Status == Left {
		return apperr.ConflictErr("membership-already-left")
	}
	if m.Status == Active && m.Role == CompanyAdmin && activeAdmins <= 1 {
		return apperr.ConflictErr("last-company-admin")
	}
	m.Status, m.UpdatedAt = Left, now
	return nil
}

// ValidRole reports whether r is a company role.
func ValidRole(r MemberRole) bool { return r == CompanyAdmin || r == CompanyMember }
