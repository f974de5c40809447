package testkit

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Load is what a round of concurrent requests measured: requests per
// second over the round and the latency percentiles of single requests.
type Load struct {
	PerSecond float64
	P50, P99  time.Duration
}

// Drive sends n requests to handler in process from users goroutines at
// once (each sends its next request when the last one is answered), with
// req building each request, and fails t on an answer other than want.
// Benchmarks use it to set a service beside a baseline handler under the
// same load; no test asserts its times.
func Drive(t testing.TB, handler http.Handler, users, n int, want int, req func() *http.Request) Load {
	t.Helper()
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var bad atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				r := req()
				w := httptest.NewRecorder()
				t0 := time.Now()
				handler.ServeHTTP(w, r)
				lat[i] = time.Since(t0)
				if w.Code != want {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if b := bad.Load(); b > 0 {
		t.Fatalf("%d of %d answers were not %d", b, n, want)
	}
	slices.Sort(lat)
	return Load{PerSecond: float64(n) / elapsed.Seconds(), P50: lat[n/2], P99: lat[n*99/100]}
}

// Median is the round with the median rate of rounds, and the median of
// their percentiles.
func Median(rounds []Load) Load {
	pick := func(f func(Load) float64) float64 {
		v := make([]float64, len(rounds))
		for i, r := range rounds {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return Load{
		PerSecond: pick(func(l Load) float64 { return l.PerSecond }),
		P50:       time.Duration(pick(func(l Load) float64 { return float64(l.P50) })),
		P99:       time.Duration(pick(func(l Load) float64 { return float64(l.P99) })),
	}
}
