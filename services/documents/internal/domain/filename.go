package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// MaxNameRunes bounds an original file name.
const MaxNameRunes = 200

// CheckFilename refuses names that could mislead a person or a program:
// path separators and dot segments, NUL and other control characters,
// bidirectional overrides (which make "exe.pdf" read as "fdp.exe"), and
// invalid UTF-8. The name is only ever metadata; storage keys never use it.
func CheckFilename(field, name string) error {
	v := apperr.NewValidation("invalid-upload")
	if reason := filenameProblem(name); reason != "" {
		v.Add(field, reason)
	}
	return v.Err()
}

func filenameProblem(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "required"
	case !utf8.ValidString(name):
		return "name_encoding"
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return "name_too_long"
	case strings.ContainsAny(name, "/\\") || name == "." || name == ".." || strings.HasPrefix(name, "..") || strings.Contains(name, "/..") || strings.Contains(name, "../"):
		return "name_path"
	}
	for _, r := range name {
		switch {
		case r == 0:
			return "name_control"
		case isBidiControl(r):
			return "name_bidi"
		case unicode.IsControl(r) || r == utf8.RuneError:
			return "name_control"
		}
	}
	return ""
}

// isBidiControl reports the Unicode bidirectional formatting characters:
// embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and
// the marks (U+200E, U+200F, U+061C).
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}
