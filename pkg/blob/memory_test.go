package blob_test

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/blob/blobtest"
)

// Memory while a 100 MiB object streams up and back down. Client and
// in-process server share this process, so the numbers cover both: minio-go
// and Store on one side, SigV4 chunk checks, disk spooling and gofakes3 on
// the other.

const streamSize = 100 << 20

type memUsage struct {
	peakGrowth uint64 // highest HeapAlloc seen, minus HeapAlloc before
	allocated  uint64 // TotalAlloc delta: every byte allocated on the way
	samples    int
}

// measureStreaming Puts then Gets streamSize bytes while sampling the heap.
func measureStreaming(tb testing.TB, st *blob.Store, key string) memUsage {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	want, _ := digestOf(tb, content(42, streamSize))

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var (
		peak    = before.HeapAlloc
		samples int
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
				samples++
			}
		}
	}()

	info, err := st.Put(ctx, key, content(42, streamSize), streamSize, "application/octet-stream")
	if err != nil {
		close(stop)
		wg.Wait()
		tb.Fatalf("put: %v", err)
	}
	rc, _, err := st.Get(ctx, key)
	if err != nil {
		close(stop)
		wg.Wait()
		tb.Fatalf("get: %v", err)
	}
	got, n := digestOf(tb, rc)
	_ = rc.Close()

	close(stop)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	peak = max(peak, after.HeapAlloc)

	if info.SHA256 != want || got != want || n != streamSize {
		tb.Fatalf("round trip: put sha256 %s, read %d bytes sha256 %s, want %s", info.SHA256, n, got, want)
	}
	return memUsage{peakGrowth: peak - before.HeapAlloc, allocated: after.TotalAlloc - before.TotalAlloc, samples: samples}
}

func TestStreaming100MiBKeepsMemoryFlat(t *testing.T) {
	const mib = 1 << 20
	for _, partSize := range []uint64{5 * mib, blob.DefaultPartSize} {
		t.Run(byteCount(partSize)+"-parts", func(t *testing.T) {
			cfg := blobtest.ServerConfig(t)
			cfg.PartSize = partSize
			st := blobtest.Open(t, cfg)
			m := measureStreaming(t, st, "mem/object")
			t.Logf("100 MiB Put+Get, part size %s: peak heap growth %.1f MiB, allocated %.1f MiB in total (%d samples)",
				byteCount(partSize), float64(m.peakGrowth)/mib, float64(m.allocated)/mib, m.samples)
			// One part buffer in minio-go plus small per-request buffers,
			// and garbage the GC has not yet collected (GOGC=100 lets the
			// heap reach twice the live size): well under the object.
			if limit := 3*partSize + 16*mib; m.peakGrowth > limit {
				t.Errorf("peak heap growth %d B > %d B: something holds the object in memory", m.peakGrowth, limit)
			}
			// Allocations must not scale with the object either: the
			// object is 100 MiB; a copy of it would show here.
			if limit := 2*partSize + 32*mib; m.allocated > limit {
				t.Errorf("allocated %d B > %d B for a %d B object", m.allocated, limit, streamSize)
			}
		})
	}
}

// BenchmarkStreaming100MiB reports the same figures for the default part size:
//
//	go test ./blob -run '^$' -bench Streaming100MiB -benchtime 3x
func BenchmarkStreaming100MiB(b *testing.B) {
	cfg := blobtest.ServerConfig(b)
	st := blobtest.Open(b, cfg)
	b.SetBytes(streamSize)
	var peak, alloc uint64
	for i := 0; i < b.N; i++ {
		m := measureStreaming(b, st, "bench/object")
		peak, alloc = max(peak, m.peakGrowth), alloc+m.allocated
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(alloc)/float64(b.N)/(1<<20), "alloc-MiB/op")
}

func byteCount(n uint64) string {
	if n%(1<<20) == 0 {
		return strconv.FormatUint(n>>20, 10) + "MiB"
	}
	return strconv.FormatUint(n, 10) + "B"
}
