// Package ports is the rollups service's HTTP API (/api/v1/regions/:id/rollups/…)
// and its event consumers.
package ports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/app/command"
	"github.com/incuchain/incuchain/services/rollups/internal/app/query"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// HTTP serves the figures and the snapshots.
type HTTP struct {
	q       query.Figures
	freeze  command.FreezeSnapshotHandler
	rebuild command.RebuildHandler
}

// Mount registers every route on r and returns the OpenAPI document built
// from the same table.
func Mount(r gin.IRouter, q query.Figures, freeze command.FreezeSnapshotHandler, rebuild command.RebuildHandler) *httpx.OpenAPI {
	h := &HTTP{q: q, freeze: freeze, rebuild: rebuild}
	doc := httpx.MountAPI(r, "Incuchain rollups", h.routes()...)
	documentFilters(doc)
	return doc
}

// documentFilters adds to every operation the query parameters it reads
// and, to those answered with an ETag, the 304 of a matching If-None-Match.
func documentFilters(doc *httpx.OpenAPI) {
	str := map[string]any{"type": "string"}
	filters := []string{"carrier_kind", "carrier_id", "industry", "period", "as_of"}
	extra := map[string][]string{"/residencies/rows": {"measure"}, "/funnel/rows": {"step"}, "/ladder/rows": {"step", "measure"}, "/milestones/rows": {"measure"},
		"/export": {"table", "format", "measure", "step"}}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			var params []string
			switch {
			case strings.Contains(path, "/snapshots/diff"):
				params = []string{"period"}
			case strings.Contains(path, "/snapshots") || !strings.Contains(path, "/rollups/"):
			default:
				params = filters
				for suffix, ps := range extra {
					if strings.HasSuffix(path, suffix) {
						params = append(slices.Clone(params), ps...)
					}
				}
			}
			for _, q := range params {
				op.Parameters = append(op.Parameters, map[string]any{"name": q, "in": "query", "schema": str})
			}
			if method == "get" && !strings.HasSuffix(path, "/export") {
				op.Parameters = append(op.Parameters, map[string]any{"name": "If-None-Match", "in": "header", "schema": str})
				op.Responses["304"] = map[string]any{"description": "Not modified: the caller's ETag (If-None-Match) is current"}
			}
			ops[method] = op
		}
	}
}

const base = "/api/v1/regions/:id/rollups"

// filters is what every figure takes in its query string.
const filters = "filters: carrier_kind, carrier_id, industry (GB/T 4754 section), period (2026-Q3 | 2026 | 2026-07) or as_of (YYYY-MM-DD)"

func (h *HTTP) routes() []httpx.Endpoint {
	return httpx.Tagged("rollups 统计汇总",
		httpx.GET(base+"/carriers", figure(h.q.Carriers)).Doc("载体：按类型与状态，容量、面积与已用面积 / Carriers by kind and status with capacity, area and area used; "+filters).Returns(query.CarriersFigure{}),
		httpx.GET(base+"/carriers/rows", rows(h.q.CarrierRows)).Doc("载体明细 / The carriers behind the figure").Lists(app.CarrierRow{}),
		httpx.GET(base+"/residencies", figure(h.q.Flows)).Doc("在孵企业流转：在孵、入孵、入驻、毕业、退出、晋级 / Residency flows of the period, each company once; "+filters).Returns(query.FlowsFigure{}),
		httpx.GET(base+"/residencies/rows", h.residencyRows).Doc("在孵流转明细（measure: in_residence | admitted | moved_in | graduated | exited | promoted | past_term） / The residencies behind one measure").Lists(app.ResidencyRow{}),
		httpx.GET(base+"/funnel", figure(h.q.Funnel)).Doc("孵化链漏斗：众创空间→孵化器→加速器→园区，及每步月数中位数 / The chain funnel with median months per step; "+filters).Returns(query.FunnelFigure{}),
		httpx.GET(base+"/funnel/rows", h.funnelRows).Doc("漏斗明细（step: maker_space | incubator | accelerator | science_park） / The companies that reached a step").Lists(query.FunnelRow{}),
		httpx.GET(base+"/ladder", figure(h.q.Ladder)).Doc("梯次培育：各梯次企业数、本期新增、90 天内到期 / The cultivation ladder; "+filters).Returns(query.LadderFigure{}),
		httpx.GET(base+"/ladder/rows", h.ladderRows).Doc("梯次明细（step: tech_sme | high_tech | leading; measure: holding | new | expiring） / The verified steps behind a rung").Lists(app.LadderRow{}),
		httpx.GET(base+"/reports", figure(h.q.Reports)).Doc("统计报表汇总（千元，取最新已通过修订）及研发投入前十 / Report sums from each report's latest accepted revision (千元) and the top R&D spenders; "+filters).Returns(query.ReportsFigure{}),
		httpx.GET(base+"/reports/rows", rows(h.q.ReportRows)).Doc("报表明细：企业、载体、修订号 / The report revisions behind the sums").Lists(query.ReportLine{}),
		httpx.GET(base+"/health", figure(h.q.Health)).Doc("填报健康度：应报、已报、已通过、逾期，待审材料 / Reporting health per carrier; "+filters).Returns(query.HealthFigure{}),
		httpx.GET(base+"/health/rows", rows(h.q.HealthRows)).Doc("填报明细：各在孵企业的报表状态 / Each resident company's reporting").Lists(query.HealthRow{}),
		httpx.GET(base+"/milestones", figure(h.q.Milestones)).Doc("里程碑：本期到期的计划、应完成、已核验、逾期、已豁免 / Milestones due in the period per carrier: planned, due, verified, overdue, waived; "+filters).Returns(query.MilestonesFigure{}),
		httpx.GET(base+"/milestones/rows", h.milestoneRows).Doc("里程碑明细（measure: planned | due | verified | overdue | waived） / The milestones behind one measure").Lists(app.MilestoneRow{}),
		httpx.GET(base+"/conflicts", rows(h.q.Conflicts)).Doc("重复在孵：同一信用代码同时在两个载体 / Companies resident at two carriers at once (counted once in region totals)").Lists(query.Conflict{}),
		httpx.POST(base+"/snapshots", h.freezeSnapshot).Doc("冻结某期统计（区管理员）：以“2026-Q3 报送口径”留存 / Freeze a quarter's or year's figures as filed (district admin)").Takes(SnapshotInput{}).Creates(app.SnapshotRecord{}),
		httpx.GET(base+"/snapshots", h.listSnapshots).Doc("已冻结的期间 / The region's frozen periods").Lists(app.SnapshotRecord{}),
		httpx.GET(base+"/snapshots/diff", h.snapshotDiff).Doc("冻结口径与当前数字的差异（period 必填） / A frozen period against its figures now (period required)").Returns(query.SnapshotDiff{}),
		httpx.POST("/api/v1/rollups-maintenance/rebuild", h.rebuildAll).RawAnswer().Doc("重建统计读模型（平台管理员），逐批返回进度（NDJSON） / Rebuild the read models from the streams (platform admin), progress streamed as NDJSON"),
		httpx.GET(base+"/export", h.export).RawAnswer().Doc("导出（table: carriers | residencies | funnel | ladder | reports | health | conflicts; format: xlsx | csv），流式 / Export a table as xlsx or CSV, streamed"),
	)
}

func actor(c *gin.Context) app.Actor { return app.Actor{UserID: authn.UserID(c)} }

// request reads the caller, the region and the filters.
func request(c *gin.Context) query.Request {
	return query.Request{Actor: actor(c), RegionID: c.Param("id"), Filter: filterInput(c)}
}

// figure answers a figure, with an ETag.
func figure[T any](get func(ctx context.Context, req query.Request) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := get(c.Request.Context(), request(c))
		if err != nil {
			httpx.Error(c, err)
			return
		}
		respondTagged(c, v)
	}
}

// rows answers the rows behind a figure, a page at a time, with an ETag.
func rows[T any](get func(ctx context.Context, req query.Request) ([]T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		page(c, func(req query.Request) ([]T, error) { return get(c.Request.Context(), req) })
	}
}

func page[T any](c *gin.Context, get func(req query.Request) ([]T, error)) {
	p, err := httpx.ParseList(c)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	items, err := get(request(c))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	items = search(items, p.Q)
	respondTagged(c, httpx.NewPage(slicePage(items, p), len(items), p))
}

func slicePage[T any](items []T, p list.Params) []T {
	from := min(p.Offset(), len(items))
	return items[from:min(from+p.PageSize, len(items))]
}

// search keeps the rows whose JSON mentions q (a company's or carrier's
// name, a USCC), case-insensitively.
func search[T any](items []T, q string) []T {
	if q == "" {
		return items
	}
	q = strings.ToLower(q)
	out := items[:0:0]
	for _, it := range items {
		b, _ := json.Marshal(it)
		if strings.Contains(strings.ToLower(string(b)), q) {
			out = append(out, it)
		}
	}
	return out
}

// respondTagged writes v as JSON with a strong ETag of its bytes, or 304
// when the caller already holds them (If-None-Match).
func respondTagged(c *gin.Context, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	for _, t := range strings.Split(c.GetHeader("If-None-Match"), ",") {
		if t = strings.TrimSpace(t); t == etag || t == "W/"+etag || t == "*" {
			c.Status(http.StatusNotModified)
			return
		}
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

func filterInput(c *gin.Context) domain.FilterInput {
	return domain.FilterInput{CarrierKind: c.Query("carrier_kind"), CarrierID: c.Query("carrier_id"), Industry: c.Query("industry"),
		Period: c.Query("period"), AsOf: c.Query("as_of")}
}

func (h *HTTP) residencyRows(c *gin.Context) {
	page(c, func(req query.Request) ([]app.ResidencyRow, error) {
		return h.q.ResidencyRows(c.Request.Context(), req, c.Query("measure"))
	})
}

func (h *HTTP) funnelRows(c *gin.Context) {
	page(c, func(req query.Request) ([]query.FunnelRow, error) {
		return h.q.FunnelRows(c.Request.Context(), req, c.Query("step"))
	})
}

func (h *HTTP) milestoneRows(c *gin.Context) {
	page(c, func(req query.Request) ([]app.MilestoneRow, error) {
		return h.q.MilestoneRows(c.Request.Context(), req, c.Query("measure"))
	})
}

func (h *HTTP) ladderRows(c *gin.Context) {
	page(c, func(req query.Request) ([]app.LadderRow, error) {
		return h.q.LadderRows(c.Request.Context(), req, c.Query("step"), c.Query("measure"))
	})
}

// SnapshotInput names the period to freeze.
type SnapshotInput struct {
	Period string `json:"period"` // 2026-Q3 or 2026
}

func (h *HTTP) freezeSnapshot(c *gin.Context) {
	httpx.BindRespond(c, http.StatusCreated, func(in SnapshotInput) (app.SnapshotRecord, error) {
		return h.freeze.Handle(c.Request.Context(), command.FreezeSnapshot{Actor: actor(c), RegionID: c.Param("id"), Period: in.Period})
	}, func(s app.SnapshotRecord) app.SnapshotRecord { return s })
}

func (h *HTTP) listSnapshots(c *gin.Context) {
	page(c, func(req query.Request) ([]app.SnapshotRecord, error) {
		return h.q.ListSnapshots(c.Request.Context(), req.Actor, req.RegionID)
	})
}

func (h *HTTP) snapshotDiff(c *gin.Context) {
	d, err := h.q.Diff(c.Request.Context(), actor(c), c.Param("id"), c.Query("period"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	respondTagged(c, d)
}

// rebuildAll streams the rebuild's progress, one JSON line per batch and
// a last line {"done": true} (or {"error": …} when it failed midway).
func (h *HTTP) rebuildAll(c *gin.Context) {
	cmd := command.Rebuild{Actor: actor(c)}
	if err := h.rebuild.Allowed(cmd); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Header("Content-Type", "application/x-ndjson")
	c.Status(http.StatusOK)
	enc := json.NewEncoder(c.Writer)
	err := h.rebuild.Handle(c.Request.Context(), cmd, func(p app.RebuildProgress) {
		_ = enc.Encode(p)
		c.Writer.Flush()
	})
	if err != nil {
		_ = enc.Encode(map[string]string{"error": err.Error()})
		return
	}
	_ = enc.Encode(map[string]bool{"done": true})
}
