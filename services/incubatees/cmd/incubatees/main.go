// Command incubatees runs the incubatees service on its own (distributed mode).
package main

import (
	"context"

	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/incubatees"
)

func main() {
	var cfg incubatees.Config
	platform.Main("incubatees", func(ctx context.Context, p platform.Process) error {
		cfg.DB = platform.SQLiteDSN(p.Config.DataDir, cfg.DB)
		signer, err := platform.Signer(p.Config, false)
		if err != nil {
			return err
		}
		b, err := platform.ConnectBus(ctx, p.Config, "incubatees", p.Log)
		if err != nil {
			return err
		}
		defer b.Close()
		svc, err := incubatees.New(ctx, cfg, incubatees.Deps{Bus: b, Signer: signer, Log: p.Log})
		if err != nil {
			return err
		}
		return platform.WithMetrics(ctx, p.Config.MetricsAddr, p.Log, func(ctx context.Context) error {
			return platform.ServeService(ctx, cfg.Addr, svc, p.Log)
		})
	}, &cfg)
}
