package rollups

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// An export is the drill-down's rows as a file: the title, the filters and
// the units first, Chinese headers, and figures whose totals are the
// figure's.
func TestExportsReadBackToTheFigures(t *testing.T) {
	h := newHistory(t, "sqlite")
	q := url.Values{"period": {"2026-Q2"}, "table": {"reports"}}
	var fig struct {
		Sums struct {
			RD  float64 `json:"rd_expenditure"`
			Rev float64 `json:"revenue"`
		}
	}
	h.get(officer, "reports", url.Values{"period": {"2026-Q2"}}, &fig)
	base := "/api/v1/regions/" + h.IDs["lixia"] + "/rollups/export?"

	q.Set("format", "xlsx")
	r := h.Do(officer, "GET", base+q.Encode(), nil)
	if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("xlsx: %d %v", r.Status, r.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 6 || rows[0][0] != "统计报表" || !strings.Contains(rows[1][0], "period=2026-Q2") || !strings.Contains(rows[2][0], "千元") {
		t.Fatalf("sheet head: %v", rows[:min(len(rows), 5)])
	}
	head := rows[4]
	rdCol, revCol := index(head, "研究开发费用（千元）"), index(head, "总收入（千元）")
	if rdCol < 0 || revCol < 0 || head[0] != "企业" {
		t.Fatalf("headers: %v", head)
	}
	var rd, rev float64
	for _, row := range rows[5:] {
		rd += number(t, row[rdCol])
		rev += number(t, row[revCol])
	}
	if rd != fig.Sums.RD || rev != fig.Sums.Rev || len(rows[5:]) != 1 {
		t.Errorf("xlsx totals: R&D %v, revenue %v over %d rows; the figure says %v, %v", rd, rev, len(rows[5:]), fig.Sums.RD, fig.Sums.Rev)
	}

	q.Set("format", "csv")
	r = h.Do(officer, "GET", base+q.Encode(), nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %v", r.Status, r.Header)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1 // the title, filter and unit lines have one field
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 || recs[0][0] != "统计报表" || recs[4][0] != "企业" || number(t, recs[5][index(recs[4], "研究开发费用（千元）")]) != fig.Sums.RD {
		t.Errorf("csv: %q", recs)
	}

	// Another table, and refusals.
	if r := h.Do(officer, "GET", base+url.Values{"table": {"residencies"}, "measure": {"in_residence"}, "format": {"csv"}, "period": {"2026-Q2"}}.Encode(), nil); r.Status != 200 || strings.Count(string(r.Body), "\n") != 8 {
		t.Errorf("residencies csv: %d %s", r.Status, r.Body)
	}
	for _, bad := range []url.Values{{"table": {"everything"}}, {"table": {"reports"}, "format": {"pdf"}}, {"table": {"reports"}, "period": {"Q9"}}} {
		if r := h.Do(officer, "GET", base+bad.Encode(), nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", bad, r.Status)
		}
	}
	if r := h.Do("founder@lixia.demo", "GET", base+q.Encode(), nil); r.Status != http.StatusForbidden {
		t.Errorf("a startup exports: %d", r.Status)
	}
}

func index(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return f
}
