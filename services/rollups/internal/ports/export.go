package ports

import (
	"encoding/csv"
	"fmt"
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

// sheet is one exported table: its title, column headers (Chinese, with
// the unit where there is one) and rows of cells.
type sheet struct {
	title   string
	headers []string
	rows    [][]any
}

// Tables that can be exported.
var exportTables = []string{"carriers", "residencies", "funnel", "ladder", "reports", "health", "conflicts"}

func (h *HTTP) sheet(c *gin.Context, table string) (sheet, error) {
	ctx, req := c.Request.Context(), request(c)
	switch table {
	case "carriers":
		rs, err := h.q.CarrierRows(ctx, req)
		return sheetOf("载体", []string{"载体", "类型", "状态", "容量（家）", "面积（平方米）", "已用面积（平方米）", "在孵企业（家）"}, rs, err,
			func(r app.CarrierRow) []any {
				return []any{r.NameZH, r.Kind, r.Status, r.Capacity, r.AreaM2, r.AreaUsedM2, r.Residents}
			})
	case "residencies":
		measure := c.DefaultQuery("measure", query.InResidence)
		rs, err := h.q.ResidencyRows(ctx, req, measure)
		return sheetOf("在孵企业（"+measure+"）", []string{"企业", "统一社会信用代码", "行业门类", "载体", "载体类型", "状态", "入孵日期", "入驻日期", "结束日期", "期满日期", "晋级至载体"}, rs, err,
			func(r app.ResidencyRow) []any {
				return []any{r.CompanyName, r.USCC, r.Industry, r.CarrierName, r.CarrierKind, r.Status, r.AdmittedOn, r.MovedInOn, r.EndedOn, r.TermEndOn, r.PromotedToCarrierID}
			})
	case "funnel":
		step := c.DefaultQuery("step", "maker_space")
		rs, err := h.q.FunnelRows(ctx, req, step)
		return sheetOf("孵化链（"+step+"）", []string{"企业", "统一社会信用代码", "载体", "进入日期", "距上一步（月）"}, rs, err,
			func(r query.FunnelRow) []any {
				return []any{r.CompanyName, r.USCC, r.CarrierName, r.EnteredOn, r.MonthsFromPrevious}
			})
	case "ladder":
		step := c.DefaultQuery("step", "tech_sme")
		rs, err := h.q.LadderRows(ctx, req, step, c.Query("measure"))
		return sheetOf("梯次培育（"+step+"）", []string{"企业", "统一社会信用代码", "梯次", "认定日期", "有效期至", "证书编号"}, rs, err,
			func(r app.LadderRow) []any {
				return []any{r.CompanyName, r.USCC, r.Step, r.StepOn, r.ExpiryOn, r.CertificateNo}
			})
	case "reports":
		rs, err := h.q.ReportRows(ctx, req)
		return sheetOf("统计报表", []string{"企业", "统一社会信用代码", "报告期", "修订号", "研究开发费用（千元）", "总收入（千元）", "实际上缴税费（千元）",
			"从业人员（人）", "知识产权申请数（件）", "知识产权授权数（件）", "获得投融资金额（千元）"}, rs, err,
			func(r query.ReportLine) []any {
				f := r.Figures
				return []any{r.CompanyName, r.USCC, r.Period, r.Revision, f.RDExpenditure, f.Revenue, f.TaxesPaid, f.EmployeesTotal, f.IPFiled, f.IPGranted, f.FinancingAmount}
			})
	case "health":
		rs, err := h.q.HealthRows(ctx, req)
		return sheetOf("填报情况", []string{"载体", "企业", "统一社会信用代码", "报表状态", "修订号", "逾期"}, rs, err,
			func(r query.HealthRow) []any {
				overdue := "否"
				if r.Overdue {
					overdue = "是"
				}
				return []any{r.CarrierName, r.CompanyName, r.USCC, r.Status, r.Revision, overdue}
			})
	case "conflicts":
		rs, err := h.q.Conflicts(ctx, req)
		return sheetOf("重复在孵", []string{"企业", "统一社会信用代码", "同时在孵的载体"}, rs, err,
			func(r query.Conflict) []any {
				names := make([]string, len(r.Carriers))
				for i, c := range r.Carriers {
					names[i] = c.CarrierName
				}
				return []any{r.CompanyName, r.USCC, strings.Join(names, "、")}
			})
	}
	return sheet{}, apperr.NewValidation("invalid-filter").Add("table", "one_of", "allowed", strings.Join(exportTables, ", ")).Err()
}

func sheetOf[T any](title string, headers []string, rows []T, err error, cells func(T) []any) (sheet, error) {
	if err != nil {
		return sheet{}, err
	}
	s := sheet{title: title, headers: headers, rows: make([][]any, len(rows))}
	for i, r := range rows {
		s.rows[i] = cells(r)
	}
	return s, nil
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
	table := c.Query("table")
	s, err := h.sheet(c, table)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	name := "rollups-" + table + "." + format
	c.Header("Content-Disposition", "attachment; filename="+name+"; filename*=UTF-8''"+url.PathEscape(s.title+"."+format))
	meta := []string{s.title, filterLine(c), "单位：金额为千元，人数为人，知识产权为件", "区域：" + c.Param("id")}
	if format == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Status(http.StatusOK)
		_, _ = c.Writer.Write([]byte("\ufeff")) // Excel reads UTF-8 CSV by its BOM
		w := csv.NewWriter(c.Writer)
		for _, m := range meta {
			_ = w.Write([]string{m})
		}
		_ = w.Write(s.headers)
		for i, r := range s.rows {
			line := make([]string, len(r))
			for j, v := range r {
				line[j] = cell(v)
			}
			_ = w.Write(line)
			if i%500 == 499 {
				w.Flush()
			}
		}
		w.Flush()
		return
	}
	if err := writeXLSX(c, s, meta); err != nil {
		httpx.Error(c, err)
	}
}

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

// writeXLSX streams the sheet through excelize's stream writer: the
// title, filters and units first, then the Chinese headers and the rows.
func writeXLSX(c *gin.Context, s sheet, meta []string) error {
	f := excelize.NewFile()
	defer f.Close()
	const name = "Sheet1"
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	row := 1
	put := func(cells []any) error {
		ref, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		row++
		return sw.SetRow(ref, cells)
	}
	for _, m := range meta {
		if err := put([]any{m}); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	hdr := make([]any, len(s.headers))
	for i, h := range s.headers {
		hdr[i] = h
	}
	if err := put(hdr); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for _, r := range s.rows {
		if err := put(r); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Status(http.StatusOK)
	_, err = f.WriteTo(c.Writer)
	return err
}
