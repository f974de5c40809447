package authz

import "github.com/incuchain/incuchain/pkg/apperr"

// Request is one authorization question: may UserID do Action on Object in
// any of Scopes? An object with several tenancies (a company listed by two
// carriers, see CompanyScopes) passes one Scope per tenancy; any of them
// may allow.
type Request struct {
	UserID string
	Scopes []Scope
	Object string
	Action string
	// CanSee says whether the caller may know that the object exists; it
	// decides between 403 and 404 once Action is refused, and is asked
	// only then. Each service passes its own visibility rule (Always for
	// what every signed-in user knows of); nil means "may read Object in
	// one of Scopes". An error (the rule could not load what it needs)
	// is Decide's answer.
	CanSee func() (bool, error)
	// NotFound is the slug of the 404 answer (e.g. "carrier-not-found").
	NotFound string
}

// Decide answers a Request with the one rule every service follows: no
// user is 401 (not-authenticated); an allowed action is nil; a refused
// action is 403 (not-allowed) to a caller who can see the object and 404
// (NotFound) to everyone else, so ids of other tenants leak nothing.
// Deny by default: no scope, no object or no action allows nothing.
func (e *Enforcer) Decide(r Request) error {
	if err := Authenticated(r.UserID); err != nil {
		return err
	}
	for _, s := range r.Scopes {
		if e.Can(r.UserID, s, r.Object, r.Action) {
			return nil
		}
	}
	see := r.CanSee
	if see == nil {
		see = e.MayRead(r.UserID, r.Object, r.Scopes...)
		if r.Action == "read" {
			see = never // refused reading: nothing to see
		}
	}
	ok, err := see()
	if err != nil {
		return err
	}
	if ok {
		return apperr.ForbiddenErr("not-allowed")
	}
	slug := r.NotFound
	if slug == "" {
		slug = "not-found"
	}
	return apperr.NotFoundErr(slug)
}

// Authenticated is the first clause of Decide's rule on its own: 401
// (not-authenticated) without a user, else nil. A use case calls it before
// it loads the object it will Decide on, so an anonymous caller gets 401
// for a missing id too, and the load never runs for nobody.
func Authenticated(userID string) error {
	if userID == "" {
		return apperr.New(apperr.Unauthenticated, "not-authenticated")
	}
	return nil
}

// MayRead is the visibility rule "may read obj in one of scopes" (the
// carrier of a carrier's objects, the company seen from its carriers).
func (e *Enforcer) MayRead(userID, obj string, scopes ...Scope) func() (bool, error) {
	return func() (bool, error) {
		for _, s := range scopes {
			if e.Can(userID, s, obj, "read") {
				return true, nil
			}
		}
		return false, nil
	}
}

func never() (bool, error) { return false, nil }

// Always is the visibility rule of what every signed-in user knows of
// (the platform, a published call): a refused action is 403, never 404.
func Always() (bool, error) { return true, nil }

// CompanyScopes are the tenancies of a company's object: the company in
// its region, and the company in each of the carriers it is linked to
// (applied to, resides in), through which those carriers' staff reach it.
func CompanyScopes(regionID, companyID string, carrierIDs []string) []Scope {
	scopes := make([]Scope, 0, 1+len(carrierIDs))
	scopes = append(scopes, Scope{RegionID: regionID, CompanyID: companyID})
	for _, c := range carrierIDs {
		scopes = append(scopes, Scope{RegionID: regionID, CarrierID: c, CompanyID: companyID})
	}
	return scopes
}
