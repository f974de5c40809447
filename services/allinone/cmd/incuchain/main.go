// Command incuchain runs Incuchain: every service in one process
// (-target=all, the default) or one of them.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/incuchain/incuchain/pkg/config"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/allinone/launcher"
	"github.com/incuchain/incuchain/services/allinone/seed"
)

func main() {
	var s launcher.Settings
	target := flag.String("target", launcher.TargetAll, launcher.TargetHelp())
	printConfig := flag.Bool("print-config", false, "print the configuration table (Markdown) and exit")
	printOpenAPI := flag.Bool("print-openapi", false, "print the gateway's merged OpenAPI document (built in-process on a temporary data directory) and exit")
	seedTier := flag.String("seed-tier", "", "write a generated history of tier D (50 carriers, 5,000 companies) or P (2,000 carriers, 200,000 companies) through the services' routes on a fresh data directory, print the rollups figures and exit")
	seedRand := flag.Uint64("seed-rand", 1, "the random seed of -seed-tier: the same seed writes the same history")
	seedWorkers := flag.Int("seed-workers", 4, "companies -seed-tier writes at once")
	platform.Main("incuchain", func(ctx context.Context, p platform.Process) error {
		if *printConfig {
			var defaults launcher.Settings
			fmt.Print(config.Markdown(config.Describe(&defaults)))
			return nil
		}
		if *seedTier != "" {
			return runSeed(ctx, s, *seedTier, *seedRand, *seedWorkers, p.Log)
		}
		if *printOpenAPI {
			return launcher.PrintOpenAPI(ctx, s, p.Log, os.Stdout)
		}
		l, err := launcher.New(s, *target, p.Log, os.Stdout)
		if err != nil {
			return err
		}
		return l.Run(ctx)
	}, &s) // s.Platform loads the same values as p.Config
}

func runSeed(ctx context.Context, s launcher.Settings, tierName string, rand uint64, workers int, log *slog.Logger) error {
	tier, ok := seed.Tiers[tierName]
	if !ok || tierName == "T" {
		return fmt.Errorf("-seed-tier: want D or P, not %q", tierName)
	}
	res, err := seed.Launch(ctx, s, tier, rand, workers, log)
	if err != nil {
		return err
	}
	fmt.Printf("tier %s, seed %d: %+v\nwritten in %s; rollups settled %s later\n%s", tierName, rand, res.Counts,
		res.Wrote.Round(time.Second), res.Settled.Round(time.Second), res.Figures)
	return nil
}
