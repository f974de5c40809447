package command

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// memMemberships is an in-memory membership repository over one company:
// Save stores the membership and records the role events and audit line
// the bun repository would write.
type memMemberships struct {
	company   *domain.Company
	members   map[string]domain.Membership // by user id
	users     map[string]app.User          // by email
	published []events.Payload
	audited   []string
}

func (m *memMemberships) Transaction(ctx context.Context, fn func(context.Context) error) error {
	return fn(ctx)
}

func (m *memMemberships) Save(_ context.Context, _ app.Actor, c *domain.Company, ms domain.Membership, wasActive bool, action string, _ map[string]any) error {
	m.members[ms.UserID] = ms
	m.published = append(m.published, app.MembershipEvents(c, ms, wasActive)...)
	if action != "" {
		m.audited = append(m.audited, action)
	}
	return nil
}

func (m *memMemberships) GetMembership(_ context.Context, companyID, userID string) (domain.Membership, error) {
	if ms, ok := m.members[userID]; ok && companyID == m.company.ID {
		return ms, nil
	}
	return domain.Membership{}, apperr.NotFoundErr("membership-not-found")
}

func (m *memMemberships) GetCompany(_ context.Context, id string) (*domain.Company, error) {
	if id == m.company.ID {
		return m.company, nil
	}
	return nil, apperr.NotFoundErr("company-not-found")
}

func (m *memMemberships) CompanyCarriers(context.Context, string) ([]string, error) { return nil, nil }

func (m *memMemberships) ListMemberships(context.Context, string) ([]domain.Membership, error) {
	var out []domain.Membership
	for _, ms := range m.members {
		out = append(out, ms)
	}
	return out, nil
}

func (m *memMemberships) UserByEmail(_ context.Context, email string) (app.User, error) {
	if u, ok := m.users[email]; ok {
		return u, nil
	}
	return app.User{}, apperr.NotFoundErr("user-not-found")
}

// team is a company whose founder is its only admin and whose other
// member is a plain member; both hold startup_member in the company.
func team(t *testing.T) (*memMemberships, *authz.Enforcer) {
	t.Helper()
	e, err := authz.New()
	if err != nil {
		t.Fatal(err)
	}
	m := &memMemberships{company: &domain.Company{ID: company, RegionID: region}, members: map[string]domain.Membership{},
		users: map[string]app.User{"newcomer@x.demo": {ID: "newcomer", Email: "newcomer@x.demo"}}}
	for user, role := range map[string]domain.MemberRole{"founder": domain.CompanyAdmin, member: domain.CompanyMember} {
		m.members[user] = domain.Membership{CompanyID: company, UserID: user, Role: role, Status: domain.Active}
		if err := e.Grant(authz.Assignment{UserID: user, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(company)}); err != nil {
			t.Fatal(err)
		}
	}
	return m, e
}

func TestRemoveMember(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	founder := app.Actor{UserID: "founder"}
	t.Run("the last admin stays", func(t *testing.T) {
		m, e := team(t)
		err := NewRemoveMemberHandler(m, e, log, clock).Handle(context.Background(), RemoveMember{Actor: founder, CompanyID: company, UserID: "founder"})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("want a conflict, got %v", err)
		}
		if m.members["founder"].Status != domain.Active || len(m.published)+len(m.audited) != 0 {
			t.Fatalf("a refusal changed something: %+v %v %v", m.members["founder"], m.published, m.audited)
		}
	})
	t.Run("a plain member removes no one else", func(t *testing.T) {
		m, e := team(t)
		err := NewRemoveMemberHandler(m, e, log, clock).Handle(context.Background(), RemoveMember{Actor: app.Actor{UserID: member}, CompanyID: company, UserID: "founder"})
		if ae, ok := apperr.As(err); !ok || ae.Slug != "not-company-admin" {
			t.Fatalf("want not-company-admin, got %v", err)
		}
		if len(m.published)+len(m.audited) != 0 {
			t.Fatalf("a refusal wrote: %v %v", m.published, m.audited)
		}
	})
	t.Run("leaving revokes the role here and in the events", func(t *testing.T) {
		m, e := team(t)
		if !e.Can(member, authz.Scope{RegionID: region, CompanyID: company}, "company", "read") {
			t.Fatal("the member cannot read the company before leaving")
		}
		if err := NewRemoveMemberHandler(m, e, log, clock).Handle(context.Background(), RemoveMember{Actor: app.Actor{UserID: member}, CompanyID: company, UserID: member}); err != nil {
			t.Fatal(err)
		}
		if m.members[member].Status != domain.Left {
			t.Fatalf("membership after leaving: %+v", m.members[member])
		}
		if len(m.published) != 1 || m.published[0].EventType() != events.CompanyRoleRevoked || len(m.audited) != 1 || m.audited[0] != "company.member.remove" {
			t.Fatalf("events %v, audit %v", m.published, m.audited)
		}
		if e.Can(member, authz.Scope{RegionID: region, CompanyID: company}, "company", "read") {
			t.Fatal("the enforcer still lets the former member read the company")
		}
	})
}

func TestInviteMember(t *testing.T) {
	m, e := team(t)
	h := NewInviteMemberHandler(m, e, clock)
	if _, err := h.Handle(context.Background(), InviteMember{Actor: app.Actor{UserID: member}, CompanyID: company, Email: "newcomer@x.demo"}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a plain member invites: %v", err)
	}
	v, err := h.Handle(context.Background(), InviteMember{Actor: app.Actor{UserID: "founder"}, CompanyID: company, Email: " NEWCOMER@x.demo "})
	if err != nil {
		t.Fatal(err)
	}
	if v.UserID != "newcomer" || v.Status != domain.Invited || v.Role != domain.CompanyMember || v.InvitedBy != "founder" {
		t.Fatalf("invitation: %+v", v)
	}
	// Invited is not yet a member: no role goes out, one audit line does.
	if len(m.published) != 0 || len(m.audited) != 1 || m.audited[0] != "company.member.invite" {
		t.Fatalf("events %v, audit %v", m.published, m.audited)
	}
	if _, err := h.Handle(context.Background(), InviteMember{Actor: app.Actor{UserID: "founder"}, CompanyID: company, Email: "newcomer@x.demo"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second invitation: %v", err)
	}
}
