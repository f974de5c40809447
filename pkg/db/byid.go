package db

import (
	"context"

	"github.com/uptrace/bun"
)

// DecodeByID reads the row of R's table whose id is id and decodes it with
// from: the lookup every repository's Get does. No row is the not-found
// error slug names ("carrier-not-found").
func DecodeByID[R, T any](ctx context.Context, idb bun.IDB, id, slug string, from func(R) (T, error)) (T, error) {
	var row R
	return DecodeOne(ctx, idb.NewSelect().Model(&row).Where("id = ?", id), &row, slug, from)
}

// MapByID is DecodeByID for a conversion that cannot fail.
func MapByID[R, T any](ctx context.Context, idb bun.IDB, id, slug string, from func(R) T) (T, error) {
	var row R
	return MapOne(ctx, idb.NewSelect().Model(&row).Where("id = ?", id), &row, slug, from)
}
