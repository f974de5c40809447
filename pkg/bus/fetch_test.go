package bus_test

import (
	"context"
	"errors"
	"testing"

	"github.com/incuchain/incuchain/pkg/bus"
)

// Fetch and FetchPage answer what their function answered inside the
// transaction, and the transaction's own error when it fails after.
func TestFetch(t *testing.T) {
	ctx := context.Background()
	ok := func(ctx context.Context, fn func(ctx context.Context, tx string) error) error { return fn(ctx, "tx") }
	commitFails := errors.New("commit failed")
	failing := func(ctx context.Context, fn func(ctx context.Context, tx string) error) error {
		if err := fn(ctx, "tx"); err != nil {
			return err
		}
		return commitFails
	}
	v, err := bus.Fetch(ctx, ok, func(_ context.Context, tx string) (string, error) { return tx + "-value", nil })
	if err != nil || v != "tx-value" {
		t.Fatalf("Fetch = %q, %v", v, err)
	}
	fetchFails := errors.New("not found")
	if _, err := bus.Fetch(ctx, ok, func(context.Context, string) (int, error) { return 0, fetchFails }); !errors.Is(err, fetchFails) {
		t.Fatalf("Fetch error = %v, want %v", err, fetchFails)
	}
	if _, err := bus.Fetch(ctx, failing, func(context.Context, string) (int, error) { return 1, nil }); !errors.Is(err, commitFails) {
		t.Fatalf("Fetch error = %v, want %v", err, commitFails)
	}
	page, total, err := bus.FetchPage(ctx, ok, func(context.Context, string) ([]int, int, error) { return []int{1, 2}, 5, nil })
	if err != nil || len(page) != 2 || total != 5 {
		t.Fatalf("FetchPage = %v, %d, %v", page, total, err)
	}
	if _, _, err := bus.FetchPage(ctx, failing, func(context.Context, string) ([]int, int, error) { return nil, 0, nil }); !errors.Is(err, commitFails) {
		t.Fatalf("FetchPage error = %v, want %v", err, commitFails)
	}
}
