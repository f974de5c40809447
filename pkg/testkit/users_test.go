package testkit_test

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/testkit"
)

func TestFixtureDomain(t *testing.T) {
	ids := map[string]string{"lixia": "r1", "X": "c1", "coA": "co1", "co": "c2"}
	for key, want := range map[string]string{
		"platform": authz.PlatformDomain(), "lixia": authz.RegionDomain("r1"), "X": authz.CarrierDomain("c1"),
		"coA": authz.CompanyDomain("co1"), "co": authz.CarrierDomain("c2"),
	} {
		if got := testkit.FixtureDomain(key, ids, "lixia", "huaiyin"); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
}
