// Command incuchain runs Incuchain: every service in one process
// (-target=all, the default) or one of them.
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
	"github.com/incuchain/incuchain/services/allinone/launcher"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "incuchain:", err)
		os.Exit(1)
	}
}

func run() error {
	target := flag.String("target", launcher.TargetAll, "what to run: all, gateway, parks or incubatees")
	file := flag.String("config", "", "KEY=value settings file (the environment overrides it)")
	printConfig := flag.Bool("print-config", false, "print the configuration table (Markdown) and exit")
	flag.Parse()
	var s launcher.Settings
	if *printConfig {
		fmt.Print(config.Markdown(config.Describe(&s)))
		return nil
	}
	if err := config.Load(*file, &s); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := platform.Logger(s.Platform)
	shutdown, err := platform.Tracing(ctx, "incuchain-"+*target)
	if err != nil {
		return err
	}
	defer shutdown(context.Background())
	l, err := launcher.New(s, *target, log, os.Stdout)
	if err != nil {
		return err
	}
	return l.Run(ctx)
}
