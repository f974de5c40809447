package linkseal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustKey(t *testing.T) *Key {
	t.Helper()
	text, err := NewKeyText()
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseKey(text)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k, foreign := mustKey(t), mustKey(t)
	const link, purpose = "https://console.example/invitations/secret-token", "parks.invitation.created:01J"
	sealed, err := k.Seal(link, purpose)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "secret-token") {
		t.Fatalf("sealed value shows the secret: %s", sealed)
	}
	if got, err := k.Open(sealed, purpose); err != nil || got != link {
		t.Fatalf("open = %q, %v", got, err)
	}
	again, _ := k.Seal(link, purpose)
	if again == sealed {
		t.Fatal("two seals of one value are equal: the nonce is not fresh")
	}
	flipped := []byte(sealed)
	flipped[len(flipped)-5] ^= 'A' ^ 'B'
	if flipped[len(flipped)-5] == sealed[len(sealed)-5] {
		flipped[len(flipped)-5] = 'C'
	}
	for name, c := range map[string]struct {
		key             *Key
		sealed, purpose string
	}{
		"tampered":      {k, string(flipped), purpose},
		"foreign key":   {foreign, sealed, purpose},
		"other purpose": {k, sealed, "parks.invitation.created:01K"},
		"no version":    {k, strings.TrimPrefix(sealed, "v1."), purpose},
		"truncated":     {k, sealed[:10], purpose},
		"empty":         {k, "", purpose},
	} {
		if got, err := c.key.Open(c.sealed, c.purpose); err != ErrRefused || got != "" {
			t.Errorf("%s: open = %q, %v; want refused", name, got, err)
		}
	}
}

func TestParseKeyRefusesShortKeys(t *testing.T) {
	for _, s := range []string{"", "abcd", strings.Repeat("zz", 32), strings.Repeat("ab", 31)} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
}

func TestLoadOrCreateKeepsTheKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "invitation-link.key")
	k1, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	k2, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := k1.Seal("link", "p")
	if got, err := k2.Open(sealed, "p"); err != nil || got != "link" {
		t.Fatalf("the reloaded key does not open the first one's seal: %q, %v", got, err)
	}
}
