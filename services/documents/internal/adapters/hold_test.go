package adapters_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/services/documents/internal/adapters"
	"github.com/incuchain/incuchain/services/documents/internal/app"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
	"github.com/incuchain/incuchain/services/documents/migrations"
)

// A reuse holds its source only while the source is verified: once it is
// returned (or deleted, or unknown) the hold answers no, so the copy is
// not recorded.
func TestHoldVerifiedOnlyWhileVerified(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx, now := context.Background(), time.Now().UTC()
		store := adapters.NewStore(bdb, nil)
		d, err := domain.NewDocument("doc-1", domain.DocumentOwner{RegionID: "r1", CarrierID: "c1", CompanyID: "co1"}, "business_licence", "", "u1", now)
		if err != nil {
			t.Fatal(err)
		}
		v, err := domain.NewVersion("ver-1", domain.StoredContent{ObjectKey: "k1", Filename: "licence.pdf", Size: 10, SHA256: strings.Repeat("ab", 32), ContentType: "application/pdf"}, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.AddVersion(v, now); err != nil {
			t.Fatal(err)
		}
		write := func(fn func(tx app.Tx) error) {
			t.Helper()
			if err := store.Write(ctx, func(ctx context.Context, tx app.Tx) error { return fn(tx) }); err != nil {
				t.Fatal(err)
			}
		}
		hold := func(id string) bool {
			t.Helper()
			var ok bool
			write(func(tx app.Tx) (err error) { ok, err = tx.HoldVerified(ctx, id); return err })
			return ok
		}
		write(func(tx app.Tx) error {
			if err := tx.InsertDocument(ctx, d); err != nil {
				return err
			}
			return tx.InsertVersion(ctx, v)
		})
		if hold("doc-1") {
			t.Error("an uploaded, unreviewed document was held as verified")
		}
		if err := d.Verify("", "reviewer", now); err != nil {
			t.Fatal(err)
		}
		write(func(tx app.Tx) error { return tx.UpdateDocument(ctx, d) })
		if !hold("doc-1") {
			t.Error("a verified document was not held")
		}
		if err := d.Return("请重新上传", "reviewer", now); err != nil {
			t.Fatal(err)
		}
		write(func(tx app.Tx) error { return tx.UpdateDocument(ctx, d) })
		if hold("doc-1") {
			t.Error("a returned document was held as verified")
		}
		if hold("no-such-document") {
			t.Error("an unknown document was held")
		}
	}, migrations.Set)
}
