package adapters

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun/dialect"
)

// eachRow runs the raw query q in the transaction and hands fn its rows
// one at a time, each scanned into a fresh T: a reader that streams (an
// export) holds one row, whatever the size of the table.
func eachRow[T any](ctx context.Context, t *txStore, what, q string, args []any, fn func(T) error) error {
	rows, err := t.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	scanner := t.NewRaw("").DB()
	for rows.Next() {
		var v T
		if err := scanner.ScanRow(ctx, rows, &v); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// idList is the SQL aggregate of the distinct values of expr as one
// comma-separated text, in the store's dialect.
func (t *txStore) idList(expr string) string {
	if t.Dialect().Name() == dialect.PG {
		return "string_agg(DISTINCT " + expr + ", ',' ORDER BY " + expr + ")"
	}
	return "group_concat(DISTINCT " + expr + ")"
}

// splitIDs reads an idList back, sorted; never nil.
func splitIDs(s string) []string {
	if s == "" {
		return []string{}
	}
	ids := strings.Split(s, ",")
	slices.Sort(ids)
	return ids
}
