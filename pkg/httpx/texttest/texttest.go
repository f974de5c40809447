// Package texttest holds a service's catalogue of user-visible texts to
// the rules the console relies on, in the service's own tests: every text
// in both languages, the same placeholders in each, and no shared key given
// another text.
package texttest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/httpx"
)

var placeholder = regexp.MustCompile(`\{[A-Za-z0-9_]+\}`)

// placeholders lists the params text fills, each once and sorted. A param
// that differs by language (name_zh in the Chinese text, name_en in the
// English) counts as name, so the two languages compare equal.
func placeholders(text, suffix string) []string {
	seen := map[string]bool{}
	for _, p := range placeholder.FindAllString(text, -1) {
		seen[strings.TrimSuffix(strings.Trim(p, "{}"), suffix)] = true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Problems lists what is wrong with the texts c resolves, one line each:
// a text missing in a language, placeholders that differ between the
// languages (a switch of language would lose a value), and a key of
// httpx.Shared that c gives another text.
func Problems(c *httpx.Catalog) []string {
	var out []string
	for _, k := range c.Keys() {
		m, _ := c.Lookup(k)
		if strings.TrimSpace(m.ZH) == "" || strings.TrimSpace(m.EN) == "" {
			out = append(out, fmt.Sprintf("%q: zh-CN %q, en %q: both must be non-empty", k, m.ZH, m.EN))
		}
		if zh, en := placeholders(m.ZH, "_zh"), placeholders(m.EN, "_en"); strings.Join(zh, ",") != strings.Join(en, ",") {
			out = append(out, fmt.Sprintf("%q: placeholders differ: zh-CN %v, en %v", k, zh, en))
		}
		if shared, ok := httpx.Shared.Lookup(k); ok && shared != m {
			out = append(out, fmt.Sprintf("%q: shared text %+v given another text %+v", k, shared, m))
		}
	}
	return out
}

// Check fails t with every problem of c (Problems).
func Check(t testing.TB, c *httpx.Catalog) {
	t.Helper()
	for _, p := range Problems(c) {
		t.Error(p)
	}
}
