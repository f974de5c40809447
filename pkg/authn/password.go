package authn

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters for new hashes: OWASP's minimum recommendation
// (19 MiB, 2 passes, 1 lane) keeps a login under ~50 ms on one core of a
// small server while making offline guessing expensive. Stored hashes carry
// their own parameters, so these can be raised later without breaking
// existing passwords.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// Bounds on parameters read from a stored hash. A hash is data: a corrupt or
// planted row must not make verification allocate gigabytes or spin.
const (
	maxArgonMemoryKiB = 1024 * 1024 // 1 GiB
	maxArgonTime      = 16
	maxArgonThreads   = 16
	minArgonKeyLen    = 16
	maxArgonKeyLen    = 128
	minArgonSaltLen   = 8
	maxArgonSaltLen   = 64
)

// Password policy bounds, in characters (Unicode code points). NIST SP
// 800-63B: favour length over composition rules; the upper bound only caps
// the work an attacker can make us do.
const (
	PasswordMinLen = 10
	PasswordMaxLen = 128
)

// Field error codes returned by ValidatePassword.
const (
	CodePasswordRequired = "password_required"
	CodePasswordTooShort = "password_too_short"
	CodePasswordTooLong  = "password_too_long"
	CodePasswordInvalid  = "password_invalid" // not valid UTF-8 or contains NUL
)

// ErrMalformedHash reports a stored password hash that is not an argon2id
// PHC string this package can verify.
var ErrMalformedHash = errors.New("malformed password hash")

// phc is the base64 flavour of the PHC string format: standard alphabet,
// no padding.
var phc = base64.RawStdEncoding

// HashPassword returns the argon2id hash of password as a PHC string
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", with a fresh random salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, phc.EncodeToString(salt), phc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-encoded argon2id
// hash. The comparison is constant-time. The error is non-nil (wrapping
// ErrMalformedHash) only when encoded cannot be parsed; a wrong password is
// (false, nil).
func VerifyPassword(encoded, password string) (bool, error) {
	p, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

func parsePHC(encoded string) (argonParams, error) {
	var p argonParams
	bad := func(why string) (argonParams, error) {
		return argonParams{}, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("want $argon2id$v=19$m=..,t=..,p=..$salt$hash")
	}
	if parts[1] != "argon2id" {
		return bad("algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version")
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || seen[k] {
			return bad("bad parameter list")
		}
		seen[k] = true
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("bad parameter " + k)
		}
		switch k {
		case "m":
			p.memory = uint32(n)
		case "t":
			p.time = uint32(n)
		case "p":
			if n > maxArgonThreads {
				return bad("parameter p out of range")
			}
			p.threads = uint8(n)
		default:
			return bad("unknown parameter " + k)
		}
	}
	if !seen["m"] || !seen["t"] || !seen["p"] {
		return bad("missing parameter")
	}
	switch {
	case p.time < 1 || p.time > maxArgonTime:
		return bad("parameter t out of range")
	case p.threads < 1:
		return bad("parameter p out of range")
	case p.memory < 8*uint32(p.threads) || p.memory > maxArgonMemoryKiB:
		return bad("parameter m out of range")
	}
	var err error
	if p.salt, err = phc.DecodeString(parts[4]); err != nil || len(p.salt) < minArgonSaltLen || len(p.salt) > maxArgonSaltLen {
		return bad("bad salt")
	}
	if p.key, err = phc.DecodeString(parts[5]); err != nil || len(p.key) < minArgonKeyLen || len(p.key) > maxArgonKeyLen {
		return bad("bad hash")
	}
	return p, nil
}

// ValidatePassword checks a new password against the policy: 10 to 128
// characters of valid UTF-8 without NUL. On failure it returns a field
// error code (CodePassword…) for apperr.Validation.Add("password", code).
func ValidatePassword(password string) (code string, ok bool) {
	switch {
	case password == "":
		return CodePasswordRequired, false
	case !utf8.ValidString(password) || strings.IndexByte(password, 0) >= 0:
		return CodePasswordInvalid, false
	}
	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMinLen:
		return CodePasswordTooShort, false
	case n > PasswordMaxLen:
		return CodePasswordTooLong, false
	}
	return "", true
}
