package rollups

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
)

// incubateesSchema is the incubatees service's own migration set, read
// from its directory (rollups does not depend on that module): the
// baseline's tables are the source tables as they are in production.
var incubateesSchema = db.Migrations{Component: "incubatees", FS: os.DirFS("../incubatees/migrations")}

// sourceWriter writes the same history into the incubatees service's own
// tables (parks' carriers as incubatees keeps them), the state each event
// leaves, in transactions of many rows: the GROUP BY baseline's data.
type sourceWriter struct {
	db   *bun.DB
	tx   bun.Tx
	open bool
	rows int
	at   time.Time
}

func newSourceWriter(bdb *bun.DB) *sourceWriter {
	return &sourceWriter{db: bdb, at: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (w *sourceWriter) exec(ctx context.Context, q string, args ...any) error {
	if !w.open {
		tx, err := w.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("source rows: %w", err)
		}
		w.tx, w.open = tx, true
	}
	if _, err := w.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("source rows: %w", err)
	}
	w.rows++
	if w.rows%5000 == 0 {
		return w.Flush()
	}
	return nil
}

// Flush commits the rows written so far.
func (w *sourceWriter) Flush() error {
	if !w.open {
		return nil
	}
	w.open = false
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("source rows: %w", err)
	}
	return nil
}

// Apply writes the state ev leaves in the source tables.
func (w *sourceWriter) Apply(ctx context.Context, ev events.Envelope) error {
	switch ev.Type {
	case events.RegionCreated:
		var p events.RegionCreatedV1
		if err := ev.Decode(&p); err != nil {
			return err
		}
		return w.exec(ctx, "INSERT INTO regions (id, code, name_zh) VALUES (?, ?, ?)", p.RegionID, p.Code, p.NameZH)
	case events.CarrierCreated:
		var p events.CarrierV1
		if err := ev.Decode(&p); err != nil {
			return err
		}
		return w.exec(ctx, "INSERT INTO carriers (id, region_id, kind, chain_order, name_zh, status) VALUES (?, ?, ?, ?, ?, ?)",
			p.CarrierID, p.RegionID, p.Kind, p.ChainOrder, p.NameZH, p.Status)
	case events.CompanyRegistered:
		var p events.CompanyV1
		if err := ev.Decode(&p); err != nil {
			return err
		}
		return w.exec(ctx, `INSERT INTO companies (id, region_id, uscc, name_zh, industry_code, founder_type, founder_gender, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'researcher', 'unknown', 'bench', ?, ?)`, p.CompanyID, p.RegionID, nullable(p.USCC), p.NameZH, p.IndustryCode, w.at, w.at)
	case events.ResidencyAdmitted, events.ResidencyMovedIn, events.ResidencyGraduated, events.ResidencyExited, events.ResidencyPromoted:
		var p events.ResidencyV1
		if err := ev.Decode(&p); err != nil {
			return err
		}
		return w.exec(ctx, `INSERT INTO residencies (id, company_id, carrier_id, region_id, status, admitted_on, moved_in_on, area_m2, term_end_on,
			ended_on, end_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET status = excluded.status, moved_in_on = excluded.moved_in_on, ended_on = excluded.ended_on,
			end_reason = excluded.end_reason, updated_at = excluded.updated_at`,
			p.ResidencyID, p.CompanyID, p.CarrierID, p.RegionID, p.Status, p.AdmittedOn, nullable(p.MovedInOn), p.AreaM2, nullable(p.TermEndOn),
			nullable(p.EndedOn), map[bool]string{true: p.Status}[p.EndedOn != ""], w.at, w.at)
	case events.MetricsReported, events.MetricsRevised:
		var p events.MetricsV1
		if err := ev.Decode(&p); err != nil {
			return err
		}
		end := map[string]string{}
		for i, q := range benchQuarters {
			end[q] = day(quarterStart(i+1).AddDate(0, 0, -1))
		}
		if err := w.exec(ctx, `INSERT INTO metric_reports (id, company_id, region_id, period, cadence, period_end, status, revision, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET status = 'submitted', revision = excluded.revision, updated_at = excluded.updated_at`,
			p.ReportID, p.CompanyID, p.RegionID, p.Period, p.Cadence, end[p.Period], p.Revision, w.at, w.at); err != nil {
			return err
		}
		values, err := json.Marshal(p.Metrics)
		if err != nil {
			return err
		}
		return w.exec(ctx, `INSERT INTO metric_report_revisions (report_id, revision, metrics, submitted, created_by, created_at) VALUES (?, ?, ?, ?, 'bench', ?)`,
			p.ReportID, p.Revision, string(values), true, w.at)
	case events.MetricsReviewed:
		var p events.MetricsReviewedV1
		if err := ev.Decode(&p); err != nil {
			return err
		}
		return w.exec(ctx, "UPDATE metric_reports SET status = ?, reviewed_by = 'bench', reviewed_at = ? WHERE id = ? AND revision = ?",
			p.Status, w.at, p.ReportID, p.Revision)
	case events.LadderStepRecorded, events.LadderStepVerified:
		var p events.LadderStepV1
		if err := ev.Decode(&p); err != nil {
			return err
		}
		rank := map[string]int{"team_or_result": 1, "startup": 2, "tech_sme": 3, "high_tech": 4, "leading": 5}[p.Step]
		return w.exec(ctx, `INSERT INTO ladder_steps (id, company_id, step, step_rank, certificate_no, step_date, expires_on, status, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status`,
			p.EntryID, p.CompanyID, p.Step, rank, p.CertificateNo, p.Date, nullable(p.Expiry), p.Status, w.at)
	}
	return fmt.Errorf("source rows: no table for %s", ev.Type)
}

// benchFigures are the figures both ways compute: residents per carrier
// kind, the residency flows of the window (companies counted once), the
// report sums of each report's latest accepted revision, and the ladder.
type benchFigures struct {
	Residents       map[string]int
	Flows           map[string]int
	Reports         int
	ReportCompanies int
	RDExpenditure   int64 // 元
	Revenue         int64 // 元
	LadderHolding   map[string]int
	LadderNew       map[string]int
}

// companyKeySQL is a company counted once: by USCC, or by id before one.
const companyKeySQL = "COALESCE(co.uscc, co.id)"

// baselineQueries compute benchFigures by one GROUP BY (or aggregate)
// query each over the incubatees service's own tables.
type baselineQueries struct {
	db          *bun.DB
	region      string
	from, to    string
	metricValue func(key string) string
}

func newBaseline(bdb *bun.DB, region, from, to string) baselineQueries {
	mv := func(key string) string { return "CAST(json_extract(v.metrics, '$." + key + "') AS INTEGER)" }
	if db.IsPostgres(bdb) {
		mv = func(key string) string { return "((v.metrics::jsonb ->> '" + key + "')::bigint)" }
	}
	return baselineQueries{db: bdb, region: region, from: from, to: to, metricValue: mv}
}

// Residents: residents per carrier kind at the window's end.
func (q baselineQueries) Residents(ctx context.Context, out *benchFigures) error {
	var rows []struct {
		Kind      string `bun:"kind"`
		Residents int    `bun:"residents"`
	}
	err := q.db.NewRaw(`SELECT c.kind, COUNT(r.id) AS residents FROM carriers c
		LEFT JOIN residencies r ON r.carrier_id = c.id AND r.moved_in_on IS NOT NULL AND r.moved_in_on <= ? AND (r.ended_on IS NULL OR r.ended_on > ?)
		WHERE c.region_id = ? GROUP BY c.kind`, q.to, q.to, q.region).Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("baseline residents: %w", err)
	}
	out.Residents = map[string]int{}
	for _, r := range rows {
		out.Residents[r.Kind] = r.Residents
	}
	return nil
}

// Flows: companies counted once per measure of the window.
func (q baselineQueries) Flows(ctx context.Context, out *benchFigures) error {
	var r struct {
		InResidence int `bun:"in_residence"`
		Admitted    int `bun:"admitted"`
		MovedIn     int `bun:"moved_in"`
		Graduated   int `bun:"graduated"`
		Exited      int `bun:"exited"`
		Promoted    int `bun:"promoted"`
		PastTerm    int `bun:"past_term"`
	}
	in := "(r.moved_in_on IS NOT NULL AND r.moved_in_on <= ?to AND (r.ended_on IS NULL OR r.ended_on > ?to))"
	ended := func(status string) string {
		return "COUNT(DISTINCT CASE WHEN r.status = '" + status + "' AND r.ended_on >= ?from AND r.ended_on <= ?to THEN " + companyKeySQL + " END)"
	}
	err := q.raw(`SELECT
		COUNT(DISTINCT CASE WHEN `+in+` THEN `+companyKeySQL+` END) AS in_residence,
		COUNT(DISTINCT CASE WHEN r.admitted_on >= ?from AND r.admitted_on <= ?to THEN `+companyKeySQL+` END) AS admitted,
		COUNT(DISTINCT CASE WHEN r.moved_in_on >= ?from AND r.moved_in_on <= ?to THEN `+companyKeySQL+` END) AS moved_in,
		`+ended("graduated")+` AS graduated, `+ended("exited")+` AS exited, `+ended("promoted")+` AS promoted,
		COUNT(DISTINCT CASE WHEN `+in+` AND r.term_end_on < ?to THEN `+companyKeySQL+` END) AS past_term
		FROM residencies r JOIN companies co ON co.id = r.company_id
		WHERE r.region_id = ?region AND r.admitted_on <= ?to`).Scan(ctx, &r)
	if err != nil {
		return fmt.Errorf("baseline flows: %w", err)
	}
	out.Flows = map[string]int{"in_residence": r.InResidence, "admitted": r.Admitted, "moved_in": r.MovedIn, "graduated": r.Graduated,
		"exited": r.Exited, "promoted": r.Promoted, "past_term": r.PastTerm}
	return nil
}

// named turns ?from, ?to and ?region into positional placeholders and
// their arguments, in order.
func (q baselineQueries) named(query string) (string, []any) {
	vals := map[string]string{"from": q.from, "to": q.to, "region": q.region}
	var out strings.Builder
	var args []any
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			j := i + 1
			for j < len(query) && query[j] >= 'a' && query[j] <= 'z' {
				j++
			}
			if v, ok := vals[query[i+1:j]]; ok {
				out.WriteByte('?')
				args = append(args, v)
				i = j - 1
				continue
			}
		}
		out.WriteByte(query[i])
	}
	return out.String(), args
}

func (q baselineQueries) raw(query string) *bun.RawQuery {
	s, args := q.named(query)
	return q.db.NewRaw(s, args...)
}

// Reports: the sums of each report's accepted revision (incubatees keeps
// a report's current revision and status; the history never revises an
// accepted report, so that revision is the latest accepted one).
func (q baselineQueries) Reports(ctx context.Context, out *benchFigures) error {
	var r struct {
		Reports   int   `bun:"reports"`
		Companies int   `bun:"companies"`
		RD        int64 `bun:"rd"`
		Revenue   int64 `bun:"revenue"`
	}
	err := q.raw(`SELECT COUNT(*) AS reports, COUNT(DISTINCT `+companyKeySQL+`) AS companies,
		COALESCE(SUM(`+q.metricValue("rd_expenditure")+`), 0) AS rd, COALESCE(SUM(`+q.metricValue("revenue")+`), 0) AS revenue
		FROM metric_reports m JOIN metric_report_revisions v ON v.report_id = m.id AND v.revision = m.revision
		JOIN companies co ON co.id = m.company_id
		WHERE m.region_id = ?region AND m.status = 'accepted' AND m.period_end >= ?from AND m.period_end <= ?to`).Scan(ctx, &r)
	if err != nil {
		return fmt.Errorf("baseline reports: %w", err)
	}
	out.Reports, out.ReportCompanies, out.RDExpenditure, out.Revenue = r.Reports, r.Companies, r.RD, r.Revenue
	return nil
}

// Ladder: companies holding each verified step at the window's end, and
// those that reached it in the window.
func (q baselineQueries) Ladder(ctx context.Context, out *benchFigures) error {
	var rows []struct {
		Step    string `bun:"step"`
		Holding int    `bun:"holding"`
		New     int    `bun:"new"`
	}
	err := q.raw(`SELECT l.step, COUNT(DISTINCT `+companyKeySQL+`) AS holding,
		COUNT(DISTINCT CASE WHEN l.step_date >= ?from THEN `+companyKeySQL+` END) AS new
		FROM ladder_steps l JOIN companies co ON co.id = l.company_id
		WHERE co.region_id = ?region AND l.status = 'verified' AND l.step_date <= ?to AND (l.expires_on IS NULL OR l.expires_on >= ?to)
		GROUP BY l.step`).Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("baseline ladder: %w", err)
	}
	out.LadderHolding, out.LadderNew = map[string]int{}, map[string]int{}
	for _, r := range rows {
		if r.Holding > 0 {
			out.LadderHolding[r.Step] = r.Holding
		}
		if r.New > 0 {
			out.LadderNew[r.Step] = r.New
		}
	}
	return nil
}
