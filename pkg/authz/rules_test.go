package authz_test

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
)

// DecideInCarrier: allowed is nil; refused is 403 to who may read seeObj
// in the carrier, 404 carrier-not-found to everyone else.
func TestDecideInCarrier(t *testing.T) {
	e, err := authz.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Grant(authz.Assignment{UserID: "viewer", Role: authz.RoleDistrictViewer, Domain: authz.RegionDomain("R1")}); err != nil {
		t.Fatal(err)
	}
	if err := e.DecideInCarrier("viewer", "R1", "C1", "carrier", "read", "carrier"); err != nil {
		t.Fatalf("viewer reads own region's carrier: %v", err)
	}
	for _, tc := range []struct {
		name, user, region string
		want               apperr.Category
		slug               string
	}{
		{"anonymous", "", "R1", apperr.Unauthenticated, "not-authenticated"},
		{"seen but refused", "viewer", "R1", apperr.Forbidden, "not-allowed"},
		{"not seen", "viewer", "R2", apperr.NotFound, "carrier-not-found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ae, ok := apperr.As(e.DecideInCarrier(tc.user, tc.region, "C1", "carrier", "update", "carrier"))
			if !ok || ae.Category != tc.want || ae.Slug != tc.slug {
				t.Fatalf("got %+v, want %s %s", ae, tc.want, tc.slug)
			}
		})
	}
}

// DecideOnPlatform: a platform admin may; anyone else signed in is 403,
// nobody is 401.
func TestDecideOnPlatform(t *testing.T) {
	e, err := authz.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Grant(authz.Assignment{UserID: "root", Role: authz.RolePlatformAdmin, Domain: authz.PlatformDomain()}); err != nil {
		t.Fatal(err)
	}
	if err := e.DecideOnPlatform("root", "maintenance", "run"); err != nil {
		t.Fatalf("platform admin runs maintenance: %v", err)
	}
	for user, want := range map[string]apperr.Category{"someone": apperr.Forbidden, "": apperr.Unauthenticated} {
		if ae, ok := apperr.As(e.DecideOnPlatform(user, "maintenance", "run")); !ok || ae.Category != want {
			t.Errorf("DecideOnPlatform(%q) = %+v, want %s", user, ae, want)
		}
	}
}
