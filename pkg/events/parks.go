package events

import "time"

// Event types published by the parks service.
const (
	RegionCreated      = "parks.region.created"
	RegionUpdated      = "parks.region.updated"
	CarrierCreated     = "parks.carrier.created"
	CarrierUpdated     = "parks.carrier.updated"
	UserCreated        = "parks.user.created"
	InvitationCreated  = "parks.invitation.created"
	InvitationAccepted = "parks.invitation.accepted"
	RoleGranted        = "parks.member.role_granted"
	RoleRevoked        = "parks.member.role_revoked"
)

// RegionCreatedV1 announces a new region (district).
type RegionCreatedV1 struct {
	RegionID string `json:"region_id"`
	Code     string `json:"code"`
	NameZH   string `json:"name_zh"`
	NameEN   string `json:"name_en"`
}

func (RegionCreatedV1) EventType() string { return RegionCreated }
func (RegionCreatedV1) EventVersion() int { return 1 }

// RegionUpdatedV1 announces a renamed region.
type RegionUpdatedV1 struct {
	RegionID string `json:"region_id"`
	NameZH   string `json:"name_zh"`
	NameEN   string `json:"name_en"`
}

func (RegionUpdatedV1) EventType() string { return RegionUpdated }
func (RegionUpdatedV1) EventVersion() int { return 1 }

// CarrierV1 is the full state of a carrier after a change.
type CarrierV1 struct {
	CarrierID       string   `json:"carrier_id"`
	RegionID        string   `json:"region_id"`
	Kind            string   `json:"kind"`
	ChainOrder      int      `json:"chain_order"`
	NameZH          string   `json:"name_zh"`
	NameEN          string   `json:"name_en"`
	Address         string   `json:"address"`
	AreaM2          float64  `json:"area_m2"`
	FocusIndustries []string `json:"focus_industries"`
	Capacity        int      `json:"capacity"`
	Status          string   `json:"status"`
}

// CarrierCreatedV1 announces a new carrier.
type CarrierCreatedV1 struct{ CarrierV1 }

func (CarrierCreatedV1) EventType() string { return CarrierCreated }
func (CarrierCreatedV1) EventVersion() int { return 1 }

// CarrierUpdatedV1 announces a changed carrier.
type CarrierUpdatedV1 struct{ CarrierV1 }

func (CarrierUpdatedV1) EventType() string { return CarrierUpdated }
func (CarrierUpdatedV1) EventVersion() int { return 1 }

// UserCreatedV1 announces a new user account (never carries secrets).
type UserCreatedV1 struct {
	UserID      string `json:"user_id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
}

func (UserCreatedV1) EventType() string { return UserCreated }
func (UserCreatedV1) EventVersion() int { return 1 }

// InvitationCreatedV1 announces an invitation to join a domain with a role.
type InvitationCreatedV1 struct {
	InvitationID string    `json:"invitation_id"`
	Email        string    `json:"email"`
	Role         string    `json:"role"`
	Domain       string    `json:"domain"`
	ExpiresAt    time.Time `json:"expires_at"`
	// SealedLink is the acceptance link sealed (pkg/linkseal) for the
	// notifications service, which mails it to Email; every other
	// consumer sees only ciphertext. Its purpose is InvitationLinkPurpose.
	SealedLink string `json:"sealed_link,omitempty"`
}

// InvitationLinkPurpose binds an invitation's sealed link to that
// invitation, so it cannot be replayed inside another event.
func InvitationLinkPurpose(invitationID string) string { return InvitationCreated + ":" + invitationID }

func (InvitationCreatedV1) EventType() string { return InvitationCreated }
func (InvitationCreatedV1) EventVersion() int { return 1 }

// InvitationAcceptedV1 announces an accepted invitation.
type InvitationAcceptedV1 struct {
	InvitationID string `json:"invitation_id"`
	UserID       string `json:"user_id"`
}

func (InvitationAcceptedV1) EventType() string { return InvitationAccepted }
func (InvitationAcceptedV1) EventVersion() int { return 1 }

// RoleAssignmentV1 is a role granted to (or revoked from) a user in a
// Casbin domain ("region:<id>", "carrier:<id>", "company:<id>" or
// "platform"). Every service's enforcer applies it.
type RoleAssignmentV1 struct {
	UserID string `json:"user_id"`
	Role   string `json:"role"`
	Domain string `json:"domain"`
}

// RoleGrantedV1 is published when a role is granted.
type RoleGrantedV1 struct{ RoleAssignmentV1 }

func (RoleGrantedV1) EventType() string { return RoleGranted }
func (RoleGrantedV1) EventVersion() int { return 1 }

// RoleRevokedV1 is published when a role is revoked.
type RoleRevokedV1 struct{ RoleAssignmentV1 }

func (RoleRevokedV1) EventType() string { return RoleRevoked }
func (RoleRevokedV1) EventVersion() int { return 1 }
