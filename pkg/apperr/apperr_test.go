package apperr_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/apperr"
)

func TestErrorMessage(t *testing.T) {
	cause := errors.New("disk full")
	tests := []struct {
		name string
		err  *apperr.Error
		want string
	}{
		{"plain", apperr.New(apperr.Conflict, "carrier-code-taken"), "conflict: carrier-code-taken"},
		{"wrapped", apperr.New(apperr.Unavailable, "store-down").Wrap(cause), "unavailable: store-down: disk full"},
		{"fields", mustErr(t, apperr.NewValidation("invalid-carrier").Add("name", "required").Add("code", "too_long").Err()),
			"incorrect-input: invalid-carrier (2 field errors)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func mustErr(t *testing.T, err error) *apperr.Error {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok {
		t.Fatalf("%v is not an *apperr.Error", err)
	}
	return ae
}

func TestWrapKeepsCauseInChain(t *testing.T) {
	cause := errors.New("connection reset")
	err := apperr.New(apperr.Unavailable, "bus-down").Wrap(cause)
	if !errors.Is(err, cause) {
		t.Fatal("errors.Is(err, cause) = false; the cause must stay in the chain for logs")
	}
	if errors.Unwrap(err) != cause {
		t.Fatalf("Unwrap = %v, want the cause", errors.Unwrap(err))
	}
	if apperr.New(apperr.NotFound, "x").Unwrap() != nil {
		t.Fatal("an error without cause unwraps to non-nil")
	}
}

func TestWithSetsParams(t *testing.T) {
	err := apperr.New(apperr.TooMany, "login-throttled").With("retry_after_seconds", 30).With("account", "a@b.c")
	want := map[string]any{"retry_after_seconds": 30, "account": "a@b.c"}
	if !reflect.DeepEqual(err.Params, want) {
		t.Fatalf("Params = %v, want %v", err.Params, want)
	}
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		err  *apperr.Error
		cat  apperr.Category
		slug string
	}{
		{apperr.NotFoundErr("carrier-not-found"), apperr.NotFound, "carrier-not-found"},
		{apperr.ConflictErr("email-taken"), apperr.Conflict, "email-taken"},
		{apperr.ForbiddenErr("not-your-carrier"), apperr.Forbidden, "not-your-carrier"},
		{apperr.New(apperr.Unauthenticated, "not-authenticated"), apperr.Unauthenticated, "not-authenticated"},
	}
	for _, tt := range tests {
		if tt.err.Category != tt.cat || tt.err.Slug != tt.slug {
			t.Errorf("got (%s, %s), want (%s, %s)", tt.err.Category, tt.err.Slug, tt.cat, tt.slug)
		}
	}
}

func TestAsAndIsThroughWrapping(t *testing.T) {
	inner := apperr.NotFoundErr("region-not-found")
	err := fmt.Errorf("load region 42: %w", fmt.Errorf("repo: %w", inner))
	got, ok := apperr.As(err)
	if !ok || got != inner {
		t.Fatalf("As = %v, %v; want the inner error", got, ok)
	}
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatal("Is(err, NotFound) = false")
	}
	if apperr.Is(err, apperr.Conflict) {
		t.Fatal("Is(err, Conflict) = true")
	}
	plain := errors.New("boom")
	if _, ok := apperr.As(plain); ok {
		t.Fatal("As found an *apperr.Error in a plain error")
	}
	if apperr.Is(plain, apperr.NotFound) || apperr.Is(nil, apperr.NotFound) {
		t.Fatal("Is reported a category for a plain or nil error")
	}
}

func TestValidationText(t *testing.T) {
	err := apperr.NewValidation("invalid-company").
		Text("a", "", 5, true).
		Text("b", "", 5, false).
		Text("c", "六个汉字六个", 5, false).
		Text("d", "五个汉字五", 5, true).
		Text("e", "x\ty", 5, false).
		Err()
	want := []apperr.FieldError{
		{Field: "a", Code: "required"},
		{Field: "c", Code: "too_long", Params: map[string]any{"max": 5}},
		{Field: "e", Code: "invalid"},
	}
	if got := mustErr(t, err).Fields; !reflect.DeepEqual(got, want) {
		t.Fatalf("Fields = %#v\nwant %#v", got, want)
	}
}

func TestValidation(t *testing.T) {
	if err := apperr.NewValidation("invalid-carrier").Err(); err != nil {
		t.Fatalf("empty validation Err() = %v, want nil", err)
	}
	if err := apperr.NewValidation("x").Check(false, "name", "required").Err(); err != nil {
		t.Fatalf("Check(false) recorded an error: %v", err)
	}
	err := apperr.NewValidation("invalid-carrier").
		Add("name", "required").
		Add("code", "too_long", "max", 20).
		Check(true, "area_m2", "out_of_range", "min", 0, "max", 1e6).
		Add("kind", "one_of", "allowed", "park", "dangling-key-without-value").
		Err()
	ae := mustErr(t, err)
	if ae.Category != apperr.IncorrectInput || ae.Slug != "invalid-carrier" {
		t.Fatalf("got (%s, %s), want (incorrect-input, invalid-carrier)", ae.Category, ae.Slug)
	}
	want := []apperr.FieldError{
		{Field: "name", Code: "required"},
		{Field: "code", Code: "too_long", Params: map[string]any{"max": 20}},
		{Field: "area_m2", Code: "out_of_range", Params: map[string]any{"min": 0, "max": 1e6}},
		{Field: "kind", Code: "one_of", Params: map[string]any{"allowed": "park"}},
	}
	if !reflect.DeepEqual(ae.Fields, want) {
		t.Fatalf("Fields = %#v\nwant %#v", ae.Fields, want)
	}
	if !strings.Contains(ae.Error(), "4 field errors") {
		t.Fatalf("Error() = %q, want the field count", ae.Error())
	}
}

func TestFieldCodes(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", apperr.NewValidation("invalid-x").Add("name", "required").Add("size", "too_long").Err())
	if got, want := apperr.FieldCodes(err), map[string]string{"name": "required", "size": "too_long"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FieldCodes = %v, want %v", got, want)
	}
	for _, err := range []error{nil, errors.New("plain"), apperr.ConflictErr("taken")} {
		if got := apperr.FieldCodes(err); len(got) != 0 {
			t.Errorf("FieldCodes(%v) = %v, want none", err, got)
		}
	}
}
