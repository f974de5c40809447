package incubatees

import (
	"context"
	"fmt"
	"strings"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

func init() {
	companyRead := "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401"
	addMatrix("GET /api/v1/me/companies", matrixCase{Spec: "all=200,200,200 stranger_park=200,200,200 anonymous=401,401,401"})
	// A carrier that never dealt with a company lists its region's companies
	// and finds none of them (TestDirectEnrolmentNeedsTheCompany checks the list).
	addMatrix("GET /api/v1/regions/:id/companies", matrixCase{Spec: "all=404,404,404 stranger_park=200,200,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,200,404 park_operator=200,200,404 startup_member=200,200,404 anonymous=401,401,401"})
	// Anyone signed in may register a company (or team) in any region.
	addMatrix("POST /api/v1/regions/:id/companies", matrixCase{Spec: "all=201,201,201 stranger_park=201,201,201 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/regions/" + h.targetID("/api/v1/regions/", ti) + "/companies",
				map[string]any{"name_zh": fmt.Sprintf("团队%d", n), "industry_code": "M"}
		}})
	addMatrix("GET /api/v1/companies/:id", matrixCase{Spec: companyRead})
	addMatrix("GET /api/v1/companies/:id/members", matrixCase{Spec: companyRead})
	addMatrix("PUT /api/v1/companies/:id", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/companies/" + h.targetID("/api/v1/companies/", ti), companyPutBody(fmt.Sprintf("企业%d", n))
		}})
	// Every fixture company has its USCC already: callers who may change
	// the company get 409, the rest 403/404.
	addMatrix("POST /api/v1/companies/:id/uscc", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=409,409,409 district_admin=403,403,404 district_viewer=403,403,404 park_admin=409,404,404 park_operator=409,404,404 startup_member=409,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/companies/" + h.targetID("/api/v1/companies/", ti) + "/uscc", map[string]string{"uscc": "91110000802100433B"}
		}})
	// Only the company's admin manages members; others who can see the
	// company get 403. The invitee is invited afresh before each removal.
	addMatrix("POST /api/v1/companies/:id/members", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=403,403,403 district_admin=403,403,404 district_viewer=403,403,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=201,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			id := h.targetID("/api/v1/companies/", ti)
			h.removeInvitee(id)
			return "/api/v1/companies/" + id + "/members", map[string]string{"email": "invitee@lixia.demo"}
		}})
	addMatrix("DELETE /api/v1/companies/:id/members/:user", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=403,403,403 district_admin=403,403,404 district_viewer=403,403,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=204,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			id := h.targetID("/api/v1/companies/", ti)
			h.inviteInvitee(id)
			return "/api/v1/companies/" + id + "/members/" + h.Users["invitee@lixia.demo"], nil
		}})
	// Nobody in the matrix has a pending invitation: the company admin
	// gets 409 (already a member), everyone else 404.
	addMatrix("POST /api/v1/companies/:id/members/accept", matrixCase{Spec: "all=404,404,404 stranger_park=404,404,404 startup_member=409,404,404 anonymous=401,401,401"})
}

// founderOf returns the company admin of a fixture company.
func (h *harness) founderOf(companyID string) string {
	for key, email := range map[string]string{"coA": "founder@lixia.demo", "coB": "founder2@lixia.demo", "coC": "founder3@huaiyin.demo"} {
		if h.IDs[key] == companyID {
			return email
		}
	}
	h.T.Fatalf("no founder for %s", companyID)
	return ""
}

func (h *harness) inviteInvitee(companyID string) {
	h.T.Helper()
	_, err := h.svc.cq.Commands.InviteMember.Handle(context.Background(), command.InviteMember{Actor: app.Actor{UserID: h.Users[h.founderOf(companyID)]},
		CompanyID: companyID, Email: "invitee@lixia.demo", Role: domain.CompanyMember})
	if err != nil && !strings.Contains(err.Error(), "already-member") {
		h.T.Fatalf("invite: %v", err)
	}
}

func (h *harness) removeInvitee(companyID string) {
	h.T.Helper()
	err := h.svc.cq.Commands.RemoveMember.Handle(context.Background(), command.RemoveMember{Actor: app.Actor{UserID: h.Users[h.founderOf(companyID)]},
		CompanyID: companyID, UserID: h.Users["invitee@lixia.demo"]})
	if err != nil && !strings.Contains(err.Error(), "member-not-found") && !strings.Contains(err.Error(), "membership-already-left") {
		h.T.Fatalf("remove: %v", err)
	}
}

// companyPutBody is a complete PUT body: a PUT replaces every field.
func companyPutBody(name string) map[string]any {
	return map[string]any{"name_zh": name, "name_en": "", "industry_code": "I65", "tech_field": "", "founded_on": "", "founder_type": "",
		"founder_gender": "", "contact_name": "", "contact_phone": "", "contact_email": ""}
}
