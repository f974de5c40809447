package domain

import (
	"slices"
	"strings"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// CheckOneOf adds to v that field must be one of allowed, listed as the
// error shows them ("a, b, c"), unless s is one of them.
func CheckOneOf[S ~string](v *apperr.Validation, field string, s S, allowed []S) {
	if slices.Contains(allowed, s) {
		return
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	v.Add(field, "one_of", "allowed", strings.Join(names, ", "))
}
