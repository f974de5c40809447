package domain

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// User is a person who signs in. Passwords are kept only as argon2id hashes.
type User struct {
	ID           string
	Email        string
	DisplayName  string
	PasswordHash string
	CreatedAt    time.Time
}

// NormalizeEmail lower-cases and trims an address; ok is false when it is
// not a plain address.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 254 {
		return s, false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return s, false
	}
	return s, true
}

// CheckEmail adds a field error for a missing or malformed address.
func CheckEmail(v *apperr.Validation, field, raw string) string {
	email, ok := NormalizeEmail(raw)
	switch {
	case email == "":
		v.Add(field, "required")
	case !ok:
		v.Add(field, "invalid_email")
	}
	return email
}

// NewUser validates a new user; hash is the already-hashed password.
func NewUser(id, email, displayName, hash string, now time.Time) (*User, error) {
	v := apperr.NewValidation("invalid-user")
	u := &User{ID: id, DisplayName: strings.TrimSpace(displayName), PasswordHash: hash, CreatedAt: now}
	u.Email = CheckEmail(v, "email", email)
	if u.DisplayName == "" {
		v.Add("display_name", "required")
	} else {
		v.Check(utf8.RuneCountInString(u.DisplayName) > 60, "display_name", "too_long", "max", 60)
	}
	return u, v.Err()
}
