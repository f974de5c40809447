// Command parks runs the parks service on its own (distributed mode).
package main

import (
	"context"
	"flag"

	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/parks"
)

func main() {
	var cfg parks.Config
	seed := flag.Bool("seed-demo", false, "create the demo region and accounts, then keep running")
	platform.Main("parks", func(ctx context.Context, p platform.Process) error {
		cfg.DB = platform.SQLiteDSN(p.Config.DataDir, cfg.DB)
		signer, err := platform.Signer(p.Config, false)
		if err != nil {
			return err
		}
		b, err := platform.ConnectBus(ctx, p.Config, "parks", p.Log)
		if err != nil {
			return err
		}
		defer b.Close()
		svc, err := parks.New(ctx, cfg, parks.Deps{Bus: b, Signer: signer, Log: p.Log, PublicURL: p.Config.PublicURL})
		if err != nil {
			return err
		}
		if *seed {
			if err := svc.Seed(ctx); err != nil {
				return err
			}
		}
		return platform.WithMetrics(ctx, p.Config.MetricsAddr, p.Log, func(ctx context.Context) error {
			return platform.ServeService(ctx, cfg.Addr, svc, p.Log)
		})
	}, &cfg)
}
