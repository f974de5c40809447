package authztest

import (
	"testing"
)

func TestParseSpec(t *testing.T) {
	got := ParseSpec(t, "all=404,404,404 park_admin=200,404,404 anonymous=401,401,401", []string{"park_admin", "district_viewer", "anonymous"})
	want := map[string][3]int{"park_admin": {200, 404, 404}, "district_viewer": {404, 404, 404}, "anonymous": {401, 401, 401}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for role, w := range want {
		if got[role] != w {
			t.Errorf("%s: %v, want %v", role, got[role], w)
		}
	}
}

// fatalRecorder records Fatalf instead of stopping the test.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(string, ...any) {
	f.failed = true
	panic(f)
}

func TestParseSpecRefusesBadSpecs(t *testing.T) {
	for _, spec := range []string{"park_admin=200,404", "park_admin=ok,404,404", "park_admin 200,404,404", "park_admin=200,404,404"} {
		rec := &fatalRecorder{TB: t}
		func() {
			defer func() { _ = recover() }()
			ParseSpec(rec, spec, []string{"park_admin", "anonymous"})
		}()
		if !rec.failed {
			t.Errorf("spec %q accepted", spec)
		}
	}
}
