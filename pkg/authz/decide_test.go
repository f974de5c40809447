package authz_test

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
)

// Decide: 401 without a user, nil when allowed, 403 to who can see the
// object, 404 to everyone else — by the default rule and by a service's own.
func TestDecide(t *testing.T) {
	e, err := authz.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []authz.Assignment{
		{UserID: "viewer", Role: authz.RoleDistrictViewer, Domain: authz.RegionDomain("R1")},
		{UserID: "admin", Role: authz.RoleParkAdmin, Domain: authz.CarrierDomain("C1")},
	} {
		if err := e.Grant(a); err != nil {
			t.Fatal(err)
		}
	}
	own := []authz.Scope{{RegionID: "R1", CarrierID: "C1"}}
	foreign := []authz.Scope{{RegionID: "R2", CarrierID: "C9"}}
	status := func(err error) apperr.Category {
		if err == nil {
			return "allow"
		}
		ae, ok := apperr.As(err)
		if !ok {
			t.Fatalf("not an apperr: %v", err)
		}
		return ae.Category
	}
	for _, tc := range []struct {
		name string
		r    authz.Request
		want apperr.Category
		slug string
	}{
		{"anonymous", authz.Request{Scopes: own, Object: "carrier", Action: "read"}, apperr.Unauthenticated, "not-authenticated"},
		{"admin updates own carrier", authz.Request{UserID: "admin", Scopes: own, Object: "carrier", Action: "update"}, "allow", ""},
		{"viewer reads own region's carrier", authz.Request{UserID: "viewer", Scopes: own, Object: "carrier", Action: "read"}, "allow", ""},
		{"viewer may not update what it sees", authz.Request{UserID: "viewer", Scopes: own, Object: "carrier", Action: "update", NotFound: "carrier-not-found"}, apperr.Forbidden, "not-allowed"},
		{"foreign region is not found", authz.Request{UserID: "viewer", Scopes: foreign, Object: "carrier", Action: "update", NotFound: "carrier-not-found"}, apperr.NotFound, "carrier-not-found"},
		{"refused read is not found", authz.Request{UserID: "admin", Scopes: foreign, Object: "carrier", Action: "read", NotFound: "carrier-not-found"}, apperr.NotFound, "carrier-not-found"},
		{"any scope may allow", authz.Request{UserID: "admin", Scopes: append(append([]authz.Scope{}, foreign...), own...), Object: "carrier", Action: "update"}, "allow", ""},
		{"the service's own visibility rule", authz.Request{UserID: "viewer", Scopes: foreign, Object: "carrier", Action: "update", CanSee: authz.Always}, apperr.Forbidden, "not-allowed"},
		{"a rule that hides", authz.Request{UserID: "viewer", Scopes: own, Object: "carrier", Action: "update", CanSee: func() (bool, error) { return false, nil }, NotFound: "x-not-found"}, apperr.NotFound, "x-not-found"},
		{"the rule is not asked when allowed", authz.Request{UserID: "admin", Scopes: own, Object: "carrier", Action: "update", CanSee: func() (bool, error) { panic("asked") }}, "allow", ""},
		{"a rule that cannot tell is the answer", authz.Request{UserID: "viewer", Scopes: own, Object: "carrier", Action: "update", CanSee: func() (bool, error) { return false, apperr.New(apperr.Unavailable, "db-down") }}, apperr.Unavailable, "db-down"},
		{"seen through another object", authz.Request{UserID: "admin", Scopes: own, Object: "report", Action: "create", CanSee: e.MayRead("admin", "carrier", own...), NotFound: "carrier-not-found"}, apperr.Forbidden, "not-allowed"},
		{"not seen through another object", authz.Request{UserID: "admin", Scopes: foreign, Object: "report", Action: "create", CanSee: e.MayRead("admin", "carrier", foreign...), NotFound: "carrier-not-found"}, apperr.NotFound, "carrier-not-found"},
		{"no scope allows nothing", authz.Request{UserID: "admin", Object: "carrier", Action: "update", NotFound: "carrier-not-found"}, apperr.NotFound, "carrier-not-found"},
		{"a company's carrier scope lets its staff in", authz.Request{UserID: "admin", Scopes: authz.CompanyScopes("R1", "X1", []string{"C9", "C1"}), Object: "carrier", Action: "update"}, "allow", ""},
		{"without the carrier link they are not", authz.Request{UserID: "admin", Scopes: authz.CompanyScopes("R1", "X1", []string{"C9"}), Object: "carrier", Action: "update", NotFound: "company-not-found"}, apperr.NotFound, "company-not-found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Decide(tc.r)
			if got := status(err); got != tc.want {
				t.Fatalf("Decide = %v (%v), want %s", got, err, tc.want)
			}
			if err != nil {
				if ae, _ := apperr.As(err); ae.Slug != tc.slug {
					t.Errorf("slug %q, want %q", ae.Slug, tc.slug)
				}
			}
		})
	}
}

// Authenticated is Decide's 401 clause on its own, for use cases that must
// answer it before loading anything.
func TestAuthenticated(t *testing.T) {
	if err := authz.Authenticated("u1"); err != nil {
		t.Fatalf("signed-in user: %v", err)
	}
	ae, ok := apperr.As(authz.Authenticated(""))
	if !ok || ae.Category != apperr.Unauthenticated || ae.Slug != "not-authenticated" {
		t.Fatalf("anonymous: %v", ae)
	}
}
