package httpx

import (
	"reflect"
	"testing"
)

func TestComponentNameIsNamespacedByService(t *testing.T) {
	for _, c := range []struct{ pkg, name, want string }{
		{"github.com/incuchain/incuchain/services/parks/internal/ports", "MemberDTO", "parks_MemberDTO"},
		{"github.com/incuchain/incuchain/services/incubatees/internal/ports", "MemberDTO", "incubatees_MemberDTO"},
		{"github.com/incuchain/incuchain/services/documents/internal/app", "PurgeReport", "documents_PurgeReport"},
		{"github.com/incuchain/incuchain/services/gateway/internal/app", "User", "gateway_User"},
		{"github.com/incuchain/incuchain/pkg/httpx", "Problem", "Problem"},
		{"github.com/incuchain/incuchain/services/parks", "Page[github.com/incuchain/incuchain/services/parks.X]", "parks_Page_github.com_incuchain_incuchain_services_parks.X_"},
	} {
		if got := componentNameOf(c.pkg, c.name); got != c.want {
			t.Errorf("componentNameOf(%s, %s) = %s, want %s", c.pkg, c.name, got, c.want)
		}
	}
	type local struct{}
	if got := componentName(reflect.TypeOf(local{})); got != "local" {
		t.Errorf("a shared-module type = %s", got)
	}
}
