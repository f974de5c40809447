package documents

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/testkit/authzmatrix"
	"github.com/incuchain/incuchain/services/documents/internal/app"
)

// The authorization matrix: every documents route × every caller × own /
// sibling-carrier / foreign-region targets × anonymous. A route without an
// entry fails the test.

var matrixRoles = authztest.DemoCallers("nobody@lixia.demo")

// Targets: the callers' own region, carrier X and company coA (founder's,
// applied to X); a sibling carrier M and its company coB in the same
// region; a foreign region's carrier H and company coC.
type matrixTarget struct {
	authzmatrix.Target
	app string
}

var matrixTargets = []matrixTarget{{authzmatrix.Own, "appA"}, {authzmatrix.ForeignCarrier, "appB"}, {authzmatrix.ForeignRegion, "appC"}}

type matrixCase = authzmatrix.Case[*harness]

const (
	regionRead    = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,200,404 park_operator=200,200,404 startup_member=200,200,404 anonymous=401,401,401"
	districtRead  = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=403,403,404 park_operator=403,403,404 startup_member=403,403,404 anonymous=401,401,401"
	carrierRead   = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"
	documentRead  = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401"
	downloadSpec  = "all=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401"
	reviewSpec    = "all=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=403,404,404 anonymous=401,401,401"
	maintenance   = "all=403,403,403 platform_admin=200,200,200 anonymous=401,401,401"
	uploadSpecFmt = "all=404,404,404 platform_admin=%[1]d,%[1]d,%[1]d district_admin=403,403,404 district_viewer=403,403,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=%[1]d,404,404 anonymous=401,401,401"
)

var matrix = authzmatrix.Matrix[*harness, matrixTarget]{Callers: matrixRoles, Targets: matrixTargets, Cases: map[string]matrixCase{
	"GET /api/v1/regions/:id/document-types": {Spec: regionRead},
	"PUT /api/v1/regions/:id/document-types/:code": {
		Spec: "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 startup_member=403,403,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/regions/" + h.IDs[matrixTargets[ti].Region] + "/document-types/other",
				map[string]any{"name_zh": "其他", "name_en": "Other", "content_types": []string{"application/pdf"}, "max_bytes": 10 << 20}
		}},
	"GET /api/v1/regions/:id/documents":       {Spec: districtRead},
	"GET /api/v1/carriers/:id/documents":      {Spec: carrierRead},
	"GET /api/v1/carriers/:id/document-usage": {Spec: carrierRead},
	"GET /api/v1/companies/:id/documents":     {Spec: documentRead},
	"POST /api/v1/companies/:id/documents": {Spec: fmt.Sprintf(uploadSpecFmt, 201),
		Prepare: func(h *harness, ti, _ int) (string, any) {
			t := matrixTargets[ti]
			return "/api/v1/companies/" + h.IDs[t.Company] + "/documents?" + h.slot(t.app, "business_plan", "计划书.pdf").Encode(), string(pdf(256))
		}},
	"GET /api/v1/companies/:id/documents/reusable": {Spec: fmt.Sprintf(uploadSpecFmt, 200),
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/companies/" + h.IDs[matrixTargets[ti].Company] + "/documents/reusable?type=business_licence", nil
		}},
	"POST /api/v1/companies/:id/uploads": {Spec: fmt.Sprintf(uploadSpecFmt, 201),
		Prepare: func(h *harness, ti, _ int) (string, any) {
			t := matrixTargets[ti]
			return "/api/v1/companies/" + h.IDs[t.Company] + "/uploads",
				map[string]any{"type": "business_plan", "checklist_id": "application:" + h.IDs[t.app], "filename": "plan.pdf", "size": 256}
		}},
	// Only whoever began an upload completes it.
	"POST /api/v1/uploads/:id/complete": {Spec: "all=404,404,404 startup_member=201,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/uploads/" + h.presigned(ti) + "/complete", nil
		}},
	"GET /api/v1/documents/:id": {Spec: documentRead,
		Prepare: func(h *harness, ti, _ int) (string, any) { return "/api/v1/documents/" + h.matrixDoc(ti), nil }},
	"DELETE /api/v1/documents/:id": {Spec: fmt.Sprintf(uploadSpecFmt, 204),
		Prepare: func(h *harness, ti, _ int) (string, any) { return "/api/v1/documents/" + h.matrixDoc(ti), nil }},
	"POST /api/v1/documents/:id/versions": {Spec: fmt.Sprintf(uploadSpecFmt, 201),
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/documents/" + h.matrixDoc(ti) + "/versions?filename=v2.pdf", string(pdf(300))
		}},
	"GET /api/v1/documents/:id/versions/:version/content": {Spec: downloadSpec,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/documents/" + h.matrixDoc(ti) + "/versions/1/content", nil
		}},
	"POST /api/v1/documents/:id/versions/:version/download-url": {Spec: downloadSpec,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/documents/" + h.matrixDoc(ti) + "/versions/1/download-url", nil
		}},
	"POST /api/v1/documents/:id/verify": {Spec: reviewSpec,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/documents/" + h.matrixDoc(ti) + "/verify", map[string]any{}
		}},
	"POST /api/v1/documents/:id/return": {Spec: reviewSpec,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/documents/" + h.matrixDoc(ti) + "/return", map[string]any{"comment": "请补充盖章页"}
		}},
	"GET /api/v1/documents/:id/audit": {Spec: documentRead,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/documents/" + h.matrixDoc(ti) + "/audit", nil
		}},
	"GET /api/v1/checklists/:id": {Spec: documentRead,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/checklists/application:" + h.IDs[matrixTargets[ti].app], nil
		}},
	// A fresh verified licence each time, reused into the target's
	// application: only those who may upload there may reuse.
	"POST /api/v1/checklists/:id/documents/reuse": {Spec: fmt.Sprintf(uploadSpecFmt, 201),
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/checklists/application:" + h.IDs[matrixTargets[ti].app] + "/documents/reuse",
				map[string]any{"source_document_id": h.verifiedLicence(ti), "type": "business_licence"}
		}},
	"POST /api/v1/documents-maintenance/purge":     {Spec: maintenance},
	"POST /api/v1/documents-maintenance/reconcile": {Spec: maintenance},
}}

// targetUpload is target ti's founder and an upload as filename of type typ
// into the target's company, outside any checklist, handed to the target's
// carrier.
func (h *harness) targetUpload(ti int, typ, filename string) (app.Actor, app.Target) {
	t := matrixTargets[ti]
	return app.Actor{UserID: h.Users[t.Founder]}, app.Target{CompanyID: h.IDs[t.Company], Type: typ, CarrierID: h.IDs[t.Carrier], Filename: filename}
}

// uploadAt uploads body (targetUpload) and answers the document's id.
func (h *harness) uploadAt(ti int, typ, filename string, body []byte) string {
	h.T.Helper()
	founder, target := h.targetUpload(ti, typ, filename)
	d, err := h.svc.app.Upload(context.Background(), founder, target, int64(len(body)), bytes.NewReader(body))
	if err != nil {
		h.T.Fatalf("matrix %s: %v", typ, err)
	}
	return d.ID()
}

// matrixDoc uploads a fresh document for target ti's company, as its
// founder, handed to the target's carrier.
func (h *harness) matrixDoc(ti int) string {
	h.T.Helper()
	return h.uploadAt(ti, "other", "附件.pdf", pdf(200))
}

// verifiedLicence uploads a business licence for target ti's company,
// as its founder, outside any checklist, and has the platform verify it.
func (h *harness) verifiedLicence(ti int) string {
	h.T.Helper()
	id := h.uploadAt(ti, "business_licence", "执照.png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{5}, 100)...))
	if _, err := h.svc.app.Review(context.Background(), app.Actor{UserID: h.Users["admin@incuchain.demo"]}, id, true, ""); err != nil {
		h.T.Fatalf("matrix licence: %v", err)
	}
	return id
}

// presigned begins a presigned upload as target ti's founder and PUTs the
// bytes, leaving it ready to complete.
func (h *harness) presigned(ti int) string {
	h.T.Helper()
	founder, target := h.targetUpload(ti, "other", "direct.pdf")
	body := pdf(256)
	p, err := h.svc.app.BeginUpload(context.Background(), founder, target, int64(len(body)), "")
	if err != nil {
		h.T.Fatalf("begin presigned upload: %v", err)
	}
	h.putPresigned(p.URL, p.Header, body)
	return p.Upload.ID
}

// putPresigned PUTs body to a presigned URL with the headers it was
// issued with and fails the test unless the store took it.
func (h *harness) putPresigned(url string, header http.Header, body []byte) {
	h.T.Helper()
	if status := h.tryPresigned(url, header, body); status != http.StatusOK {
		h.T.Fatalf("presigned PUT: %d", status)
	}
}

// tryPresigned PUTs body to a presigned URL with header (Content-Length
// comes from the body, as a browser sends it) and returns the status.
func (h *harness) tryPresigned(url string, header http.Header, body []byte) int {
	h.T.Helper()
	req, err := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
	if err != nil {
		h.T.Fatal(err)
	}
	for k, v := range header {
		if k != "Content-Length" {
			req.Header[k] = v
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.T.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestAuthorizationMatrix(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, matrix.Run)
}
