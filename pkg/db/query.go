package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/list"
)

// NotFound turns "no rows" into the not-found error slug names (e.g.
// "carrier-not-found"); any other error passes through.
func NotFound(err error, slug string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundErr(slug)
	}
	return err
}

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

// ScanList fetches the page of q that p asks for and the total.
func ScanList(ctx context.Context, q *bun.SelectQuery, p list.Params) (int, error) {
	return ScanPage(ctx, q, p.PageSize, p.Offset())
}

// OrderBy orders q by the column that sorts maps field to (fallback when
// field is empty or unknown), descending when desc, then by tiebreak so
// that pages never shuffle rows of equal sort keys.
func OrderBy(q *bun.SelectQuery, sorts map[string]string, field string, desc bool, fallback, tiebreak string) *bun.SelectQuery {
	col := sorts[field]
	if col == "" {
		col = fallback
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	return q.Order(col+dir, tiebreak)
}

// IsUniqueViolation recognizes a unique-key violation on either database,
// so that a lost race can answer 409 rather than 500.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "constraint failed: UNIQUE")
}
