// Package apperr is the one error type use cases return to say what went
// wrong in terms a caller can act on: a stable slug, a category that maps to
// an HTTP status in exactly one place (pkg/httpx), and per-field errors.
package apperr

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Category classifies an error for callers; httpx maps it to a status.
type Category string

const (
	IncorrectInput  Category = "incorrect-input" // 422 (400 for undecodable bodies)
	NotFound        Category = "not-found"       // 404
	Forbidden       Category = "forbidden"       // 403
	Unauthenticated Category = "unauthenticated" // 401
	Conflict        Category = "conflict"        // 409
	TooLarge        Category = "too-large"       // 413
	Unsupported     Category = "unsupported"     // 415: a body of a type not accepted
	Gone            Category = "gone"            // 410: it existed, and has expired
	TooMany         Category = "too-many"        // 429
	Unavailable     Category = "unavailable"     // 503
	Malformed       Category = "malformed"       // 400
	// MethodNotAllowed is for a route that exists under other methods;
	// only the router returns it.
	MethodNotAllowed Category = "method-not-allowed" // 405
)

// FieldError says what is wrong with one input field. Code selects the
// localized message (see httpx catalog); Params fill its placeholders.
type FieldError struct {
	Field  string         `json:"field"`
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
}

// Error is an application error with a slug and a category.
type Error struct {
	Slug     string
	Category Category
	Fields   []FieldError
	Params   map[string]any
	cause    error
}

func (e *Error) Error() string {
	msg := string(e.Category) + ": " + e.Slug
	if len(e.Fields) > 0 {
		msg += fmt.Sprintf(" (%d field errors)", len(e.Fields))
	}
	if e.cause != nil {
		msg += ": " + e.cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.cause }

// New returns an error of the given category and slug.
func New(c Category, slug string) *Error { return &Error{Slug: slug, Category: c} }

// Wrap attaches a cause (kept for logs, never shown to clients).
func (e *Error) Wrap(cause error) *Error { e.cause = cause; return e }

// With sets message parameters.
func (e *Error) With(k string, v any) *Error {
	if e.Params == nil {
		e.Params = map[string]any{}
	}
	e.Params[k] = v
	return e
}

// NotFoundErr is the error for a missing or foreign object; the slug names the
// kind of object ("carrier-not-found").
func NotFoundErr(slug string) *Error { return New(NotFound, slug) }

// ConflictErr reports a uniqueness or state conflict.
func ConflictErr(slug string) *Error { return New(Conflict, slug) }

// ForbiddenErr reports an action the caller may not take on an object it can see.
func ForbiddenErr(slug string) *Error { return New(Forbidden, slug) }

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// FieldCodes maps the field of each field error of err to its code; it is
// empty when err has none (or is no *Error).
func FieldCodes(err error) map[string]string {
	out := map[string]string{}
	if e, ok := As(err); ok {
		for _, f := range e.Fields {
			out[f.Field] = f.Code
		}
	}
	return out
}

// Is reports whether err is an *Error of category c.
func Is(err error, c Category) bool {
	e, ok := As(err)
	return ok && e.Category == c
}

// Validation collects field errors; Err returns nil when there are none.
type Validation struct {
	Slug   string
	fields []FieldError
}

// NewValidation starts collecting field errors for slug
// ("invalid-carrier").
func NewValidation(slug string) *Validation { return &Validation{Slug: slug} }

// Add records a field error.
func (v *Validation) Add(field, code string, params ...any) *Validation {
	fe := FieldError{Field: field, Code: code}
	for i := 0; i+1 < len(params); i += 2 {
		if fe.Params == nil {
			fe.Params = map[string]any{}
		}
		fe.Params[fmt.Sprint(params[i])] = params[i+1]
	}
	v.fields = append(v.fields, fe)
	return v
}

// Check adds the error when bad is true.
func (v *Validation) Check(bad bool, field, code string, params ...any) *Validation {
	if bad {
		v.Add(field, code, params...)
	}
	return v
}

// Text checks a one-line text field: "required" when required and empty,
// "too_long" (param max) beyond max characters, "invalid" with a NUL, a
// line break or a tab.
func (v *Validation) Text(field, s string, max int, required bool) *Validation {
	switch {
	case required && s == "":
		v.Add(field, "required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "too_long", "max", max)
	case strings.ContainsAny(s, "\x00\r\n\t"):
		v.Add(field, "invalid")
	}
	return v
}

// Err returns the collected errors as an incorrect-input *Error, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Slug: v.Slug, Category: IncorrectInput, Fields: v.fields}
}
