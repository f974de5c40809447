package domain

import (
	"time"
)

// InvitationTTL is how long an invitation can be accepted.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation asks a person, by email, to join a domain with a role. Only a
// hash of its token is stored.
type Invitation struct {
	ID         string
	TokenHash  string
	Email      string
	Role       string
	Domain     string
	InvitedBy  string
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	CreatedAt  time.Time
}

// Acceptable reports whether the invitation can still be accepted at now.
func (i *Invitation) Acceptable(now time.Time) bool {
	return i.AcceptedAt == nil && now.Before(i.ExpiresAt)
}
