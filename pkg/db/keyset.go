package db

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/list"
)

// Order is how a list sorts its rows: the API's sort fields and their
// columns, the column and direction when none is asked for, and the
// unique tiebreak column (the id) that ends every order so that pages
// never shuffle rows of equal sort keys. The tiebreak runs in the sort's
// direction, so one index on (…, sort column, tiebreak) serves both
// directions and, read from a position, a keyset page as well.
type Order struct {
	Columns     map[string]string // API sort field → column (may be alias-qualified, "a.created_at")
	Default     string            // column when no (known) field is asked for
	DefaultDesc bool              // the default order runs descending (newest first)
	Tiebreak    string            // unique column ending every order
	// OffsetOnly lists the sort columns that page by offset only: those
	// that may hold NULL (NULLs sort first on SQLite and last on
	// PostgreSQL, and a row comparison with NULL is never true, so a
	// position in them would skip rows), and those that are not a field of
	// the list's row model (a joined table's column).
	OffsetOnly []string
}

// resolve is the column and direction p asks for.
func (o Order) resolve(p list.Params) (col string, desc bool) {
	col = o.Columns[p.Sort]
	if col == "" {
		return o.Default, p.Desc || (p.Sort == "" && o.DefaultDesc)
	}
	return col, p.Desc
}

// ScanSorted fetches into rows (q's model) the page of q that p asks for,
// in order o, and returns the total of q. With p.After set the page starts
// after that position (a keyset page: the database seeks in the index
// instead of reading and dropping Offset rows); otherwise at p.Offset.
// When p.Keyset is set and rows follow the page, ScanSorted leaves their
// start in p.Keyset.Next. A position that does not decode into the
// columns' types is an incorrect-input error on the field "cursor".
func ScanSorted[R any](ctx context.Context, q *bun.SelectQuery, o Order, p list.Params, rows *[]R) (int, error) {
	col, desc := o.resolve(p)
	dir, cmp := " ASC", " > "
	if desc {
		dir, cmp = " DESC", " < "
	}
	keyed := p.Keyset != nil && !slices.Contains(o.OffsetOnly, col)
	limit := p.PageSize
	if keyed {
		limit++ // one row more says whether a next page exists
	}
	table := q.DB().Table(reflect.TypeOf((*R)(nil)).Elem())
	var total int
	if after := p.After(); after != nil {
		if !keyed {
			return 0, badCursor()
		}
		key, id, err := decodePosition(table, col, o.Tiebreak, after)
		if err != nil {
			return 0, err
		}
		n, err := q.Count(ctx)
		if err != nil {
			return 0, err
		}
		total = int(n)
		p.Keyset.Seeked = true
		err = q.Where("("+col+", "+o.Tiebreak+")"+cmp+"(?, ?)", key, id).
			Order(col+dir, o.Tiebreak+dir).Limit(int64(limit)).Scan(ctx)
		if err != nil {
			return 0, err
		}
	} else {
		n, err := q.Order(col+dir, o.Tiebreak+dir).Limit(int64(limit)).Offset(int64(p.Offset())).ScanAndCount(ctx)
		if err != nil {
			return 0, err
		}
		total = int(n)
	}
	if keyed && len(*rows) > p.PageSize {
		*rows = (*rows)[:p.PageSize]
		next, err := encodePosition(table, col, o.Tiebreak, (*rows)[p.PageSize-1])
		if err != nil {
			return 0, err
		}
		p.Keyset.Next = next
	}
	return total, nil
}

// SortedPage is ScanSorted followed by decoding the rows with from; what
// names the list in errors ("list companies").
func SortedPage[R, T any](ctx context.Context, q *bun.SelectQuery, o Order, p list.Params, rows *[]R, what string, from func(R) (T, error)) ([]T, int, error) {
	total, err := ScanSorted(ctx, q, o, p, rows)
	if err != nil {
		return nil, 0, WrapList(err, what)
	}
	out, err := DecodeRows(*rows, from)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// MapSorted is SortedPage for a conversion that cannot fail.
func MapSorted[R, T any](ctx context.Context, q *bun.SelectQuery, o Order, p list.Params, rows *[]R, what string, from func(R) T) ([]T, int, error) {
	return SortedPage(ctx, q, o, p, rows, what, func(r R) (T, error) { return from(r), nil })
}

// WrapList names the list in a database error; a bad cursor stays the
// caller's error as it is.
func WrapList(err error, what string) error {
	if apperr.Is(err, apperr.IncorrectInput) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

func badCursor() error {
	return apperr.NewValidation("invalid-query").Add("cursor", "bad_cursor").Err()
}

// keyFields are the model fields that hold the sort and tiebreak columns
// (their alias, "a." in "a.created_at", is the query's, not the model's).
func keyFields(table *schema.Table, col, tiebreak string) (*schema.Field, *schema.Field, error) {
	bare := func(c string) string { return c[strings.LastIndex(c, ".")+1:] }
	k, id := table.LookupField(bare(col)), table.LookupField(bare(tiebreak))
	if k == nil || id == nil {
		return nil, nil, fmt.Errorf("keyset: %s has no field for %s or %s", table.TypeName, col, tiebreak)
	}
	return k, id, nil
}

func decodePosition(table *schema.Table, col, tiebreak string, pos *list.Position) (any, any, error) {
	kf, idf, err := keyFields(table, col, tiebreak)
	if err != nil {
		return nil, nil, err
	}
	key, id := reflect.New(kf.StructField.Type), reflect.New(idf.StructField.Type)
	if json.Unmarshal(pos.Key, key.Interface()) != nil || json.Unmarshal(pos.ID, id.Interface()) != nil {
		return nil, nil, badCursor()
	}
	return key.Elem().Interface(), id.Elem().Interface(), nil
}

func encodePosition[R any](table *schema.Table, col, tiebreak string, row R) (*list.Position, error) {
	kf, idf, err := keyFields(table, col, tiebreak)
	if err != nil {
		return nil, err
	}
	v := reflect.ValueOf(&row).Elem()
	key, err := json.Marshal(kf.Value(v).Interface())
	if err != nil {
		return nil, fmt.Errorf("keyset: encode %s: %w", col, err)
	}
	id, err := json.Marshal(idf.Value(v).Interface())
	if err != nil {
		return nil, fmt.Errorf("keyset: encode %s: %w", tiebreak, err)
	}
	return &list.Position{Key: key, ID: id}, nil
}
