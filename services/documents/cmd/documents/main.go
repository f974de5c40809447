// Command documents runs the documents service on its own (distributed mode).
package main

import (
	"context"

	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/documents"
)

func main() {
	var cfg documents.Config
	platform.Main("documents", func(ctx context.Context, p platform.Process) error {
		cfg.DB = platform.SQLiteDSN(p.Config.DataDir, cfg.DB)
		signer, err := platform.Signer(p.Config, false)
		if err != nil {
			return err
		}
		b, err := platform.ConnectBus(ctx, p.Config, "documents", p.Log)
		if err != nil {
			return err
		}
		defer b.Close()
		store, stopBlob, err := platform.OpenBlob(ctx, p.Config)
		if err != nil {
			return err
		}
		defer stopBlob()
		svc, err := documents.New(ctx, cfg, documents.Deps{Bus: b, Blob: store, Signer: signer, Log: p.Log})
		if err != nil {
			return err
		}
		return platform.WithMetrics(ctx, p.Config.MetricsAddr, p.Log, func(ctx context.Context) error {
			return platform.ServeService(ctx, cfg.Addr, svc, p.Log)
		})
	}, &cfg)
}
