package documents

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// Memory while a 100 MiB file streams through the service: up over HTTP,
// spooled, sniffed, stored in parts, and back down. Client, service and
// in-process S3 server share this process, so the figures cover all three.

const bigFile = 100 << 20

// pdfStream yields n bytes of a PDF-looking file without holding them.
type pdfStream struct {
	left int64
	rng  *rand.ChaCha8
	head bool
}

func newPDFStream(n int64) *pdfStream {
	return &pdfStream{left: n, rng: rand.NewChaCha8([32]byte{42})}
}

func (p *pdfStream) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	n, _ := p.rng.Read(b)
	if !p.head {
		p.head = true
		n = copy(b, "%PDF-1.7\n") + copy(b[9:], b[9:n])
	}
	p.left -= int64(n)
	return n, nil
}

type memFigures struct{ peakGrowth, allocated uint64 }

// streamBig uploads and downloads bigFile bytes, sampling the heap.
func streamBig(tb testing.TB, h *harness) memFigures {
	tb.Helper()
	want := sha256.New()
	if _, err := io.Copy(want, newPDFStream(bigFile)); err != nil {
		tb.Fatal(err)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := before.HeapAlloc
	stop, wg := make(chan struct{}), sync.WaitGroup{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			default:
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
				runtime.Gosched()
			}
		}
	}()
	q := url.Values{"type": {"business_plan"}, "checklist": {"application:" + h.IDs["appA"]}, "filename": {"big.pdf"}}
	req := h.Request("founder@lixia.demo", "POST", "/api/v1/companies/"+h.IDs["coA"]+"/documents?"+q.Encode(), newPDFStream(bigFile))
	req.ContentLength = bigFile
	res := h.Send(req)
	if res.Status != 201 {
		tb.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	raw := res.Body
	down, err := h.HTTP.Do(h.Request("founder@lixia.demo", "GET", "/api/v1/documents/"+jsonField(tb, raw, "id")+"/versions/"+jsonNumber(tb, raw, "version")+"/content", nil))
	if err != nil {
		tb.Fatal(err)
	}
	got := sha256.New()
	n, err := io.Copy(got, down.Body)
	down.Body.Close()
	close(stop)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if err != nil || n != bigFile || hex.EncodeToString(got.Sum(nil)) != hex.EncodeToString(want.Sum(nil)) {
		tb.Fatalf("read back %d bytes (%v); digest differs: %v", n, err, hex.EncodeToString(got.Sum(nil)) != hex.EncodeToString(want.Sum(nil)))
	}
	return memFigures{peakGrowth: max(peak, after.HeapAlloc) - before.HeapAlloc, allocated: after.TotalAlloc - before.TotalAlloc}
}

// A 100 MiB file round-trips byte for byte while the heap stays within a
// few multipart buffers (16 MiB each) of where it started.
func TestStreaming100MiBThroughTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 100 MiB")
	}
	h := newHarness(t, "sqlite")
	m := streamBig(t, h)
	const mib = 1 << 20
	t.Logf("100 MiB upload+download through the service: peak heap growth %.1f MiB, allocated %.1f MiB in total",
		float64(m.peakGrowth)/mib, float64(m.allocated)/mib)
	if m.peakGrowth > 64*mib {
		t.Errorf("peak heap growth %.1f MiB: something holds the file in memory", float64(m.peakGrowth)/mib)
	}
	if m.allocated > 96*mib {
		t.Errorf("allocated %.1f MiB for a 100 MiB file: a copy of it is being made", float64(m.allocated)/mib)
	}
}

// BenchmarkStreaming100MiB reports the same figures:
//
//	go test ./services/documents -run '^$' -bench Streaming100MiB -benchtime 3x
func BenchmarkStreaming100MiB(b *testing.B) {
	h := newHarness(b, "sqlite")
	b.SetBytes(bigFile)
	var peak, alloc uint64
	for i := 0; i < b.N; i++ {
		m := streamBig(b, h)
		peak, alloc = max(peak, m.peakGrowth), alloc+m.allocated
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(alloc)/float64(b.N)/(1<<20), "alloc-MiB/op")
}

func jsonField(tb testing.TB, raw []byte, k string) string {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	s, _ := m[k].(string)
	return s
}

func jsonNumber(tb testing.TB, raw []byte, k string) string {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	return strconv.Itoa(int(m[k].(float64)))
}
