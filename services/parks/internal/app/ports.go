package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/audit"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// Store is the parks service's persistence, one transaction per use case.
type Store = bus.Store[Tx]

// CarrierFilter narrows a carrier list.
type CarrierFilter struct {
	RegionID   string
	CarrierIDs []string // when non-nil, only these (the caller's own carriers)
	Kind       string
	Status     string
}

// Member is a user with their roles in one domain.
type Member struct {
	UserID      string
	Email       string
	DisplayName string
	Roles       []string
}

// Grant is a stored role assignment.
type Grant struct {
	UserID    string
	Role      string
	Domain    string
	RegionID  string
	CarrierID string
	GrantedBy string
	GrantedAt time.Time
}

// AuditEntry is one line of the audit trail (parks names no company).
type AuditEntry = audit.Entry

// AuditFilter selects audit records of a region, or of one carrier.
type AuditFilter struct {
	RegionID  string
	CarrierID string
	Action    string // exact action, e.g. "member.grant"
	Since     time.Time
}

// AuditRecord is a stored audit entry.
type AuditRecord = audit.Record

// Tx is what use cases can do inside a transaction.
type Tx interface {
	InsertRegion(ctx context.Context, r *domain.Region) error
	GetRegion(ctx context.Context, id string) (*domain.Region, error)
	ListRegions(ctx context.Context, ids []string) ([]*domain.Region, error) // nil ids = all
	RegionCodeTaken(ctx context.Context, code string) (bool, error)
	UpdateRegion(ctx context.Context, r *domain.Region) error

	InsertCarrier(ctx context.Context, c *domain.Carrier) error
	GetCarrier(ctx context.Context, id string) (*domain.Carrier, error)
	UpdateCarrier(ctx context.Context, c *domain.Carrier) error
	CarrierNameTaken(ctx context.Context, regionID, nameZH, exceptID string) (bool, error)
	ListCarriers(ctx context.Context, f CarrierFilter, p list.Params) ([]*domain.Carrier, int, error)
	CarriersByIDs(ctx context.Context, ids []string) ([]*domain.Carrier, error)

	InsertUser(ctx context.Context, u *domain.User) error
	GetUser(ctx context.Context, id string) (*domain.User, error)
	GetUserByEmail(ctx context.Context, email string) (*domain.User, error)
	ListUsers(ctx context.Context, p list.Params) ([]*domain.User, int, error)

	InsertGrant(ctx context.Context, g Grant) (bool, error) // false when it already existed
	DeleteGrant(ctx context.Context, userID, role, domain string) (bool, error)
	ListMembers(ctx context.Context, domain string, p list.Params) ([]Member, int, error)
	AllGrants(ctx context.Context) ([]Grant, error)
	GrantsOfUser(ctx context.Context, userID string) ([]Grant, error)

	InsertInvitation(ctx context.Context, inv *domain.Invitation) error
	InvitationByTokenHash(ctx context.Context, hash string) (*domain.Invitation, error)
	MarkInvitationAccepted(ctx context.Context, id string, at time.Time) error
	ListInvitations(ctx context.Context, domain string, p list.Params) ([]*domain.Invitation, int, error)

	Publish(ctx context.Context, evs ...events.Envelope) error
	Audit(ctx context.Context, e AuditEntry) error
	ListAudit(ctx context.Context, f AuditFilter, p list.Params) ([]AuditRecord, int, error)
}
