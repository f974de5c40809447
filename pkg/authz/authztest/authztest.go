// Package authztest helps services write authorization matrix tests: one
// readable grammar for the status each caller expects on each target.
package authztest

import (
	"fmt"
	"strings"
	"testing"
)

// ParseSpec reads a matrix entry: space-separated tokens
// "role=own,foreign_carrier,foreign_region" giving the expected HTTP status
// per target, and "all=…" for every role of roles not named. It fails the
// test on a malformed token or a role left without a status.
func ParseSpec(t testing.TB, spec string, roles []string) map[string][3]int {
	t.Helper()
	out := map[string][3]int{}
	var all *[3]int
	for _, tok := range strings.Fields(spec) {
		role, codes, ok := strings.Cut(tok, "=")
		var v [3]int
		if n, err := fmt.Sscanf(codes, "%d,%d,%d", &v[0], &v[1], &v[2]); !ok || err != nil || n != 3 {
			t.Fatalf("bad matrix token %q", tok)
		}
		if role == "all" {
			all = &v
			continue
		}
		out[role] = v
	}
	for _, r := range roles {
		if _, ok := out[r]; !ok {
			if all == nil {
				t.Fatalf("matrix spec %q has no entry for %s and no all=", spec, r)
			}
			out[r] = *all
		}
	}
	return out
}
