package authn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/authn"
)

func TestHashAndVerifyPassword(t *testing.T) {
	const pw = "correct horse battery staple"
	h1, err := authn.HashPassword(pw)
	if err != nil {
		t.Fatalf("hash: %v", err)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string with the expected parameters", h1)
	}
	if strings.Contains(h1, pw) {
		t.Fatal("hash contains the password")
	}
	h2, err := authn.HashPassword(pw)
	if err != nil {
		t.Fatalf("hash again: %v", err)
	}
	if h1 == h2 {
		t.Fatal("two hashes of the same password are equal; salt is not random")
	}

	tests := []struct {
		name     string
		encoded  string
		password string
		want     bool
	}{
		{"right password", h1, pw, true},
		{"right password, second hash", h2, pw, true},
		{"wrong password", h1, "correct horse battery stapler", false},
		{"empty password", h1, "", false},
		{"case differs", h1, strings.ToUpper(pw), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := authn.VerifyPassword(tt.encoded, tt.password)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if got != tt.want {
				t.Fatalf("verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVerifyPasswordKeepsStoredParameters(t *testing.T) {
	// A hash made with other (older, cheaper) parameters must still verify:
	// stored hashes carry their own cost. Known answer from the argon2
	// reference implementation (password "password", salt "somesalt").
	const ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	ok, err := authn.VerifyPassword(ref, "password")
	if err != nil || !ok {
		t.Fatalf("verify reference vector = %v, %v; want true, nil", ok, err)
	}
	ok, err = authn.VerifyPassword(ref, "passwore")
	if err != nil || ok {
		t.Fatalf("verify reference vector with wrong password = %v, %v; want false, nil", ok, err)
	}
}

func TestVerifyPasswordMalformedHash(t *testing.T) {
	good, err := authn.HashPassword("a fine password")
	if err != nil {
		t.Fatalf("hash: %v", err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, params, salt, hash
	join := func(p ...string) string { return strings.Join(p, "$") }
	tests := []struct {
		name    string
		encoded string
	}{
		{"empty", ""},
		{"plain text", "a fine password"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", join("", "argon2i", parts[2], parts[3], parts[4], parts[5])},
		{"version 16", join("", "argon2id", "v=16", parts[3], parts[4], parts[5])},
		{"missing field", join("", "argon2id", parts[2], parts[3], parts[4])},
		{"extra field", good + "$x"},
		{"no parameters", join("", "argon2id", parts[2], "", parts[4], parts[5])},
		{"missing p", join("", "argon2id", parts[2], "m=19456,t=2", parts[4], parts[5])},
		{"duplicate t", join("", "argon2id", parts[2], "m=19456,t=2,t=3,p=1", parts[4], parts[5])},
		{"unknown parameter", join("", "argon2id", parts[2], "m=19456,t=2,p=1,x=1", parts[4], parts[5])},
		{"non-numeric m", join("", "argon2id", parts[2], "m=lots,t=2,p=1", parts[4], parts[5])},
		{"zero t", join("", "argon2id", parts[2], "m=19456,t=0,p=1", parts[4], parts[5])},
		{"zero p", join("", "argon2id", parts[2], "m=19456,t=2,p=0", parts[4], parts[5])},
		{"huge m", join("", "argon2id", parts[2], "m=4294967295,t=2,p=1", parts[4], parts[5])},
		{"huge t", join("", "argon2id", parts[2], "m=19456,t=1000000,p=1", parts[4], parts[5])},
		{"salt not base64", join("", "argon2id", parts[2], parts[3], "!!!!", parts[5])},
		{"salt too short", join("", "argon2id", parts[2], parts[3], "c2FsdA", parts[5])},
		{"hash not base64", join("", "argon2id", parts[2], parts[3], parts[4], "***")},
		{"hash too short", join("", "argon2id", parts[2], parts[3], parts[4], "AAAA")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := authn.VerifyPassword(tt.encoded, "a fine password")
			if ok {
				t.Fatal("malformed hash verified")
			}
			if !errors.Is(err, authn.ErrMalformedHash) {
				t.Fatalf("error = %v, want ErrMalformedHash", err)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		wantCode string
		wantOK   bool
	}{
		{"empty", "", "password_required", false},
		{"9 chars", "123456789", "password_too_short", false},
		{"10 chars", "1234567890", "", true},
		{"128 chars", strings.Repeat("a", 128), "", true},
		{"129 chars", strings.Repeat("a", 129), "password_too_long", false},
		// Counted in characters, not bytes: 10 CJK characters are 30 bytes.
		{"10 CJK characters", "孵化链孵化链孵化链孵", "", true},
		{"9 CJK characters", "孵化链孵化链孵化链", "password_too_short", false},
		{"128 CJK characters", strings.Repeat("孵", 128), "", true},
		{"129 CJK characters", strings.Repeat("孵", 129), "password_too_long", false},
		{"invalid UTF-8", "abcdefghij\xff", "password_invalid", false},
		{"NUL byte", "abcde\x00fghij", "password_invalid", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, ok := authn.ValidatePassword(tt.password)
			if code != tt.wantCode || ok != tt.wantOK {
				t.Fatalf("ValidatePassword = (%q, %v), want (%q, %v)", code, ok, tt.wantCode, tt.wantOK)
			}
		})
	}
}
