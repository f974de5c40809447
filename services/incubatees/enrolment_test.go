package incubatees

import (
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
)

// A carrier that has never dealt with a company cannot make it a resident
// on its own: its offer gives it nothing of the company, a decline leaves
// it with nothing, and only the company admin's acceptance opens the
// residency and, with it, the company to the carrier's staff.
func TestDirectEnrolmentNeedsTheCompany(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		const stranger = "stranger@lixia.demo" // park admin of A
		A, coA := h.IDs["A"], h.IDs["coA"]
		company := "/api/v1/companies/" + coA
		reads := []string{company, company + "/members", company + "/chain", company + "/reports", company + "/ladder", company + "/applications", company + "/enrolment-offers"}
		noAccess := func(when string) {
			t.Helper()
			for _, p := range reads {
				if res := h.Do(stranger, "GET", p, nil); res.Status != 404 {
					t.Errorf("%s: GET %s as the stranger park: %d %s", when, p, res.Status, res.Body)
				}
			}
			if res := h.Do(stranger, "PUT", company, companyPutBody("改名")); res.Status != 404 {
				t.Errorf("%s: PUT company as the stranger park: %d %s", when, res.Status, res.Body)
			}
			list := h.mustStatus(h.Do(stranger, "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/companies", nil), 200, "region companies")
			if list["total"] != 0.0 {
				t.Errorf("%s: the stranger park lists %v companies", when, list["total"])
			}
			list = h.mustStatus(h.Do(stranger, "GET", "/api/v1/carriers/"+A+"/residencies", nil), 200, "A's residents")
			if list["total"] != 0.0 {
				t.Errorf("%s: A has %v residents", when, list["total"])
			}
		}
		noAccess("before anything")

		// The old one-sided route is gone.
		if res := h.Do(stranger, "POST", "/api/v1/carriers/"+A+"/residencies", map[string]any{"company_id": coA}); res.Status != 404 && res.Status != 405 {
			t.Fatalf("direct residency: %d %s", res.Status, res.Body)
		}

		// Offer by USCC: pending, and the answer names the company only as the park did.
		res := h.Do(stranger, "POST", "/api/v1/carriers/"+A+"/enrolment-offers", map[string]any{"uscc": "91370102ma3c5t2r03", "note": "贵司已在本园区办公"})
		o := h.mustStatus(res, 201, "offer")
		if o["status"] != "pending" || o["company_ref"] != "91370102MA3C5T2R03" || o["company_id"] != nil || o["company_name"] != nil || o["residency_id"] != nil {
			t.Fatalf("offer answer: %s", res.Body)
		}
		offer := o["id"].(string)
		noAccess("with a pending offer")
		if res := h.Do(stranger, "POST", "/api/v1/carriers/"+A+"/enrolment-offers", map[string]any{"company_id": coA}); res.Status != 409 {
			t.Errorf("second pending offer: %d %s", res.Status, res.Body)
		}
		// Bad offers: field errors, nothing stored.
		for body, field := range map[string]string{`{}`: "company_id", `{"uscc":"91370102MA3C5T2R04"}`: "uscc",
			`{"company_id":"` + h.IDs["coC"] + `"}`: "company_id", `{"company_id":"` + h.IDs["coB"] + `","moved_in_on":"2020-01-01"}`: "unit"} {
			res := h.Do(stranger, "POST", "/api/v1/carriers/"+A+"/enrolment-offers", body)
			if _, f := problemSlug(t, res); res.Status != 422 || f[field] == "" {
				t.Errorf("offer %s: %d %s, want a %s field error", body, res.Status, res.Body, field)
			}
		}
		if n := h.count("enrolment_offers"); n != 1 {
			t.Fatalf("%d offers stored, want 1", n)
		}

		// The company sees it; only its admin answers.
		page := h.mustStatus(h.Do("founder@lixia.demo", "GET", company+"/enrolment-offers?status=pending", nil), 200, "company offers")
		items := page["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["carrier_name"] != "历下科技企业加速器" {
			t.Fatalf("company offers: %v", page)
		}
		h.inviteInvitee(coA)
		h.mustStatus(h.Do("invitee@lixia.demo", "POST", company+"/members/accept", nil), 204, "join coA")
		for as, want := range map[string]int{"invitee@lixia.demo": 403, "founder2@lixia.demo": 404, stranger: 403, "operator@lixia.demo": 404, "": 401} {
			if res := h.Do(as, "POST", "/api/v1/enrolment-offers/"+offer+"/accept", nil); res.Status != want {
				t.Errorf("accept as %q: %d, want %d (%s)", as, res.Status, want, res.Body)
			}
		}
		noAccess("after refused accepts")

		// Declined: still nothing; it cannot be accepted afterwards.
		d := h.mustStatus(h.Do("founder@lixia.demo", "POST", "/api/v1/enrolment-offers/"+offer+"/decline", map[string]any{"reason": "我们不在贵园区"}), 200, "decline")
		if d["status"] != "declined" {
			t.Fatalf("declined: %v", d)
		}
		if res := h.Do("founder@lixia.demo", "POST", "/api/v1/enrolment-offers/"+offer+"/accept", nil); res.Status != 409 {
			t.Errorf("accept after decline: %d %s", res.Status, res.Body)
		}
		noAccess("after the decline")
		if list := h.mustStatus(h.Do(stranger, "GET", "/api/v1/carriers/"+A+"/enrolment-offers", nil), 200, "A's offers"); list["items"].([]any)[0].(map[string]any)["status"] != "declined" {
			t.Errorf("A's offers: %v", list)
		}

		// A withdrawn offer cannot be accepted either.
		w := h.mustStatus(h.Do(stranger, "POST", "/api/v1/carriers/"+A+"/enrolment-offers", map[string]any{"company_id": coA}), 201, "offer again")
		h.mustStatus(h.Do(stranger, "POST", "/api/v1/enrolment-offers/"+w["id"].(string)+"/withdraw", nil), 200, "withdraw")
		if res := h.Do("founder@lixia.demo", "POST", "/api/v1/enrolment-offers/"+w["id"].(string)+"/accept", nil); res.Status != 409 {
			t.Errorf("accept a withdrawn offer: %d %s", res.Status, res.Body)
		}
		noAccess("after the withdrawal")

		// Accepted: the residency opens (moved in, as offered) and the park sees the company.
		res = h.Do(stranger, "POST", "/api/v1/carriers/"+A+"/enrolment-offers", map[string]any{"company_id": coA, "moved_in_on": h.svc.clock.Today().Format("2006-01-02"), "unit": "A-8", "area_m2": 40})
		offer = h.mustStatus(res, 201, "offer with move-in")["id"].(string)
		acc := h.mustStatus(h.Do("founder@lixia.demo", "POST", "/api/v1/enrolment-offers/"+offer+"/accept", nil), 200, "accept")
		rid, _ := acc["residency_id"].(string)
		if acc["status"] != "accepted" || rid == "" {
			t.Fatalf("accepted: %v", acc)
		}
		r := h.mustStatus(h.Do(stranger, "GET", "/api/v1/residencies/"+rid, nil), 200, "residency as the park")
		if r["status"] != "in_residence" || r["carrier_id"] != A || r["unit"] != "A-8" {
			t.Fatalf("residency: %v", r)
		}
		for _, p := range reads[:len(reads)-1] {
			if res := h.Do(stranger, "GET", p, nil); res.Status != 200 {
				t.Errorf("after acceptance: GET %s as the park: %d %s", p, res.Status, res.Body)
			}
		}

		// The company was told at each step.
		var types []string
		for _, ev := range h.outboxEvents("incubatees.enrolment.") {
			types = append(types, ev.Type)
			var p events.EnrolmentV1
			if err := ev.Decode(&p); err != nil || p.CompanyID != coA || p.CarrierID != A || ev.RegionID != h.IDs["lixia"] {
				t.Errorf("%s: %+v %v", ev.Type, p, err)
			}
		}
		want := []string{events.EnrolmentOffered, events.EnrolmentDeclined, events.EnrolmentOffered, events.EnrolmentWithdrawn, events.EnrolmentOffered, events.EnrolmentAccepted}
		if strings.Join(types, " ") != strings.Join(want, " ") {
			t.Fatalf("events %v, want %v", types, want)
		}
	})
}

// Every other route that creates a relationship: a park's staff cannot
// add themselves to a company, and a promotion lets in its target carrier
// only, never a third one.
func TestRelationshipsNeedTheirOtherSide(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		coA := h.IDs["coA"]
		company := "/api/v1/companies/" + coA
		// X's operator sees coA but cannot invite themselves, nor join uninvited.
		if res := h.Do("operator@lixia.demo", "POST", company+"/members", map[string]any{"email": "operator@lixia.demo", "role": "company_admin"}); res.Status != 403 {
			t.Errorf("operator invites themselves: %d %s", res.Status, res.Body)
		}
		if res := h.Do("operator@lixia.demo", "POST", company+"/members/accept", nil); res.Status != 404 {
			t.Errorf("operator joins uninvited: %d %s", res.Status, res.Body)
		}
		members := h.mustStatus(h.Do("founder@lixia.demo", "GET", company+"/members", nil), 200, "members")
		if members["total"] != 1.0 {
			t.Errorf("members: %v", members)
		}

		// A promotion from M to I, consented: I sees the company; X and A
		// (third carriers) do not, before or after I accepts.
		coB := h.IDs["coB"]
		r := h.mustStatus(h.enrolHTTP("makeradmin@lixia.demo", h.IDs["M"], map[string]any{"company_id": coB,
			"moved_in_on": h.svc.clock.Today().Format("2006-01-02"), "unit": "M-1", "area_m2": 6}), 201, "residency at M")
		id := r["id"].(string)
		h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotions", map[string]any{"to_carrier_id": h.IDs["I"], "shared": []string{"milestones"}}), 201, "propose")
		if res := h.Do("incadmin@lixia.demo", "GET", "/api/v1/companies/"+coB, nil); res.Status != 404 {
			t.Errorf("target reads the company before consent: %d", res.Status)
		}
		h.mustStatus(h.Do("founder2@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/consent", nil), 200, "consent")
		for _, as := range []string{"parkadmin@lixia.demo", "stranger@lixia.demo"} {
			if res := h.Do(as, "POST", "/api/v1/residencies/"+id+"/promotion/accept", nil); res.Status != 404 {
				t.Errorf("third carrier %s accepts: %d %s", as, res.Status, res.Body)
			}
		}
		acc := h.mustStatus(h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/accept", nil), 200, "accept")
		next := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", "/api/v1/residencies/"+acc["new_residency_id"].(string), nil), 200, "new residency")
		if next["carrier_id"] != h.IDs["I"] {
			t.Fatalf("promotion opened a residency at %v", next["carrier_id"])
		}
		for as, want := range map[string]int{"incadmin@lixia.demo": 200, "makeradmin@lixia.demo": 200, "parkadmin@lixia.demo": 404, "stranger@lixia.demo": 404} {
			if res := h.Do(as, "GET", "/api/v1/companies/"+coB+"/reports", nil); res.Status != want {
				t.Errorf("%s reads coB's reports after the promotion: %d, want %d", as, res.Status, want)
			}
		}
	})
}
