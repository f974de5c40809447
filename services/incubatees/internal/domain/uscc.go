package domain

import (
	"fmt"
	"strings"
)

// USCC is a 统一社会信用代码 (unified social credit code, GB 32100-2015):
// 18 characters from a 31-character alphabet, the last a check character.
type USCC string

// usccAlphabet is the code's character set (no I, O, Z, S, V), in value
// order: a character's value is its index.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of positions 1–17 (3^(i-1) mod 31).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCError says exactly what is wrong with a code, for a field error that
// names the character.
type USCCError struct {
	Code     string // field error code: uscc_length, uscc_char, uscc_check
	Position int    // 1-based position of the bad character (0 for length)
	Char     string // the character found
	Want     string // the check character expected (uscc_check)
}

func (e *USCCError) Error() string {
	switch e.Code {
	case "uscc_length":
		return "a USCC has 18 characters"
	case "uscc_char":
		return fmt.Sprintf("character %d (%q) is not allowed in a USCC", e.Position, e.Char)
	default:
		return fmt.Sprintf("check character is %q, want %q", e.Char, e.Want)
	}
}

// Params are the field error's message parameters.
func (e *USCCError) Params() []any {
	return []any{"position", e.Position, "char", e.Char, "want", e.Want}
}

// ParseUSCC normalizes (trims, upper-cases) and validates s.
func ParseUSCC(s string) (USCC, *USCCError) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if n := len([]rune(s)); n != 18 {
		return "", &USCCError{Code: "uscc_length", Char: fmt.Sprint(n)}
	}
	sum := 0
	for i, r := range s {
		v := strings.IndexRune(usccAlphabet, r)
		if v < 0 {
			return "", &USCCError{Code: "uscc_char", Position: i + 1, Char: string(r)}
		}
		if i < 17 {
			sum += v * usccWeights[i]
		}
	}
	want := usccAlphabet[(31-sum%31)%31]
	if s[17] != want {
		return "", &USCCError{Code: "uscc_check", Position: 18, Char: string(s[17]), Want: string(want)}
	}
	return USCC(s), nil
}

// CheckCharacter returns the check character for the first 17 characters
// of a code (for tests and fixtures).
func CheckCharacter(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i, r := range first17 {
		v := strings.IndexRune(usccAlphabet, r)
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], true
}
