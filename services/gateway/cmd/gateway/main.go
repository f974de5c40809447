// Command gateway runs the gateway on its own (distributed mode); the
// services it routes to are given by URL (INCUCHAIN_GATEWAY_*_URL).
package main

import (
	"context"
	"errors"

	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/gateway"
)

func main() {
	var cfg gateway.Config
	platform.Main("gateway", func(ctx context.Context, p platform.Process) error {
		if cfg.ParksURL == "" {
			return errors.New("INCUCHAIN_GATEWAY_PARKS_URL is required when the gateway runs apart")
		}
		cfg.DB = platform.SQLiteDSN(p.Config.DataDir, cfg.DB)
		signer, err := platform.Signer(p.Config, false)
		if err != nil {
			return err
		}
		g, err := gateway.New(ctx, cfg, gateway.Deps{Signer: signer, Log: p.Log, PublicURL: p.Config.PublicURL})
		if err != nil {
			return err
		}
		defer g.Close()
		return platform.WithMetrics(ctx, p.Config.MetricsAddr, p.Log, func(ctx context.Context) error {
			return platform.Serve(ctx, cfg.Addr, g.Handler(), p.Log)
		})
	}, &cfg)
}
