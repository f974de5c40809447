package incubatees

import (
	"context"
	"fmt"
	"time"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Residency routes in the authorization matrix. A company can be in
// residence at one carrier at a time, so requests that change state get a
// fresh company (of the target's founder) and residency each time.
func init() {
	const readSpec = "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401"
	const manageSpec = "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=403,404,404 anonymous=401,401,401"
	addMatrix("GET /api/v1/residencies/:id", matrixCase{Spec: readSpec,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/residencies/" + h.cachedResidency("get", ti), nil
		}})
	addMatrix("POST /api/v1/residencies/:id/move-in", matrixCase{Spec: manageSpec,
		Prepare: func(h *harness, ti, n int) (string, any) {
			id := h.freshResidency(ti, matrixTargets[ti].Carrier, n, false)
			return "/api/v1/residencies/" + id + "/move-in", map[string]any{"moved_in_on": h.svc.clock.Today().Format(time.DateOnly), "unit": "U-1", "area_m2": 20}
		}})
	addMatrix("POST /api/v1/residencies/:id/graduate", matrixCase{Spec: manageSpec,
		Prepare: func(h *harness, ti, n int) (string, any) {
			id := h.freshResidency(ti, matrixTargets[ti].Carrier, n, true)
			return "/api/v1/residencies/" + id + "/graduate", map[string]any{"reason": "financing", "on": h.svc.clock.Today().Format(time.DateOnly)}
		}})
	addMatrix("POST /api/v1/residencies/:id/exit", matrixCase{Spec: manageSpec,
		Prepare: func(h *harness, ti, n int) (string, any) {
			id := h.freshResidency(ti, matrixTargets[ti].Carrier, n, true)
			return "/api/v1/residencies/" + id + "/exit", map[string]any{"reason": "搬离", "on": h.svc.clock.Today().Format(time.DateOnly)}
		}})
	// X is a science park (top of the chain): proposals from it are refused
	// as not higher (422) to whoever may propose; M proposes to I; H's
	// proposal names a carrier of another region (422).
	// Who may propose a promotion may list where to.
	addMatrix("GET /api/v1/residencies/:id/promotion/targets", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=403,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/residencies/" + h.freshResidency(ti, matrixTargets[ti].Carrier, n, true) + "/promotion/targets", nil
		}})
	addMatrix("POST /api/v1/residencies/:id/promotions", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=422,201,422 district_admin=403,403,404 district_viewer=403,403,404 park_admin=422,404,404 park_operator=422,404,404 startup_member=403,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			id := h.freshResidency(ti, matrixTargets[ti].Carrier, n, true)
			to := map[int]string{0: h.IDs["A"], 1: h.IDs["I"], 2: h.IDs["I"]}[ti]
			return "/api/v1/residencies/" + id + "/promotions", map[string]any{"to_carrier_id": to, "shared": []string{"milestones"}}
		}})
	// own: a consented promotion from I to X (the caller's carrier is the
	// target); foreign_carrier: a proposal from M to I; foreign_region: a
	// residency at H without any promotion.
	addMatrix("GET /api/v1/residencies/:id/promotion", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,404 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			id := h.matrixOnce(fmt.Sprintf("res:promotion:%d", ti), func() string { return h.promotionFixture(ti, n, ti == 0) })
			return "/api/v1/residencies/" + id + "/promotion", nil
		}})
	// Only the company's admin consents; the target carrier's staff do not
	// see a proposal before consent.
	addMatrix("POST /api/v1/residencies/:id/promotion/consent", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=403,403,403 district_admin=403,403,404 district_viewer=403,403,404 park_admin=404,404,404 park_operator=404,404,404 startup_member=200,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/residencies/" + h.promotionFixture(ti, n, false) + "/promotion/consent", nil
		}})
	addMatrix("POST /api/v1/residencies/:id/promotion/accept", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,404 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=403,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/residencies/" + h.promotionFixture(ti, n, true) + "/promotion/accept", nil
		}})
	// Declining is the target carrier's staff's, like accepting: the
	// sending carrier's staff and the company are refused (403), everyone
	// who may not see the promotion meets 404.
	addMatrix("POST /api/v1/residencies/:id/promotion/decline", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,404 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=403,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/residencies/" + h.promotionFixture(ti, n, true) + "/promotion/decline", map[string]any{"reason": "本期场地已满"}
		}})
	addMatrix("GET /api/v1/carriers/:id/residencies", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"})
	addMatrix("GET /api/v1/regions/:id/residencies", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 anonymous=401,401,401"})
	addMatrix("GET /api/v1/companies/:id/chain", matrixCase{Spec: readSpec})
	// Carrier staff read their region's rule packs (both lixia targets).
	addMatrix("GET /api/v1/regions/:id/rule-packs", matrixCase{
		Spec: "all=404,404,404 stranger_park=200,200,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,200,404 park_operator=200,200,404 anonymous=401,401,401"})
	addMatrix("POST /api/v1/regions/:id/rule-packs", matrixCase{
		Spec: "all=404,404,404 stranger_park=403,403,404 platform_admin=201,201,201 district_admin=201,201,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/regions/" + h.IDs[matrixTargets[ti].Region] + "/rule-packs", map[string]any{"name": fmt.Sprintf("规则 %d", n),
				"entry_age_months": 24, "term_months": 48, "industry_terms": map[string]int{"C39": 60}, "cadence": "quarterly"}
		}})
}

var matrixFounders = []string{"founder@lixia.demo", "founder2@lixia.demo", "founder3@huaiyin.demo"}

// freshCompany registers a team in target ti's region, its founder as admin.
func (h *harness) freshCompany(ti, n int) string {
	h.T.Helper()
	c, err := h.svc.cq.Commands.RegisterCompany.Handle(context.Background(), command.RegisterCompany{Actor: app.Actor{UserID: h.Users[matrixFounders[ti]]},
		RegionID: h.IDs[matrixTargets[ti].Region], Fields: domain.CompanyFields{NameZH: fmt.Sprintf("矩阵团队%d", n), IndustryCode: "I65"}})
	if err != nil {
		h.T.Fatalf("register: %v", err)
	}
	return c.ID
}

// freshResidency opens a residency of a fresh company of target ti at the
// carrier with fixture key carrier, moved in today when movedIn.
func (h *harness) freshResidency(ti int, carrier string, n int, movedIn bool) string {
	h.T.Helper()
	in := app.OfferEnrolmentInput{CompanyID: h.freshCompany(ti, n)}
	if movedIn {
		in.MoveIn = &domain.MoveInFacts{On: h.svc.clock.Today(), Unit: "U-1", AreaM2: 30}
	}
	return h.mustEnrol("admin@incuchain.demo", h.IDs[carrier], in).ID()
}

func (h *harness) cachedResidency(what string, ti int) string {
	return h.matrixOnce(fmt.Sprintf("res:%s:%d", what, ti), func() string {
		return h.freshResidency(ti, matrixTargets[ti].Carrier, 1000+ti, true)
	})
}

// matrixOnce is the id fresh makes the first time key is asked for, kept
// in h.IDs for the matrix's later requests: a fixture shared by every
// role's request to a route.
func (h *harness) matrixOnce(key string, fresh func() string) string {
	if h.IDs[key] == "" {
		h.IDs[key] = fresh()
	}
	return h.IDs[key]
}

// promotionFixture returns a residency with a promotion for target ti:
// own, from I up to X (the matrix staff's carrier); foreign_carrier, from
// M to I; foreign_region, a residency at H with none (its region has no
// higher carrier). consented also records the company's consent.
func (h *harness) promotionFixture(ti, n int, consented bool) string {
	h.T.Helper()
	ctx := context.Background()
	from, to := map[int]string{0: "I", 1: "M", 2: "H"}[ti], map[int]string{0: "X", 1: "I"}[ti]
	id := h.freshResidency(ti, from, n, true)
	if to == "" {
		return id
	}
	if _, err := h.svc.cq.Commands.ProposePromotion.Handle(ctx, command.ProposePromotion{Actor: app.Actor{UserID: h.Users["admin@incuchain.demo"]},
		ResidencyID: id, ToCarrierID: h.IDs[to], Shared: []string{"milestones"}}); err != nil {
		h.T.Fatalf("propose: %v", err)
	}
	if consented {
		if _, err := h.svc.cq.Commands.ConsentPromotion.Handle(ctx, command.ConsentPromotion{Actor: app.Actor{UserID: h.Users[matrixFounders[ti]]}, ResidencyID: id}); err != nil {
			h.T.Fatalf("consent: %v", err)
		}
	}
	return id
}

// The receiving carrier's inbox: its staff and district read it (the
// default prepare names the target's carrier: X, M, H); no one else.
func init() {
	const inboxSpec = "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"
	addMatrix("GET /api/v1/carriers/:id/incoming-promotions", matrixCase{Spec: inboxSpec})
	addMatrix("GET /api/v1/carriers/:id/incoming-promotions/count", matrixCase{Spec: inboxSpec})
}
