package seed

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/services/allinone/launcher"
)

// Result is a run's writes, the rollups figures read back once they stop
// changing, and how long the writes and the catching up took.
type Result struct {
	Counts  Counts
	Figures Figures
	Wrote   time.Duration
	Settled time.Duration
}

// Figures is every number of the region's rollups figures as of a day,
// by its JSON path ("residencies.in_residence"); identifiers and the
// top-spender list (ties order by id) are left out, so two runs of the
// same seed compare equal.
type Figures map[string]float64

// Launch runs every service in this process on s (SEED_DEMO forced on),
// writes tier's history for seed through the gateway, waits for rollups
// to settle and stops the services. A gateway port of 0 is one the
// system picks on loopback.
func Launch(ctx context.Context, s launcher.Settings, tier Tier, seed uint64, workers int, log *slog.Logger) (Result, error) {
	var res Result
	s.SeedDemo = true
	host, port, err := net.SplitHostPort(s.Gateway.Addr)
	if err != nil {
		return res, fmt.Errorf("seed: gateway address %q: %w", s.Gateway.Addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	if port == "0" { // a loopback port of the system's choosing
		ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return res, err
		}
		s.Gateway.Addr = ln.Addr().String()
		_, port, _ = net.SplitHostPort(s.Gateway.Addr)
		if err := ln.Close(); err != nil {
			return res, err
		}
	}
	base := "http://" + net.JoinHostPort(host, port)

	l, err := launcher.New(s, launcher.TargetAll, log, io.Discard)
	if err != nil {
		return res, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- l.Run(runCtx) }()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(time.Minute):
			return fmt.Errorf("seed: the services did not stop")
		}
	}
	select {
	case <-l.Listening:
	case err := <-done:
		cancel()
		return res, fmt.Errorf("seed: the services did not start: %w", err)
	case <-ctx.Done():
		_ = stop()
		return res, ctx.Err()
	}

	start := time.Now()
	res.Counts, err = Run(ctx, base, tier, seed, workers, log)
	res.Wrote = time.Since(start)
	if err == nil {
		log.Info("seed: history written, waiting for rollups", "counts", fmt.Sprintf("%+v", res.Counts), "took", res.Wrote.Round(time.Millisecond))
		res.Figures, err = Settle(ctx, base, calendar.Date(time.Now()))
		res.Settled = time.Since(start) - res.Wrote
	}
	if stopErr := stop(); err == nil {
		err = stopErr
	}
	return res, err
}

// figureRoutes are the rollups figures read back.
var figureRoutes = []string{"carriers", "residencies", "funnel", "ladder", "reports"}

// Settle reads the region's rollups figures as of day, as the district
// officer, until three reads a second apart agree and reports are counted.
func Settle(ctx context.Context, base, day string) (Figures, error) {
	officer, err := login(ctx, base, "officer@lixia.demo", password)
	if err != nil {
		return nil, err
	}
	region, err := regionID(ctx, officer)
	if err != nil {
		return nil, err
	}
	var last Figures
	same := 0
	deadline := time.Now().Add(10 * time.Minute)
	for {
		f := Figures{}
		for _, route := range figureRoutes {
			var body any
			if err := officer.do(ctx, "GET", "/api/v1/regions/"+region+"/rollups/"+route+"?"+url.Values{"as_of": {day}}.Encode(), nil, &body); err != nil {
				return nil, err
			}
			flatten(f, route, body)
		}
		if f["reports.reports"] > 0 && reflect.DeepEqual(f, last) {
			same++
		} else {
			same = 0
		}
		if same == 2 {
			return f, nil
		}
		last = f
		if time.Now().After(deadline) {
			return f, fmt.Errorf("seed: rollups did not settle in 10 minutes")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func flatten(into Figures, path string, v any) {
	switch v := v.(type) {
	case float64:
		into[path] = v
	case map[string]any:
		for k, x := range v {
			if k == "id" || strings.HasSuffix(k, "_id") || k == "top_rd_spenders" {
				continue
			}
			flatten(into, path+"."+k, x)
		}
	case []any:
		for i, x := range v {
			flatten(into, fmt.Sprintf("%s[%d]", path, i), x)
		}
	}
}

// String lists the figures one a line, sorted by path.
func (f Figures) String() string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(f)) {
		fmt.Fprintf(&b, "%s\t%v\n", k, f[k])
	}
	return b.String()
}
