package rollups

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

// reports publishes n more accepted 2026-Q2 reports of coA at X, as
// incubatees would (the figures, then the review), and waits until the
// projection applied them.
func (h *harness) reports(n int) {
	h.T.Helper()
	scope := events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"]}
	for i := range n {
		id := events.NewID()
		m := events.MetricsV1{ReportID: id, CompanyID: h.IDs["coA"], RegionID: h.IDs["lixia"], CarrierIDs: []string{h.IDs["X"]}, Period: "2026-Q2",
			Cadence: "quarterly", Revision: 1, MoneyUnit: "yuan",
			Metrics: map[string]int64{"rd_expenditure": int64(1000 + i), "revenue": int64(50_000 + 7*i), "employees_total": 12}}
		h.add(scope, id, events.MetricsReportedV1{MetricsV1: m})
		h.add(scope, id, events.MetricsReviewedV1{ReportID: id, CompanyID: h.IDs["coA"], RegionID: h.IDs["lixia"], Period: "2026-Q2", Revision: 1,
			Decision: "accept", Status: "accepted"})
	}
	h.publish()
	h.settle("the reports", "founder3@huaiyin.demo", "coC")
}

// heapWatch is the server's side of an answer: every sampleEvery bytes
// the handler writes, it measures the process's live heap (after a GC),
// while the handler waits: what the server holds as it writes.
type heapWatch struct {
	http.ResponseWriter
	peak     uint64
	unsample int
	samples  int
}

const sampleEvery = 16 << 10

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func (w *heapWatch) Write(p []byte) (int, error) {
	w.unsample += len(p)
	if w.unsample >= sampleEvery {
		w.unsample = 0
		w.samples++
		w.peak = max(w.peak, liveHeap())
	}
	return w.ResponseWriter.Write(p)
}

func (w *heapWatch) Flush() { w.ResponseWriter.(http.Flusher).Flush() }

// watched serves the rollups API again, each answer through a heapWatch;
// watch is the one of the latest answer.
type watched struct {
	srv   *httptest.Server
	watch *heapWatch
}

func (h *harness) watched() *watched {
	h.T.Helper()
	w := &watched{}
	handler := h.svc.Handler()
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.watch = &heapWatch{ResponseWriter: rw}
		handler.ServeHTTP(w.watch, r)
	}))
	h.T.Cleanup(w.srv.Close)
	return w
}

// export asks for the reports export as format and hands its body to
// read; it reports the live heap's growth while the server wrote it and
// what the process allocated in all.
func (w *watched) export(h *harness, format string, read func(io.Reader)) (growth, allocated uint64) {
	h.T.Helper()
	q := url.Values{"period": {"2026-Q2"}, "table": {"reports"}, "format": {format}}
	req := h.Request(officer, "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/rollups/export?"+q.Encode(), nil)
	req.URL.Host = w.srv.Listener.Addr().String()
	base := liveHeap()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := w.srv.Client().Do(req)
	if err != nil {
		h.T.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		h.T.Fatalf("export %s: %d %s", format, res.StatusCode, b)
	}
	read(res.Body)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if w.watch.samples == 0 {
		h.T.Fatalf("export %s: no heap sample taken", format)
	}
	if w.watch.peak > base {
		growth = w.watch.peak - base
	}
	return growth, after.TotalAlloc - before.TotalAlloc
}

// sheetTotals are an export's data rows and its R&D and revenue columns
// added up.
type sheetTotals struct {
	rows    int
	rd, rev float64
}

// add adds one data row of a reports sheet (head is its header line).
func (s *sheetTotals) add(t *testing.T, head []string, row []string) {
	t.Helper()
	s.rows++
	s.rd += number(t, row[index(head, "研究开发费用（千元）")])
	s.rev += number(t, row[index(head, "总收入（千元）")])
}

// csvTotals reads a CSV export as it streams, holding one line at a time.
func csvTotals(t *testing.T, r io.Reader) sheetTotals {
	t.Helper()
	bom := make([]byte, 3)
	if _, err := io.ReadFull(r, bom); err != nil || !bytes.Equal(bom, []byte("\ufeff")) {
		t.Fatalf("csv: no BOM (%q, %v)", bom, err)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var out sheetTotals
	var head []string
	for i := 0; ; i++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case i == 0 && rec[0] != "统计报表", i == 2 && rec[0] != "单位：金额为千元，人数为人，知识产权为件":
			t.Fatalf("csv line %d: %q", i, rec)
		case i == 4:
			head = append([]string(nil), rec...)
		case i > 4:
			out.add(t, head, rec)
		}
	}
}

// xlsxTotals keeps an xlsx export in a file as it streams, then reads it.
func xlsxTotals(t *testing.T, r io.Reader) sheetTotals {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.xlsx")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(file, r); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var out sheetTotals
	var head []string
	for i := 0; rows.Next(); i++ {
		rec, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case i == 0 && rec[0] != "统计报表", i == 1 && !strings.Contains(rec[0], "period=2026-Q2"):
			t.Fatalf("xlsx row %d: %q", i, rec)
		case i == 4:
			head = rec
		case i > 4:
			out.add(t, head, rec)
		}
	}
	return out
}

// A large table exports as it is read: the files' totals are the figure's,
// and the server's live heap while it writes does not grow with the rows
// (CSV), or stays under excelize's in-memory chunk (xlsx, whose sheet
// spills to a temporary file past 16 MiB).
func TestLargeExportsStreamWithTheFiguresTotals(t *testing.T) {
	if testing.Short() {
		t.Skip("publishes thousands of events")
	}
	h := newHarness(t, "sqlite")
	srv := h.watched()
	var growth [2][2]uint64 // size × format
	sizes := []int{1000, 4000}
	for si, n := range sizes {
		h.reports(n - h.countReports())
		var fig struct {
			Reports int `json:"reports"`
			Sums    struct {
				RD  float64 `json:"rd_expenditure"`
				Rev float64 `json:"revenue"`
			} `json:"sums"`
		}
		h.get(officer, "reports", url.Values{"period": {"2026-Q2"}}, &fig)
		if fig.Reports != n {
			t.Fatalf("figure: %d reports, want %d", fig.Reports, n)
		}
		for fi, format := range []string{"csv", "xlsx"} {
			var got sheetTotals
			g, alloc := srv.export(h, format, func(r io.Reader) {
				if format == "csv" {
					got = csvTotals(t, r)
				} else {
					got = xlsxTotals(t, r)
				}
			})
			growth[si][fi] = g
			t.Logf("%s of %d rows: live heap grew %.2f MiB while it streamed; %.1f MiB allocated in all", format, n, mib(g), mib(alloc))
			if got.rows != fig.Reports || fmt.Sprintf("%.3f", got.rd) != fmt.Sprintf("%.3f", fig.Sums.RD) || fmt.Sprintf("%.3f", got.rev) != fmt.Sprintf("%.3f", fig.Sums.Rev) {
				t.Errorf("%s of %d: %d rows, R&D %.3f, revenue %.3f; the figure says %d, %.3f, %.3f", format, n, got.rows, got.rd, got.rev,
					fig.Reports, fig.Sums.RD, fig.Sums.Rev)
			}
		}
	}
	// CSV: four times the rows, the same live heap (within 512 KiB); the
	// export that gathered its rows first grew by 1 MiB from 1000 rows to
	// 4000 (0.23 → 1.25 MiB), this one by 0.02 MiB.
	if small, large := growth[0][0], growth[1][0]; large > small+512<<10 {
		t.Errorf("csv live heap grows with the rows: %.2f MiB at %d rows, %.2f MiB at %d", mib(small), sizes[0], mib(large), sizes[1])
	}
	// xlsx: the sheet's XML is held up to excelize.StreamChunkSize (16
	// MiB), then spills to a file; nothing else may grow with the rows.
	if large := growth[1][1]; large > 24<<20 {
		t.Errorf("xlsx live heap %.2f MiB at %d rows, over excelize's 16 MiB chunk and 8 MiB besides", mib(large), sizes[1])
	}
}

// countReports is how many reports the projection holds.
func (h *harness) countReports() int {
	h.T.Helper()
	return dbtest.Count(h.T, h.svc.DB, "report_revisions", "")
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
