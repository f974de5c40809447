package notifications

import (
	"context"
	"testing"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
)

// Each event users must hear of reaches exactly the users it concerns,
// with a text that names things (company, carrier, material) in both
// languages and a link into the console.
func TestEventsReachTheirRecipients(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		lixia, coA, X, A := h.IDs["lixia"], h.IDs["coA"], h.IDs["X"], h.IDs["A"]
		scope := events.Scope{RegionID: lixia, CarrierID: X}
		appID, promoID, milestoneID, residencyID := events.NewID(), events.NewID(), events.NewID(), events.NewID()
		doc := events.DocumentV1{DocumentID: events.NewID(), RegionID: lixia, CarrierID: X, CompanyID: coA, Type: "business_licence",
			ChecklistID: "application:" + appID, Status: "returned", Version: 1, Comment: "执照已过期，请上传新版"}
		promo := events.PromotionV1{PromotionID: promoID, CompanyID: coA, RegionID: lixia, FromCarrierID: X, FromKind: "incubator", ToCarrierID: A,
			ToKind: "accelerator", Status: "proposed"}
		consented := promo
		consented.Status = "consented"
		declined := promo
		declined.PromotionID, declined.ResidencyID, declined.Status = events.NewID(), residencyID, "declined"
		ms := events.MilestoneV1{MilestoneID: milestoneID, ResidencyID: residencyID, CompanyID: coA, RegionID: lixia, CarrierID: X, TitleZH: "首笔营收",
			TitleEN: "First revenue", Category: "revenue", State: "planned", DueOn: "2026-06-30"}
		verified := doc
		verified.Type, verified.Status, verified.ChecklistID, verified.Comment = "business_plan", "verified", "", ""
		h.Fixture.Publish(
			h.Event(scope, doc.DocumentID, events.DocumentReturnedV1{DocumentV1: doc}),
			h.Event(scope, verified.DocumentID, events.DocumentVerifiedV1{DocumentV1: verified}),
			h.Event(scope, appID, events.ApplicationDecidedV1{ApplicationV1: events.ApplicationV1{ApplicationID: appID, CompanyID: coA, CarrierID: X,
				RegionID: lixia, Status: "decided"}, Decision: "admitted", Reason: "评审通过"}),
			h.Event(scope, promoID, events.PromotionProposedV1{PromotionV1: promo}),
			h.Event(scope, promoID, events.PromotionConsentedV1{PromotionV1: consented}),
			h.Event(scope, declined.PromotionID, events.PromotionDeclinedV1{PromotionV1: declined, Reason: "本期场地已满"}),
			h.Event(scope, events.NewID(), events.MetricsReviewedV1{ReportID: events.NewID(), CompanyID: coA, RegionID: lixia, CarrierID: X,
				Period: "2026-Q2", Revision: 1, Decision: "return", Status: "returned", Comment: "研发投入与台账不符"}),
			h.Event(scope, events.NewID(), events.MetricsReviewedV1{ReportID: events.NewID(), CompanyID: coA, RegionID: lixia, CarrierID: X,
				Period: "2026-Q1", Revision: 1, Decision: "accept", Status: "accepted"}),
			h.Event(scope, milestoneID, events.MilestoneDueSoonV1{MilestoneV1: ms, DaysLeft: 5}),
			h.Event(scope, milestoneID, events.MilestoneOverdueV1{MilestoneV1: ms, DaysOverdue: 2}),
		)
		// founder and cofounder: 2 documents, 1 decision, 1 proposal, 1
		// decline, 1 report, 2 milestone = 8 each; staff of X: the overdue
		// one and the decline; staff of A: the consent;
		// 2 (founders) × 8 + 3 (X) × 2 + 1 (A) = 23.
		testkit.Eventually(t, "every notification", func() bool { return h.count("notifications", "kind <> 'role_granted'") == 23 })

		want := map[string]int{"role_granted": 1, "document_returned": 1, "document_verified": 1, "application_decided": 1, "promotion_proposed": 1,
			"promotion_declined": 1, "report_returned": 1, "milestone_due_soon": 1, "milestone_overdue": 1}
		for _, founder := range []string{"founder@lixia.demo", "cofounder@lixia.demo"} {
			if got := h.kinds(founder); !equal(got, want) {
				t.Errorf("%s: kinds %v, want %v", founder, got, want)
			}
		}
		for _, staff := range []string{"parkadmin@lixia.demo", "operator@lixia.demo", "operator2@lixia.demo"} {
			if got := h.kinds(staff); !equal(got, map[string]int{"role_granted": 1, "milestone_overdue": 1, "promotion_declined": 1}) {
				t.Errorf("%s (staff of X): %v", staff, got)
			}
		}
		if got := h.kinds("accel@lixia.demo"); !equal(got, map[string]int{"role_granted": 1, "promotion_consented": 1}) {
			t.Errorf("accel (staff of A): %v", got)
		}
		for _, other := range []string{"founder2@lixia.demo", "founder3@huaiyin.demo", "makeradmin@lixia.demo", "operator@huaiyin.demo", "district@lixia.demo"} {
			if got := h.kinds(other); !equal(got, map[string]int{"role_granted": 1}) {
				t.Errorf("%s is told of another's events: %v", other, got)
			}
		}
		if got := h.kinds("nobody@lixia.demo"); len(got) != 0 {
			t.Errorf("a user without roles: %v", got)
		}

		texts := map[string]inboxItem{}
		for _, n := range h.inbox("founder@lixia.demo", "") {
			texts[n.Kind] = n
		}
		for kind, c := range map[string]struct {
			zh, en []string
			link   string
		}{
			"document_returned":   {[]string{"材料被退回：营业执照", "企业coA", "执照已过期"}, []string{"Material returned: business licence", "Company coA"}, "/company/" + coA + "/applications/" + appID},
			"document_verified":   {[]string{"材料已核验：商业计划书"}, []string{"Material verified: business plan"}, "/company/" + coA + "/documents"},
			"application_decided": {[]string{"入驻申请已录取", "载体X", "评审通过"}, []string{"Application admitted", "Carrier X"}, "/company/" + coA + "/applications/" + appID},
			"promotion_proposed":  {[]string{"晋级待确认", "载体X", "载体A", "企业coA"}, []string{"consent", "Carrier A"}, "/company/" + coA + "/chain"},
			"promotion_declined":  {[]string{"晋级未被接收", "载体A", "企业coA", "本期场地已满"}, []string{"Promotion declined", "Carrier A"}, "/company/" + coA + "/chain"},
			"report_returned":     {[]string{"2026-Q2 报表被退回", "研发投入与台账不符"}, []string{"Report 2026-Q2 returned"}, "/company/" + coA + "/reports/2026-Q2"},
			"milestone_due_soon":  {[]string{"里程碑即将到期：首笔营收", "2026-06-30", "5 天"}, []string{"Milestone due soon: First revenue"}, "/company/" + coA + "/milestones"},
			"milestone_overdue":   {[]string{"里程碑已逾期：首笔营收", "逾期 2 天"}, []string{"Milestone overdue: First revenue"}, "/company/" + coA + "/milestones"},
			"role_granted":        {[]string{"企业coA", "企业成员"}, []string{"company member", "Company coA"}, "/company/" + coA},
		} {
			n := texts[kind]
			if !contains(n.TitleZH+n.BodyZH, c.zh...) || !contains(n.TitleEN+n.BodyEN, c.en...) || n.Link != c.link {
				t.Errorf("%s: %+v, want zh %v en %v link %s", kind, n, c.zh, c.en, c.link)
			}
			for _, id := range []string{coA, X, A, appID} {
				if contains(n.TitleZH+n.BodyZH+n.TitleEN+n.BodyEN, id) {
					t.Errorf("%s names an id: %+v", kind, n)
				}
			}
		}
		var consent inboxItem
		for _, n := range h.inbox("accel@lixia.demo", "&kind=promotion_consented") {
			consent = n
		}
		if !contains(consent.BodyZH, "企业coA", "载体X") || consent.Link != "/carriers/"+A+"/incoming-promotions" {
			t.Errorf("consented, to the receiving carrier: %+v", consent)
		}
		var overdue inboxItem
		for _, n := range h.inbox("operator@lixia.demo", "&kind=milestone_overdue") {
			overdue = n
		}
		if overdue.Link != "/residencies/"+residencyID+"/milestones" {
			t.Errorf("overdue, to the carrier's staff: %+v", overdue)
		}
		// One notification.sent per notification added.
		if got, want := h.sent(), h.count("notifications", ""); got != want {
			t.Errorf("notification.sent in the outbox: %d, notifications %d", got, want)
		}
	})
}

// An event delivered again — past the consumer's own inbox, as after the
// duplicate window or through a new consumer — adds nothing and sends
// nothing: one notification per (event, user).
func TestRedeliveryAddsNothing(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		doc := events.DocumentV1{DocumentID: events.NewID(), RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"], CompanyID: h.IDs["coA"], Type: "rd_ledger",
			Status: "returned", Version: 2, Comment: "缺少签章"}
		ev := h.Event(events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"]}, doc.DocumentID, events.DocumentReturnedV1{DocumentV1: doc})
		h.Fixture.Publish(ev)
		testkit.Eventually(t, "the returned material's notifications", func() bool {
			return h.count("notifications", "source_event_id = ?", ev.ID) == 2
		})
		before, sentBefore := h.count("notifications", ""), h.sent()
		for range 2 {
			err := h.svc.store.Write(context.Background(), func(ctx context.Context, tx app.Tx) error { return h.svc.deliver.Handle(ctx, tx, ev) })
			if err != nil {
				t.Fatal(err)
			}
		}
		// And in a consumer's own transaction, as a redelivery would be.
		tx, err := h.svc.DB.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.svc.deliver.Handle(context.Background(), h.svc.store.In(tx), ev); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if after, sentAfter := h.count("notifications", ""), h.sent(); after != before || sentAfter != sentBefore {
			t.Errorf("redelivery: notifications %d → %d, notification.sent %d → %d", before, after, sentBefore, sentAfter)
		}
		if got := h.kinds("founder@lixia.demo")["document_returned"]; got != 1 {
			t.Errorf("founder's returned-material notifications: %d, want 1", got)
		}
	})
}

// A revoked role no longer brings notifications.
func TestRevokedMemberHearsNoMore(t *testing.T) {
	h := newHarness(t, "sqlite")
	a := events.RoleAssignmentV1{UserID: h.Users["cofounder@lixia.demo"], Role: "startup_member", Domain: "company:" + h.IDs["coA"]}
	h.Fixture.Publish(h.Event(events.Scope{}, a.UserID, events.CompanyRoleRevokedV1{RoleAssignmentV1: a}))
	testkit.Eventually(t, "the revocation", func() bool { return h.count("role_assignments", "user_id = ?", a.UserID) == 0 })
	doc := events.DocumentV1{DocumentID: events.NewID(), RegionID: h.IDs["lixia"], CompanyID: h.IDs["coA"], Type: "other", Status: "returned", Version: 1}
	h.Fixture.Publish(h.Event(events.Scope{RegionID: h.IDs["lixia"]}, doc.DocumentID, events.DocumentReturnedV1{DocumentV1: doc}))
	testkit.Eventually(t, "the founder's notification", func() bool { return h.kinds("founder@lixia.demo")["document_returned"] == 1 })
	if got := h.kinds("cofounder@lixia.demo")["document_returned"]; got != 0 {
		t.Errorf("a former member was told: %d", got)
	}
}

func equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
