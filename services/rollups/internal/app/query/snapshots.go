package query

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// snapshotPeriod refuses a period a snapshot cannot freeze.
func snapshotPeriod(p string) error {
	return apperr.NewValidation("invalid-filter").Check(!domain.SnapshotPeriod(p), "period", "not_a_period").Err()
}

// district runs fn for a caller who sees every row of the region (the
// district and platform admins): snapshots hold every carrier's rows.
func (q Figures) district(ctx context.Context, actor app.Actor, regionID string, fn func(ctx context.Context, tx app.Tx) error) error {
	if !q.system {
		if err := authz.Authenticated(actor.UserID); err != nil {
			return err
		}
	}
	return q.store.Read(ctx, func(ctx context.Context, tx app.Tx) error {
		s, err := q.access(ctx, tx, actor.UserID, regionID)
		if err != nil {
			return err
		}
		if !s.All {
			return apperr.ForbiddenErr("not-allowed")
		}
		return fn(ctx, tx)
	})
}

// MayFreeze answers whether actor may freeze the region's figures: a
// district admin (region update) may; whoever else sees the region is
// refused (403), anyone else is told it does not exist (404).
func (q Figures) MayFreeze(ctx context.Context, actor app.Actor, regionID string) error {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return err
	}
	return q.store.Read(ctx, func(ctx context.Context, tx app.Tx) error {
		if _, err := q.access(ctx, tx, actor.UserID, regionID); err != nil {
			return err
		}
		return q.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{{RegionID: regionID}}, Object: "region", Action: "update",
			CanSee: authz.Always, NotFound: "region-not-found"})
	})
}

// ListSnapshots lists the region's frozen periods.
func (q Figures) ListSnapshots(ctx context.Context, actor app.Actor, regionID string) ([]app.SnapshotRecord, error) {
	var out []app.SnapshotRecord
	err := q.district(ctx, actor, regionID, func(ctx context.Context, tx app.Tx) error {
		var err error
		out, err = tx.ListSnapshots(ctx, regionID)
		return err
	})
	return out, err
}

// Change is one figure that differs between a snapshot and now.
type Change struct {
	Figure  string  `json:"figure"`
	Frozen  float64 `json:"frozen"`
	Current float64 `json:"current"`
}

// SnapshotDiff is a frozen period against its figures today.
type SnapshotDiff struct {
	Snapshot app.SnapshotRecord `json:"snapshot"`
	Frozen   json.RawMessage    `json:"frozen"`
	Current  json.RawMessage    `json:"current"`
	Changes  []Change           `json:"changes"`
}

// Diff compares the frozen figures of period with current (the same
// figures computed now): every number that moved, by its path.
func (q Figures) Diff(ctx context.Context, actor app.Actor, regionID, period string) (SnapshotDiff, error) {
	if err := snapshotPeriod(period); err != nil {
		return SnapshotDiff{}, err
	}
	var out SnapshotDiff
	err := q.district(ctx, actor, regionID, func(ctx context.Context, tx app.Tx) error {
		s, ok, err := tx.Snapshot(ctx, regionID, period)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.NotFoundErr("snapshot-not-found")
		}
		out.Snapshot, out.Frozen = s, s.Figures
		return nil
	})
	if err != nil {
		return out, err
	}
	if out.Current, err = q.AllJSON(ctx, regionID, period); err != nil {
		return out, err
	}
	var a, b any
	if err := json.Unmarshal(out.Frozen, &a); err != nil {
		return out, fmt.Errorf("snapshot %s: %w", period, err)
	}
	if err := json.Unmarshal(out.Current, &b); err != nil {
		return out, err
	}
	fa, fb := map[string]float64{}, map[string]float64{}
	flatten("", a, fa)
	flatten("", b, fb)
	keys := map[string]bool{}
	for k := range fa {
		keys[k] = true
	}
	for k := range fb {
		keys[k] = true
	}
	out.Changes = []Change{}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		if fa[k] != fb[k] {
			out.Changes = append(out.Changes, Change{Figure: k, Frozen: fa[k], Current: fb[k]})
		}
	}
	return out, nil
}

// flatten collects the numbers of a figure by path ("reports.sums.revenue";
// rows by their id where they have one, else their index).
func flatten(prefix string, v any, out map[string]float64) {
	switch x := v.(type) {
	case float64:
		out[prefix] = x
	case map[string]any:
		for k, c := range x {
			flatten(join(prefix, k), c, out)
		}
	case []any:
		for i, c := range x {
			key := fmt.Sprint(i)
			if m, ok := c.(map[string]any); ok {
				for _, id := range []string{"company_id", "carrier_id", "kind", "step"} {
					if s, ok := m[id].(string); ok && s != "" {
						key = s
						if st, ok := m["status"].(string); ok && id == "kind" {
							key += "/" + st
						}
						break
					}
				}
			}
			flatten(join(prefix, key), c, out)
		}
	}
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}
