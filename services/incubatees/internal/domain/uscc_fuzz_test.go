package domain

import (
	"strings"
	"testing"
)

// FuzzParseUSCC checks the GB 32100-2015 parser's properties on any input:
// it never panics; what it accepts is the trimmed, upper-cased input, 18
// characters of the code's alphabet whose last is the check character of
// the first 17, and parses again to itself; every single-character
// substitution of an accepted code is refused (the check character's
// purpose); what it refuses it explains: a bad character is the one at the
// position it names, and a bad check character replaced by the one it
// wants makes the code valid.
//
// Seeds: testdata/fuzz/FuzzParseUSCC and the f.Add calls. Run bounded:
//
//	go test -run '^$' -fuzz FuzzParseUSCC -fuzztime 30s ./services/incubatees/internal/domain
func FuzzParseUSCC(f *testing.F) {
	for _, s := range []string{"91110000802100433B", "91440300708461136T", "91370102MA3C5T2R03", " 91110000802100433b ",
		"91110000802100433C", "9111000080210O433B", "", "91110000802100433BX", "９１110000802100433B", "ı1110000802100433B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		code, err := ParseUSCC(in)
		norm := strings.ToUpper(strings.TrimSpace(in))
		if err == nil {
			s := string(code)
			if s != norm || len(s) != 18 {
				t.Fatalf("ParseUSCC(%q) = %q, want the 18-character %q", in, s, norm)
			}
			for i, r := range s {
				if !strings.ContainsRune(usccAlphabet, r) {
					t.Fatalf("accepted %q with %q at %d", s, r, i+1)
				}
			}
			if ch, ok := CheckCharacter(s[:17]); !ok || ch != s[17] {
				t.Fatalf("accepted %q, check character computes to %q", s, ch)
			}
			if again, err := ParseUSCC(s); err != nil || again != code {
				t.Fatalf("round trip of %q: %q, %v", s, again, err)
			}
			for i := range 18 {
				for _, r := range usccAlphabet {
					if byte(r) == s[i] {
						continue
					}
					mutated := s[:i] + string(r) + s[i+1:]
					if _, err := ParseUSCC(mutated); err == nil {
						t.Fatalf("%q accepted, and so is %q (one character changed at %d)", s, mutated, i+1)
					}
				}
			}
			return
		}
		if code != "" {
			t.Fatalf("ParseUSCC(%q) refused with %v but returned %q", in, err, code)
		}
		runes := []rune(norm)
		switch err.Code {
		case "uscc_length":
			if len(runes) == 18 {
				t.Fatalf("%q (18 runes) refused for its length", in)
			}
		case "uscc_char":
			if len(runes) != 18 || err.Position < 1 || err.Position > 18 || string(runes[err.Position-1]) != err.Char ||
				strings.ContainsRune(usccAlphabet, runes[err.Position-1]) {
				t.Fatalf("%q: bad character %q at %d does not match the input", in, err.Char, err.Position)
			}
		case "uscc_check":
			fixed := norm[:17] + err.Want
			if err.Position != 18 || err.Char != norm[17:] {
				t.Fatalf("%q: check error %+v does not match the input", in, err)
			}
			if _, ferr := ParseUSCC(fixed); ferr != nil {
				t.Fatalf("%q: the wanted check character %q does not make it valid: %v", in, err.Want, ferr)
			}
		default:
			t.Fatalf("%q: unknown error code %q", in, err.Code)
		}
		if err.Error() == "" || len(err.Params()) == 0 {
			t.Fatalf("%q: error without text or parameters", in)
		}
	})
}
