package documents

import (
	"bufio"
	"crypto/sha256"
	"io"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkUpload100MiB times a 100 MiB upload through the service's HTTP
// API (over real HTTP, into the in-process S3 server over real HTTP)
// beside its baseline, run in the same invocation: the same bytes spooled
// to disk through a SHA-256, which the upload does first and cannot beat.
// Each reports MB/s and the peak growth of the heap and of the process's
// RSS while it runs (client, service and S3 server share the process).
//
//	go test ./services/documents -run '^$' -bench Upload100MiB -benchtime 3x
func BenchmarkUpload100MiB(b *testing.B) {
	h := newHarness(b, "sqlite")
	q := url.Values{"type": {"business_plan"}, "checklist": {"application:" + h.IDs["appA"]}, "filename": {"big.pdf"}}
	path := "/api/v1/companies/" + h.IDs["coA"] + "/documents?" + q.Encode()
	dir := b.TempDir()
	b.Run("baseline-spool-sha256", func(b *testing.B) {
		measureUploads(b, func() {
			f, err := os.CreateTemp(dir, "baseline-*")
			if err != nil {
				b.Fatal(err)
			}
			defer func() { f.Close(); os.Remove(f.Name()) }()
			if _, err := io.Copy(io.MultiWriter(f, sha256.New()), newPDFStream(bigFile)); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("service", func(b *testing.B) {
		measureUploads(b, func() {
			req := h.Request("founder@lixia.demo", "POST", path, newPDFStream(bigFile))
			req.ContentLength = bigFile
			if res := h.Send(req); res.Status != 201 {
				b.Fatalf("upload: %d %s", res.Status, res.Body)
			}
		})
	})
}

// measureUploads runs upload b.N times, sampling the heap and the RSS.
func measureUploads(b *testing.B, upload func()) {
	b.SetBytes(bigFile)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	rss0 := residentBytes()
	peakHeap, peakRSS := before.HeapAlloc, rss0
	stop, wg := make(chan struct{}), sync.WaitGroup{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				peakHeap, peakRSS = max(peakHeap, ms.HeapAlloc), max(peakRSS, residentBytes())
			}
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		upload()
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peakHeap-before.HeapAlloc)/(1<<20), "heap-growth-MiB")
	b.ReportMetric(float64(peakRSS-min(rss0, peakRSS))/(1<<20), "rss-growth-MiB")
}

// residentBytes is the process's VmRSS (Linux), 0 elsewhere.
func residentBytes() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
