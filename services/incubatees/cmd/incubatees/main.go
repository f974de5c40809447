// Command incubatees runs the incubatees service on its own (distributed mode).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/incuchain/incuchain/pkg/config"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/incubatees"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "incubatees:", err)
		os.Exit(1)
	}
}

func run() error {
	file := flag.String("config", "", "KEY=value settings file (the environment overrides it)")
	flag.Parse()
	var pc platform.Config
	var cfg incubatees.Config
	if err := config.Load(*file, &pc, &cfg); err != nil {
		return err
	}
	cfg.DB = platform.SQLiteDSN(pc.DataDir, cfg.DB)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := platform.Logger(pc).With("service", "incubatees")
	shutdown, err := platform.Tracing(ctx, "incubatees")
	if err != nil {
		return err
	}
	defer shutdown(context.Background())
	signer, err := platform.Signer(pc, false)
	if err != nil {
		return err
	}
	b, err := platform.ConnectBus(ctx, pc, "incubatees", log)
	if err != nil {
		return err
	}
	defer b.Close()
	svc, err := incubatees.New(ctx, cfg, incubatees.Deps{Bus: b, Signer: signer, Log: log})
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- svc.Run(ctx) }()
	if err := platform.Serve(ctx, cfg.Addr, svc.Handler(), log); err != nil {
		return err
	}
	return <-errc
}
