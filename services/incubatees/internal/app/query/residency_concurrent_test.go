package query

import (
	"context"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

// OpenElsewhere: memReads holds one residency, so nothing is concurrent.
func (m memReads) OpenElsewhere(context.Context, string, string, string) ([]app.ResidencyView, error) {
	return nil, nil
}
