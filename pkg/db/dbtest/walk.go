package dbtest

import "testing"

// CheckWalkUnderInserts fails t unless a list walk that ran while rows
// were inserted (during) read every row of the walk before it (before)
// exactly once, read no row twice, and read exactly ahead of the inserted
// rows: those inserted ahead of its position.
func CheckWalkUnderInserts(t *testing.T, before, during []string, ahead int) {
	t.Helper()
	seen := map[string]int{}
	for _, id := range during {
		seen[id]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s read %d times", id, n)
		}
	}
	for _, id := range before {
		if seen[id] != 1 {
			t.Errorf("%s, there before the walk, was skipped", id)
		}
	}
	if extra := len(during) - len(before); extra != ahead {
		t.Errorf("the walk read %d of the rows inserted during it, want the %d inserted ahead of its position", extra, ahead)
	}
}
