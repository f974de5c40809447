package bus

import "context"

// InTx is how a store runs a function in one transaction: a Unit's Read
// or Write, or a service's own Store method of that shape.
type InTx[T any] func(ctx context.Context, fn func(ctx context.Context, tx T) error) error

// Fetch runs fetch in one transaction of run and answers what fetch
// answered, so a use case that reads (or writes and reads back) one value
// need not capture it from inside its closure.
func Fetch[T, V any](ctx context.Context, run InTx[T], fetch func(ctx context.Context, tx T) (V, error)) (V, error) {
	var out V
	err := run(ctx, func(ctx context.Context, tx T) error {
		var err error
		out, err = fetch(ctx, tx)
		return err
	})
	return out, err
}

// FetchPage is Fetch for one page of a list and the list's total.
func FetchPage[T, V any](ctx context.Context, run InTx[T], fetch func(ctx context.Context, tx T) ([]V, int, error)) ([]V, int, error) {
	var (
		out   []V
		total int
	)
	err := run(ctx, func(ctx context.Context, tx T) error {
		var err error
		out, total, err = fetch(ctx, tx)
		return err
	})
	return out, total, err
}
