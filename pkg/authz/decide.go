package authz

import "github.com/incuchain/incuchain/pkg/apperr"

// Request is one authorization question: may UserID do Action on Object in
// any of Scopes? An object with several tenancies (a company listed by two
// carriers) passes one Scope per tenancy; any of them may allow.
type Request struct {
	UserID string
	Scopes []Scope
	Object string
	Action string
	// CanSee says whether the caller may know that the object exists; it
	// decides between 403 and 404 once Action is refused. Each service
	// passes its own visibility rule; nil means "may read Object in one of
	// Scopes".
	CanSee func() bool
	// NotFound is the slug of the 404 answer (e.g. "carrier-not-found").
	NotFound string
}

// Decide answers a Request with the one rule every service follows: no
// user is 401 (not-authenticated); an allowed action is nil; a refused
// action is 403 (not-allowed) to a caller who can see the object and 404
// (NotFound) to everyone else, so ids of other tenants leak nothing.
func (e *Enforcer) Decide(r Request) error {
	if r.UserID == "" {
		return apperr.New(apperr.Unauthenticated, "not-authenticated")
	}
	for _, s := range r.Scopes {
		if e.Can(r.UserID, s, r.Object, r.Action) {
			return nil
		}
	}
	see := r.CanSee
	if see == nil {
		see = func() bool {
			if r.Action == "read" {
				return false // refused reading: nothing to see
			}
			for _, s := range r.Scopes {
				if e.Can(r.UserID, s, r.Object, "read") {
					return true
				}
			}
			return false
		}
	}
	if see() {
		return apperr.ForbiddenErr("not-allowed")
	}
	slug := r.NotFound
	if slug == "" {
		slug = "not-found"
	}
	return apperr.NotFoundErr(slug)
}
