package bus

import "context"

// Store is what a service's use cases see of its unit of work (a Unit
// satisfies it): Read runs fn in a read transaction, Write in a write
// transaction whose published events go to the outbox with it; tx is the
// service's own transaction type T. A service's app package says
//
//	type Store = bus.Store[Tx]
type Store[T any] interface {
	Read(ctx context.Context, fn func(ctx context.Context, tx T) error) error
	Write(ctx context.Context, fn func(ctx context.Context, tx T) error) error
}
