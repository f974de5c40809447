package blob

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

const maxKeyLen = 1024 // S3's limit, in bytes

// validateKey keeps keys portable between MinIO and the file-backed
// in-process server: no empty, "." or ".." segments (they would resolve to
// other paths on disk), no control characters or backslashes, and nothing
// under the staging prefix Put uses for itself.
func validateKey(key string) error {
	if key == "" {
		return errors.New("empty key")
	}
	if strings.HasSuffix(key, "/") {
		return fmt.Errorf("key %q ends with /", key)
	}
	if err := validatePrefix(key); err != nil {
		return err
	}
	return nil
}

func validatePrefix(prefix string) error {
	if len(prefix) > maxKeyLen {
		return fmt.Errorf("key %.40q… longer than %d bytes", prefix, maxKeyLen)
	}
	if !utf8.ValidString(prefix) {
		return fmt.Errorf("key %q is not valid UTF-8", prefix)
	}
	if strings.HasPrefix(prefix, stagingPrefix) {
		return fmt.Errorf("key %q is under the reserved prefix %s", prefix, stagingPrefix)
	}
	for _, r := range prefix {
		if unicode.IsControl(r) || r == '\\' {
			return fmt.Errorf("key %q contains %U", prefix, r)
		}
	}
	if prefix == "" {
		return nil
	}
	segs := strings.Split(prefix, "/")
	for i, seg := range segs {
		last := i == len(segs)-1
		if (seg == "" && !last) || seg == "." || seg == ".." {
			return fmt.Errorf("key %q has an empty, . or .. segment", prefix)
		}
	}
	return nil
}

// AttachmentDisposition builds a Content-Disposition value that makes
// browsers save the response as name (RFC 6266): an ASCII fallback in
// filename and the exact UTF-8 name in filename* (RFC 8187). Path
// separators and control characters are replaced, so the name cannot point
// outside the download folder. An empty name yields plain "attachment".
func AttachmentDisposition(name string) string {
	name = strings.ToValidUTF8(name, "_")
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\':
			return '_'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "attachment"
	}
	var fallback, encoded strings.Builder
	for _, r := range name {
		// '%' is left out of the fallback: some browsers percent-decode it.
		if r < utf8.RuneSelf && r != '"' && r != '%' {
			fallback.WriteRune(r)
		} else {
			fallback.WriteByte('_')
		}
	}
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isAttrChar(c) {
			encoded.WriteByte(c)
			continue
		}
		encoded.WriteByte('%')
		encoded.WriteByte(hexDigits[c>>4])
		encoded.WriteByte(hexDigits[c&0x0f])
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + encoded.String()
}

// isAttrChar reports RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" /
// "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~".
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
