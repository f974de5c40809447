package launcher

import (
	"os"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/config"
)

// The README's configuration table is the generated one, so the two never
// drift apart.
func TestReadmeConfigTable(t *testing.T) {
	raw, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var s Settings
	want := config.Markdown(config.Describe(&s))
	if !strings.Contains(string(raw), want) {
		t.Fatalf("README.md's configuration table is stale; regenerate it with `make config-table`:\n%s", want)
	}
}
