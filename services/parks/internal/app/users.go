package app

import (
	"context"
	"strings"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

func (a *App) newUser(email, displayName, password string) (*domain.User, error) {
	v := apperr.NewValidation("invalid-user")
	if code, ok := authn.ValidatePassword(password); !ok {
		v.Add("password", code)
	}
	u, uerr := domain.NewUser(events.NewID(), email, displayName, "", a.now())
	if uerr != nil {
		if ae, ok := apperr.As(uerr); ok {
			for _, f := range ae.Fields {
				v.Add(f.Field, f.Code, paramsOf(f)...)
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := authn.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	return u, nil
}

func paramsOf(f apperr.FieldError) []any {
	var out []any
	for k, v := range f.Params {
		out = append(out, k, v)
	}
	return out
}

func (a *App) publishUserCreated(ctx context.Context, tx Tx, actor Actor, u *domain.User) error {
	if err := a.publish(ctx, tx, events.Scope{}, actor, u.ID, events.UserCreatedV1{UserID: u.ID, Email: u.Email, DisplayName: u.DisplayName}); err != nil {
		return err
	}
	return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "user.create", ObjectID: u.ID, Detail: map[string]any{"email": u.Email}})
}

// invitedUser is the account of one accepting an invitation to email:
// created with the chosen name and password, or, when it exists, the
// account whose password they gave.
func (a *App) invitedUser(ctx context.Context, tx Tx, email, displayName, password string) (*domain.User, error) {
	user, err := tx.GetUserByEmail(ctx, email)
	switch {
	case apperr.Is(err, apperr.NotFound):
		if user, err = a.newUser(email, displayName, password); err != nil {
			return nil, err
		}
		if err := tx.InsertUser(ctx, user); err != nil {
			return nil, err
		}
		return user, a.publishUserCreated(ctx, tx, Actor{UserID: user.ID}, user)
	case err != nil:
		return nil, err
	}
	if ok, _ := authn.VerifyPassword(user.PasswordHash, password); !ok {
		return nil, apperr.New(apperr.Unauthenticated, "invalid-credentials")
	}
	return user, nil
}

// CreateUser adds an account (platform admins; seeding). Others are
// invited instead.
func (a *App) CreateUser(ctx context.Context, actor Actor, email, displayName, password string) (*domain.User, error) {
	if err := a.platformAct(actor, "user", "create"); err != nil {
		return nil, err
	}
	return a.createUser(ctx, actor, email, displayName, password)
}

func (a *App) createUser(ctx context.Context, actor Actor, email, displayName, password string) (*domain.User, error) {
	u, err := a.newUser(email, displayName, password)
	if err != nil {
		return nil, err
	}
	err = a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := tx.GetUserByEmail(ctx, u.Email); err == nil {
			return duplicate("email-taken", "email")
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err := tx.InsertUser(ctx, u); err != nil {
			return err
		}
		return a.publishUserCreated(ctx, tx, actor, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ListUsers lists every account (platform admins).
func (a *App) ListUsers(ctx context.Context, actor Actor, p list.Params) ([]*domain.User, int, error) {
	if err := a.platformAct(actor, "user", "read"); err != nil {
		return nil, 0, err
	}
	return readPage(ctx, a.store, func(ctx context.Context, tx Tx) ([]*domain.User, int, error) {
		return tx.ListUsers(ctx, p)
	})
}

// dummyHash makes a failed lookup cost as much as a wrong password, so
// timing does not tell which emails have accounts.
var dummyHash, _ = authn.HashPassword("incuchain-timing-equalizer")

// VerifyCredentials checks an email and password for the gateway's login.
func (a *App) VerifyCredentials(ctx context.Context, email, password string) (*domain.User, error) {
	email, _ = domain.NormalizeEmail(email)
	u, err := bus.Fetch(ctx, a.store.Read, func(ctx context.Context, tx Tx) (*domain.User, error) {
		return tx.GetUserByEmail(ctx, email)
	})
	if apperr.Is(err, apperr.NotFound) {
		_, _ = authn.VerifyPassword(dummyHash, password)
		return nil, apperr.New(apperr.Unauthenticated, "invalid-credentials")
	}
	if err != nil {
		return nil, err
	}
	ok, err := authn.VerifyPassword(u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.New(apperr.Unauthenticated, "invalid-credentials")
	}
	return u, nil
}

// MeAssignment is one of the caller's roles with the names of its domain.
type MeAssignment struct {
	Role, Domain, DomainKind, DomainID, NameZH, NameEN, RegionID string
}

// Me returns the caller's account and roles, with domain names for menus
// and switchers.
func (a *App) Me(ctx context.Context, actor Actor) (*domain.User, []MeAssignment, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, nil, err
	}
	var u *domain.User
	var out []MeAssignment
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if u, err = tx.GetUser(ctx, actor.UserID); err != nil {
			return err
		}
		for _, as := range a.authz.Assignments(actor.UserID) {
			kind, id, _ := strings.Cut(as.Domain, ":")
			m := MeAssignment{Role: as.Role, Domain: as.Domain, DomainKind: kind, DomainID: id}
			switch kind {
			case "region":
				if r, err := tx.GetRegion(ctx, id); err == nil {
					m.NameZH, m.NameEN, m.RegionID = r.NameZH, r.NameEN, r.ID
				}
			case "carrier":
				if c, err := tx.GetCarrier(ctx, id); err == nil {
					m.NameZH, m.NameEN, m.RegionID = c.Fields().NameZH, c.Fields().NameEN, c.RegionID()
				}
			case "platform":
				m.NameZH, m.NameEN = "平台", "Platform"
			}
			out = append(out, m)
		}
		return nil
	})
	return u, out, err
}

// ListUsersUnchecked lists accounts without authorization, for seeding
// and tests inside this service.
func (a *App) ListUsersUnchecked(ctx context.Context) ([]*domain.User, int, error) {
	return readPage(ctx, a.store, func(ctx context.Context, tx Tx) ([]*domain.User, int, error) {
		return tx.ListUsers(ctx, list.First(10000))
	})
}
