package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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

// Filter keeps the rows of q for which cond (with one placeholder) holds
// for v; a zero v (a filter the caller left out) keeps them all.
func Filter[V comparable](q *bun.SelectQuery, cond string, v V) *bun.SelectQuery {
	var zero V
	if v == zero {
		return q
	}
	return q.Where(cond, v)
}

// Search keeps the rows of q in which any of cols contains text,
// case-insensitively (see LikePattern); an empty text keeps them all.
func Search(q *bun.SelectQuery, text string, cols ...string) *bun.SelectQuery {
	if text == "" {
		return q
	}
	pat := LikePattern(text)
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, col := range cols {
			q = q.WhereOr("LOWER("+col+`) LIKE ? ESCAPE '\'`, pat)
		}
		return q
	})
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

// DecodePage fetches the page of q that p asks for into rows (q's model)
// and decodes them with from, with the total; what names the list in
// errors ("list carriers").
func DecodePage[R, T any](ctx context.Context, q *bun.SelectQuery, p list.Params, rows *[]R, what string, from func(R) (T, error)) ([]T, int, error) {
	total, err := ScanList(ctx, q, p)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	out, err := DecodeRows(*rows, from)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// MapPage is DecodePage for a conversion that cannot fail.
func MapPage[R, T any](ctx context.Context, q *bun.SelectQuery, p list.Params, rows *[]R, what string, from func(R) T) ([]T, int, error) {
	return DecodePage(ctx, q, p, rows, what, func(r R) (T, error) { return from(r), nil })
}

// DecodeAll fetches every row of q into rows (q's model) and decodes
// them with from; what names the query in errors ("list regions").
func DecodeAll[R, T any](ctx context.Context, q *bun.SelectQuery, rows *[]R, what string, from func(R) (T, error)) ([]T, error) {
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return DecodeRows(*rows, from)
}

// MapAll is DecodeAll for a conversion that cannot fail.
func MapAll[R, T any](ctx context.Context, q *bun.SelectQuery, rows *[]R, what string, from func(R) T) ([]T, error) {
	return DecodeAll(ctx, q, rows, what, func(r R) (T, error) { return from(r), nil })
}

// OrderBy orders q by the column that sorts maps field to (fallback when
// field is empty or unknown), descending when desc, then by the tiebreak
// column so that pages never shuffle rows of equal sort keys. The
// tiebreak runs in the same direction as the sort (any ASC or DESC given
// with it is replaced): one index on (…, sort column, tiebreak) then
// serves both directions, read forwards or backwards, without a sort.
func OrderBy(q *bun.SelectQuery, sorts map[string]string, field string, desc bool, fallback, tiebreak string) *bun.SelectQuery {
	col := sorts[field]
	if col == "" {
		col = fallback
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	tiebreak = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(tiebreak), " ASC"), " DESC")
	return q.Order(col+dir, tiebreak+dir)
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

// Upsert is the insert of model that, where a row with the same key (its
// conflict columns, e.g. "id") is there already, sets cols of that row to
// the new values instead.
func Upsert(idb bun.IDB, model any, key string, cols ...string) *bun.InsertQuery {
	q := idb.NewInsert().Model(model).On("CONFLICT (" + key + ") DO UPDATE")
	for _, col := range cols {
		q = q.Set(col + " = EXCLUDED." + col)
	}
	return q
}

// Execer is a bun query that changes rows (insert, update, delete).
type Execer interface {
	Exec(ctx context.Context, dest ...any) (sql.Result, error)
}

// Exec runs q; an error says what the query was doing ("insert region").
func Exec(ctx context.Context, q Execer, what string) error {
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// MapRows converts the rows a query read, in order, with from.
func MapRows[R, T any](rows []R, from func(R) T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = from(r)
	}
	return out
}

// DecodeRows is MapRows for a conversion that can fail (a column to
// decode); the first failure is the error.
func DecodeRows[R, T any](rows []R, from func(R) (T, error)) ([]T, error) {
	out := make([]T, len(rows))
	for i, r := range rows {
		v, err := from(r)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// DecodeOne reads the one row of q into row (q's model) and decodes it
// with from; no row is the not-found error slug names
// ("carrier-not-found"), any other error passes through.
func DecodeOne[R, T any](ctx context.Context, q *bun.SelectQuery, row *R, slug string, from func(R) (T, error)) (T, error) {
	if err := q.Scan(ctx); err != nil {
		var zero T
		return zero, NotFound(err, slug)
	}
	return from(*row)
}

// MapOne is DecodeOne for a conversion that cannot fail.
func MapOne[R, T any](ctx context.Context, q *bun.SelectQuery, row *R, slug string, from func(R) T) (T, error) {
	return DecodeOne(ctx, q, row, slug, func(r R) (T, error) { return from(r), nil })
}

// MapKeyed fetches every row of q into rows (q's model) and indexes them:
// entry gives each row's key and value; a later row of the same key
// wins. what names the query in errors ("user names").
func MapKeyed[R any, K comparable, V any](ctx context.Context, q *bun.SelectQuery, rows *[]R, what string, entry func(R) (K, V)) (map[K]V, error) {
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out := make(map[K]V, len(*rows))
	for _, r := range *rows {
		k, v := entry(r)
		out[k] = v
	}
	return out, nil
}

// Affected runs q and answers how many rows it changed; an error says
// what q was doing ("mark all read").
func Affected(ctx context.Context, q Execer, what string) (int64, error) {
	res, err := q.Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// ExecUnique runs q; a unique-key violation is conflict, with the
// violation as its cause (a lost race answers 409 rather than 500), and
// any other error says what q was doing ("insert document").
func ExecUnique(ctx context.Context, q Execer, what string, conflict *apperr.Error) error {
	if _, err := q.Exec(ctx); err != nil {
		if IsUniqueViolation(err) {
			return conflict.Wrap(err)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Values scans the columns q selects into a new T (a company's carrier
// ids, a sum); what names the query in errors ("company carriers").
func Values[T any](ctx context.Context, q *bun.SelectQuery, what string) (T, error) {
	var v T
	if err := q.Scan(ctx, &v); err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// Count counts the rows of q; what names the query in errors.
func Count(ctx context.Context, q *bun.SelectQuery, what string) (int, error) {
	n, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return int(n), nil
}

// JSONText encodes v for a TEXT column. Only plain data is stored so; a
// value that does not encode (a programming error the round-trip tests
// catch) is stored as null.
func JSONText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}
