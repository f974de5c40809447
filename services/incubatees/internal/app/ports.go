package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/audit"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Tx is what the repositories (internal/adapters) do inside a
// transaction, one interface per area of the service.
type Tx interface {
	ReadModelTx
	CompanyTx
	IntakeTx
	ResidencyTx
	ReportTx
	Publish(ctx context.Context, evs ...events.Envelope) error
	Audit(ctx context.Context, e AuditEntry) error
}

// AuditEntry is one line of the audit trail.
type AuditEntry = audit.Entry

// Carrier is the read model of a parks carrier.
type Carrier struct {
	ID, RegionID, Kind, NameZH, NameEN, Status string
	ChainOrder                                 int
}

// User is the read model of a parks user.
type User struct{ ID, Email, DisplayName string }

// ReadModelTx keeps and reads the copies of parks data this service needs.
type ReadModelTx interface {
	UpsertRegion(ctx context.Context, id, code, nameZH, nameEN string) error
	RegionExists(ctx context.Context, id string) (bool, error)
	RegionByCode(ctx context.Context, code string) (string, error)
	UpsertCarrier(ctx context.Context, c Carrier) error
	GetCarrier(ctx context.Context, id string) (Carrier, error)
	RegionCarriers(ctx context.Context, regionID string) ([]Carrier, error)
	UpsertUser(ctx context.Context, u User) error
	UserByEmail(ctx context.Context, email string) (User, error)
	UsersByIDs(ctx context.Context, ids []string) (map[string]User, error)
}

// CompanyFilter narrows a company list.
type CompanyFilter struct {
	RegionID   string
	CompanyIDs []string // when non-nil, only these
	CarrierIDs []string // when non-nil, only companies linked to these carriers
	Industry   string
}

// CompanyTx stores companies, their members and their carrier links.
type CompanyTx interface {
	InsertCompany(ctx context.Context, c *domain.Company, createdBy string) error
	UpdateCompany(ctx context.Context, c *domain.Company) error
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
	CompanyByUSCC(ctx context.Context, regionID string, uscc domain.USCC) (*domain.Company, error)
	ListCompanies(ctx context.Context, f CompanyFilter, p list.Params) ([]*domain.Company, int, error)
	LinkCarrier(ctx context.Context, companyID, carrierID string, since time.Time) error
	// UnlinkCarrierUnbacked drops the company's link to the carrier unless
	// a relationship the company entered still backs it (an application it
	// submitted there, a residency from an admission, promotion or accepted
	// enrolment offer, a promotion other than exceptPromotionID consented
	// or accepted there).
	UnlinkCarrierUnbacked(ctx context.Context, companyID, carrierID, exceptPromotionID string) error
	CompanyCarriers(ctx context.Context, companyID string) ([]string, error)

	PutMembership(ctx context.Context, m domain.Membership) error
	GetMembership(ctx context.Context, companyID, userID string) (domain.Membership, error)
	ListMemberships(ctx context.Context, companyID string) ([]domain.Membership, error)
	MembershipsOfUser(ctx context.Context, userID string) ([]domain.Membership, error)
	ActiveMemberships(ctx context.Context) ([]domain.Membership, error)
}
