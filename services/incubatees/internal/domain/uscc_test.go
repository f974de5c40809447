package domain

import "testing"

func TestParseUSCC(t *testing.T) {
	for _, c := range []struct {
		in        string
		code      string
		position  int
		want      string
		normalize string
	}{
		// Published codes of well-known companies.
		{in: "91110000802100433B", normalize: "91110000802100433B"},
		{in: "91440300708461136T", normalize: "91440300708461136T"},
		{in: " 91370100MA3C5T2R0X ", code: "uscc_check", position: 18},
		{in: "91370102MA3C5T2R03", normalize: "91370102MA3C5T2R03"}, // the demo startup
		{in: "91110000802100433b", normalize: "91110000802100433B"},
		{in: "91110000802100433C", code: "uscc_check", position: 18, want: "B"},
		{in: "9111000080210O433B", code: "uscc_char", position: 14},
		{in: "91110000I02100433B", code: "uscc_char", position: 9},
		{in: "9111000080210043", code: "uscc_length"},
		{in: "", code: "uscc_length"},
		{in: "91110000802100433BX", code: "uscc_length"},
	} {
		got, err := ParseUSCC(c.in)
		if c.code == "" {
			if err != nil || string(got) != c.normalize {
				t.Errorf("%q: got %q, %v; want %q", c.in, got, err, c.normalize)
			}
			continue
		}
		if err == nil || err.Code != c.code || (c.position != 0 && err.Position != c.position) || (c.want != "" && err.Want != c.want) {
			t.Errorf("%q: got %+v, want code %s at %d (want %q)", c.in, err, c.code, c.position, c.want)
		}
	}
}

func TestCheckCharacterAgreesWithParse(t *testing.T) {
	for _, first := range []string{"91370102MA3C5T2R0", "12100000400000624", "52110000500021676"} {
		ch, ok := CheckCharacter(first)
		if !ok {
			t.Fatalf("%s: no check character", first)
		}
		if _, err := ParseUSCC(first + string(ch)); err != nil {
			t.Errorf("%s%c: %v", first, ch, err)
		}
	}
}
