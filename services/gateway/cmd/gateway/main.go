// Command gateway runs the gateway on its own (distributed mode); the
// services it routes to are given by URL (INCUCHAIN_GATEWAY_PARKS_URL).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/incuchain/incuchain/pkg/config"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/gateway"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func run() error {
	file := flag.String("config", "", "KEY=value settings file (the environment overrides it)")
	flag.Parse()
	var pc platform.Config
	var cfg gateway.Config
	if err := config.Load(*file, &pc, &cfg); err != nil {
		return err
	}
	if cfg.ParksURL == "" {
		return errors.New("INCUCHAIN_GATEWAY_PARKS_URL is required when the gateway runs apart")
	}
	cfg.DB = platform.SQLiteDSN(pc.DataDir, cfg.DB)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := platform.Logger(pc).With("service", "gateway")
	shutdown, err := platform.Tracing(ctx, "gateway")
	if err != nil {
		return err
	}
	defer shutdown(context.Background())
	signer, err := platform.Signer(pc, false)
	if err != nil {
		return err
	}
	g, err := gateway.New(ctx, cfg, gateway.Deps{Signer: signer, Log: log})
	if err != nil {
		return err
	}
	defer g.Close()
	return platform.Serve(ctx, cfg.Addr, g.Handler(), log)
}
