// Command incuchain runs Incuchain: every service in one process
// (-target=all, the default) or one of them.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/incuchain/incuchain/pkg/config"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/allinone/launcher"
)

func main() {
	var s launcher.Settings
	target := flag.String("target", launcher.TargetAll, launcher.TargetHelp())
	printConfig := flag.Bool("print-config", false, "print the configuration table (Markdown) and exit")
	printOpenAPI := flag.Bool("print-openapi", false, "print the gateway's merged OpenAPI document (built in-process on a temporary data directory) and exit")
	platform.Main("incuchain", func(ctx context.Context, p platform.Process) error {
		if *printConfig {
			var defaults launcher.Settings
			fmt.Print(config.Markdown(config.Describe(&defaults)))
			return nil
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
