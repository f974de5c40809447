package db

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// LikePattern turns a search text into a case-insensitive LIKE pattern
// that matches it anywhere, with %, _ and \ matched literally. Use it with
// `LOWER(col) LIKE ? ESCAPE '\'`.
func LikePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(q)) + "%"
}

// ScanPage fetches one page of q (limit rows from offset) and the total.
func ScanPage(ctx context.Context, q *bun.SelectQuery, limit, offset int) (int, error) {
	n, err := q.Limit(int64(limit)).Offset(int64(offset)).ScanAndCount(ctx)
	return int(n), err
}
