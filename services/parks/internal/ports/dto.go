package ports

import (
	"time"

	"github.com/incuchain/incuchain/services/parks/internal/app"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// RegionDTO is a region on the wire.
type RegionDTO struct {
	ID        string    `json:"id"`
	Code      string    `json:"code"`
	NameZH    string    `json:"name_zh"`
	NameEN    string    `json:"name_en"`
	CreatedAt time.Time `json:"created_at"`
}

func regionDTO(r *domain.Region) RegionDTO {
	return RegionDTO{ID: r.ID, Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, CreatedAt: r.CreatedAt}
}

// CarrierDTO is a carrier on the wire.
type CarrierDTO struct {
	ID              string        `json:"id"`
	RegionID        string        `json:"region_id"`
	Kind            domain.Kind   `json:"kind"`
	ChainOrder      int           `json:"chain_order"`
	NameZH          string        `json:"name_zh"`
	NameEN          string        `json:"name_en"`
	Address         string        `json:"address"`
	AreaM2          float64       `json:"area_m2"`
	FocusIndustries []string      `json:"focus_industries"`
	Capacity        int           `json:"capacity"`
	Status          domain.Status `json:"status"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
}

func carrierDTO(c *domain.Carrier) CarrierDTO {
	f := c.Fields()
	inds := f.FocusIndustries
	if inds == nil {
		inds = []string{}
	}
	return CarrierDTO{ID: c.ID(), RegionID: c.RegionID(), Kind: f.Kind, ChainOrder: c.ChainOrder(), NameZH: f.NameZH,
		NameEN: f.NameEN, Address: f.Address, AreaM2: f.AreaM2, FocusIndustries: inds, Capacity: f.Capacity,
		Status: f.Status, CreatedAt: c.CreatedAt(), UpdatedAt: c.UpdatedAt()}
}

// CarrierInput is the body of create (all fields) and update (any subset).
type CarrierInput struct {
	Kind            *string   `json:"kind"`
	NameZH          *string   `json:"name_zh"`
	NameEN          *string   `json:"name_en"`
	Address         *string   `json:"address"`
	AreaM2          *float64  `json:"area_m2"`
	FocusIndustries *[]string `json:"focus_industries"`
	Capacity        *int      `json:"capacity"`
	Status          *string   `json:"status"`
}

func (in CarrierInput) fields() domain.CarrierFields {
	return domain.CarrierFields{
		Kind:            domain.Kind(deref(in.Kind)),
		NameZH:          deref(in.NameZH),
		NameEN:          deref(in.NameEN),
		Address:         deref(in.Address),
		AreaM2:          deref(in.AreaM2),
		FocusIndustries: deref(in.FocusIndustries),
		Capacity:        deref(in.Capacity),
		Status:          domain.Status(deref(in.Status)),
	}
}

func (in CarrierInput) patch() domain.CarrierPatch {
	p := domain.CarrierPatch{NameZH: in.NameZH, NameEN: in.NameEN, Address: in.Address, AreaM2: in.AreaM2,
		FocusIndustries: in.FocusIndustries, Capacity: in.Capacity}
	if in.Kind != nil {
		k := domain.Kind(*in.Kind)
		p.Kind = &k
	}
	if in.Status != nil {
		s := domain.Status(*in.Status)
		p.Status = &s
	}
	return p
}

// deref is *p, or the zero value where p is nil (a field the input leaves
// out).
func deref[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}

// MemberDTO is a staff member with roles in one domain.
type MemberDTO struct {
	UserID      string   `json:"user_id"`
	Email       string   `json:"email"`
	DisplayName string   `json:"display_name"`
	Roles       []string `json:"roles" enum:"platform_admin,district_admin,district_viewer,park_admin,park_operator,startup_member"`
}

func memberDTO(m app.Member) MemberDTO {
	roles := m.Roles
	if roles == nil {
		roles = []string{}
	}
	return MemberDTO{UserID: m.UserID, Email: m.Email, DisplayName: m.DisplayName, Roles: roles}
}

// UserDTO is an account on the wire (never with its password hash).
type UserDTO struct {
	ID          string    `json:"id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	CreatedAt   time.Time `json:"created_at"`
}

func userDTO(u *domain.User) UserDTO {
	return UserDTO{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, CreatedAt: u.CreatedAt}
}

// InvitationDTO is an invitation on the wire; AcceptURL only when issued.
type InvitationDTO struct {
	ID         string     `json:"id"`
	Email      string     `json:"email"`
	Role       string     `json:"role" enum:"platform_admin,district_admin,district_viewer,park_admin,park_operator,startup_member"`
	Domain     string     `json:"domain"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at"`
	CreatedAt  time.Time  `json:"created_at"`
	AcceptURL  string     `json:"accept_url,omitempty"`
}

func invitationDTO(i *domain.Invitation) InvitationDTO {
	return InvitationDTO{ID: i.ID, Email: i.Email, Role: i.Role, Domain: i.Domain, ExpiresAt: i.ExpiresAt, AcceptedAt: i.AcceptedAt, CreatedAt: i.CreatedAt}
}

// AssignmentDTO is one of the caller's roles, named.
type AssignmentDTO struct {
	Role       string `json:"role" enum:"platform_admin,district_admin,district_viewer,park_admin,park_operator,startup_member"`
	Domain     string `json:"domain"`
	DomainKind string `json:"domain_kind"`
	DomainID   string `json:"domain_id"`
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
	RegionID   string `json:"region_id"`
}

// AuditDTO is one audit record on the wire.
type AuditDTO struct {
	ID        string         `json:"id"`
	At        time.Time      `json:"at"`
	Actor     string         `json:"actor"`
	Action    string         `json:"action"`
	ObjectID  string         `json:"object_id"`
	RegionID  string         `json:"region_id"`
	CarrierID string         `json:"carrier_id"`
	Detail    map[string]any `json:"detail"`
}
