package httpx

import "unicode/utf8"

// Field error codes of text that a client sent and the edge refused.
const (
	// CodeControlChar: C0 or C1 control characters, DEL, bidi controls or
	// invalid UTF-8. Databases refuse some of these (PostgreSQL: NUL in
	// text and \u0000 in JSONB; SQLite's parser: NUL in a literal), and the
	// rest make stored text render differently from what people typed.
	CodeControlChar = "control_char"
	// CodeLineBreak: a line break in a single-line field.
	CodeLineBreak = "line_break"
)

// TextProblem returns the field error code of s ("" when s is acceptable
// text). Multi-line text may hold \n, \r, \t and the Unicode line and
// paragraph separators; single-line text holds none of them.
func TextProblem(s string, multiline bool) string {
	lineBreak := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			return CodeControlChar
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			lineBreak = lineBreak || !multiline
		case r == '\t':
			if !multiline {
				return CodeControlChar
			}
		case r < 0x20, r >= 0x7f && r <= 0x9f:
			return CodeControlChar
		case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			// Bidi embeddings, overrides and isolates reorder what follows
			// them, so a name can read differently from what it is.
			return CodeControlChar
		}
	}
	if lineBreak {
		return CodeLineBreak
	}
	return ""
}
