package ports

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/app/query"
)

// table is one exportable table: its title, its column headers (Chinese,
// with the unit where there is one) and a read that hands over each row's
// cells as the database returns it, so an export never holds the table.
type table struct {
	title   string
	headers []string
	rows    func(emit func([]any) error) error
}

// tableOf is a table read by each, a row's cells made by cells.
func tableOf[T any](title string, headers []string, each func(fn func(T) error) error, cells func(T) []any) table {
	return table{title: title, headers: headers, rows: func(emit func([]any) error) error {
		return each(func(r T) error { return emit(cells(r)) })
	}}
}

// computed is a read of rows a figure computes from every row it reads
// (the funnel, health and conflicts), handed over one at a time.
func computed[T any](rows []T, err error) func(fn func(T) error) error {
	return func(fn func(T) error) error {
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// Tables that can be exported.
var exportTables = []string{"carriers", "residencies", "funnel", "ladder", "reports", "health", "milestones", "conflicts"}

func (h *HTTP) table(c *gin.Context, name string) (table, error) {
	ctx, req := c.Request.Context(), request(c)
	switch name {
	case "carriers":
		return tableOf("载体", []string{"载体", "类型", "状态", "容量（家）", "面积（平方米）", "已用面积（平方米）", "在孵企业（家）"},
			func(fn func(app.CarrierRow) error) error { return h.q.EachCarrierRow(ctx, req, fn) },
			func(r app.CarrierRow) []any {
				return []any{r.NameZH, r.Kind, r.Status, r.Capacity, r.AreaM2, r.AreaUsedM2, r.Residents}
			}), nil
	case "residencies":
		measure := c.DefaultQuery("measure", query.InResidence)
		return tableOf("在孵企业（"+measure+"）", []string{"企业", "统一社会信用代码", "行业门类", "载体", "载体类型", "状态", "入孵日期", "入驻日期", "结束日期", "期满日期", "晋级至载体"},
			func(fn func(app.ResidencyRow) error) error { return h.q.EachResidencyRow(ctx, req, measure, fn) },
			func(r app.ResidencyRow) []any {
				return []any{r.CompanyName, r.USCC, r.Industry, r.CarrierName, r.CarrierKind, r.Status, r.AdmittedOn, r.MovedInOn, r.EndedOn, r.TermEndOn, r.PromotedToCarrierID}
			}), nil
	case "funnel":
		step := c.DefaultQuery("step", "maker_space")
		return tableOf("孵化链（"+step+"）", []string{"企业", "统一社会信用代码", "载体", "进入日期", "距上一步（月）"},
			computed(h.q.FunnelRows(ctx, req, step)),
			func(r query.FunnelRow) []any {
				return []any{r.CompanyName, r.USCC, r.CarrierName, r.EnteredOn, r.MonthsFromPrevious}
			}), nil
	case "ladder":
		step := c.DefaultQuery("step", "tech_sme")
		return tableOf("梯次培育（"+step+"）", []string{"企业", "统一社会信用代码", "梯次", "认定日期", "有效期至", "证书编号"},
			func(fn func(app.LadderRow) error) error {
				return h.q.EachLadderRow(ctx, req, step, c.Query("measure"), fn)
			},
			func(r app.LadderRow) []any {
				return []any{r.CompanyName, r.USCC, r.Step, r.StepOn, r.ExpiryOn, r.CertificateNo}
			}), nil
	case "reports":
		return tableOf("统计报表", []string{"企业", "统一社会信用代码", "报告期", "修订号", "研究开发费用（千元）", "总收入（千元）", "实际上缴税费（千元）",
			"从业人员（人）", "知识产权申请数（件）", "知识产权授权数（件）", "获得投融资金额（千元）"},
			func(fn func(query.ReportLine) error) error { return h.q.EachReportLine(ctx, req, fn) },
			func(r query.ReportLine) []any {
				f := r.Figures
				return []any{r.CompanyName, r.USCC, r.Period, r.Revision, f.RDExpenditure, f.Revenue, f.TaxesPaid, f.EmployeesTotal, f.IPFiled, f.IPGranted, f.FinancingAmount}
			}), nil
	case "health":
		return tableOf("填报情况", []string{"载体", "企业", "统一社会信用代码", "报表状态", "修订号", "逾期"},
			computed(h.q.HealthRows(ctx, req)),
			func(r query.HealthRow) []any {
				overdue := "否"
				if r.Overdue {
					overdue = "是"
				}
				return []any{r.CarrierName, r.CompanyName, r.USCC, r.Status, r.Revision, overdue}
			}), nil
	case "milestones":
		measure := c.DefaultQuery("measure", query.MilestonePlanned)
		return tableOf("里程碑（"+measure+"）", []string{"载体", "企业", "统一社会信用代码", "里程碑", "类别", "状态", "到期日"},
			func(fn func(app.MilestoneRow) error) error { return h.q.EachMilestoneRow(ctx, req, measure, fn) },
			func(r app.MilestoneRow) []any {
				return []any{r.CarrierName, r.CompanyName, r.USCC, r.TitleZH, r.Category, r.State, r.DueOn}
			}), nil
	case "conflicts":
		return tableOf("重复在孵", []string{"企业", "统一社会信用代码", "同时在孵的载体"},
			computed(h.q.Conflicts(ctx, req)),
			func(r query.Conflict) []any {
				names := make([]string, len(r.Carriers))
				for i, c := range r.Carriers {
					names[i] = c.CarrierName
				}
				return []any{r.CompanyName, r.USCC, strings.Join(names, "、")}
			}), nil
	}
	return table{}, apperr.NewValidation("invalid-filter").Add("table", "one_of", "allowed", strings.Join(exportTables, ", ")).Err()
}

// filterLine names the filters of the request on the sheet.
func filterLine(c *gin.Context) string {
	var parts []string
	for _, k := range []string{"period", "as_of", "carrier_kind", "carrier_id", "industry", "measure", "step"} {
		if v := c.Query(k); v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	if len(parts) == 0 {
		return "筛选条件：无（本年至今）"
	}
	return "筛选条件：" + strings.Join(parts, "，")
}

func (h *HTTP) export(c *gin.Context) {
	format := c.DefaultQuery("format", "xlsx")
	if !slices.Contains([]string{"xlsx", "csv"}, format) {
		httpx.Error(c, apperr.NewValidation("invalid-filter").Add("format", "one_of", "allowed", "xlsx, csv").Err())
		return
	}
	name := c.Query("table")
	t, err := h.table(c, name)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	meta := []string{t.title, filterLine(c), "单位：金额为千元，人数为人，知识产权为件", "区域：" + c.Param("id")}
	var w sheetWriter = &csvSheet{c: c}
	if format == "xlsx" {
		w = &xlsxSheet{c: c}
	}
	defer w.release()
	// The file begins with the first row (or, for an empty table, after
	// the read): a refusal or a bad filter, found before, is answered as
	// a problem, not as a file.
	started := false
	begin := func() error {
		started = true
		c.Header("Content-Disposition", "attachment; filename=rollups-"+name+"."+format+"; filename*=UTF-8''"+url.PathEscape(t.title+"."+format))
		return w.begin(meta, t.headers)
	}
	err = t.rows(func(cells []any) error {
		if !started {
			if err := begin(); err != nil {
				return err
			}
		}
		return w.row(cells)
	})
	if err == nil && !started {
		err = begin()
	}
	if err == nil {
		err = w.close()
	}
	if err != nil {
		if !c.Writer.Written() {
			c.Writer.Header().Del("Content-Disposition")
			httpx.Error(c, err)
			return
		}
		// Rows already went out: the status is sent; the file stays cut
		// short, which the client sees as a broken download.
		slog.ErrorContext(c.Request.Context(), "rollups export broke off", "table", name, "format", format, "err", err)
	}
}

// sheetWriter writes an export as its rows come: begin with the title,
// filters and units and the headers, each row, then close; release frees
// what it holds, closed or not.
type sheetWriter interface {
	begin(meta, headers []string) error
	row(cells []any) error
	close() error
	release()
}

// csvSheet writes UTF-8 CSV with a BOM straight to the response, flushed
// every csvFlushRows rows.
type csvSheet struct {
	c    *gin.Context
	w    *csv.Writer
	rows int
}

const csvFlushRows = 500

func (s *csvSheet) begin(meta, headers []string) error {
	s.c.Header("Content-Type", "text/csv; charset=utf-8")
	s.c.Status(http.StatusOK)
	if _, err := s.c.Writer.Write([]byte("\ufeff")); err != nil { // Excel reads UTF-8 CSV by its BOM
		return fmt.Errorf("csv: %w", err)
	}
	s.w = csv.NewWriter(s.c.Writer)
	for _, m := range meta {
		if err := s.w.Write([]string{m}); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	return s.w.Write(headers)
}

func (s *csvSheet) row(cells []any) error {
	line := make([]string, len(cells))
	for j, v := range cells {
		line[j] = cell(v)
	}
	if err := s.w.Write(line); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	if s.rows++; s.rows%csvFlushRows == 0 {
		s.w.Flush()
		s.c.Writer.Flush()
	}
	return s.w.Error()
}

func (s *csvSheet) close() error {
	s.w.Flush()
	return s.w.Error()
}

func (s *csvSheet) release() {}

func cell(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// xlsxSheet writes through excelize's stream writer, which keeps the
// sheet's XML in memory up to excelize.StreamChunkSize (16 MiB) and in a
// temporary file past that; close zips the workbook straight into the
// response (SetZipWriter), not into a buffer of the whole file.
type xlsxSheet struct {
	c    *gin.Context
	f    *excelize.File
	sw   *excelize.StreamWriter
	line int
}

func (s *xlsxSheet) begin(meta, headers []string) error {
	s.f = excelize.NewFile()
	sw, err := s.f.NewStreamWriter("Sheet1")
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	s.sw = sw
	for _, m := range meta {
		if err := s.row([]any{m}); err != nil {
			return err
		}
	}
	hdr := make([]any, len(headers))
	for i, h := range headers {
		hdr[i] = h
	}
	return s.row(hdr)
}

func (s *xlsxSheet) row(cells []any) error {
	s.line++
	ref, err := excelize.CoordinatesToCellName(1, s.line)
	if err == nil {
		err = s.sw.SetRow(ref, cells)
	}
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func (s *xlsxSheet) release() {
	if s.f != nil {
		_ = s.f.Close() // removes the stream writer's temporary file
	}
}

func (s *xlsxSheet) close() error {
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	s.c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	s.c.Status(http.StatusOK)
	s.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(s.c.Writer) })
	// With the zip writer on the response, the buffer WriteToBuffer
	// returns stays empty.
	if _, err := s.f.WriteToBuffer(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}
