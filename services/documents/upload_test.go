package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// One slot of an application, start to end: upload, a second type
// completes the checklist, a re-upload is version 2 of the same document,
// the operator returns it with a comment, version 3 is verified; every
// version reads back byte for byte as an attachment, and every step is in
// the audit trail and on the stream.
func TestChecklistSlotLifecycle(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		checklist := "/api/v1/checklists/application:" + h.IDs["appA"]
		if res := h.Do("founder@lixia.demo", "GET", checklist, nil); res.Status != 200 || res.JSON(t)["complete"] != false {
			t.Fatalf("empty checklist: %d %s", res.Status, res.Body)
		}
		v1 := pdf(4096)
		res := h.upload("founder@lixia.demo", "coA", h.slot("appA", "business_plan", "商业计划书 2026.pdf"), v1)
		if res.Status != 201 {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		doc := res.JSON(t)
		id := doc["id"].(string)
		if doc["status"] != "uploaded" || doc["version"] != 1.0 || doc["content_type"] != "application/pdf" || doc["sha256"] != sha(v1) ||
			doc["carrier_id"] != h.IDs["X"] || doc["filename"] != "商业计划书 2026.pdf" {
			t.Fatalf("document: %v", doc)
		}
		if c := h.Do("operator@lixia.demo", "GET", checklist, nil).JSON(t); c["complete"] != false {
			t.Fatalf("one of two slots filled, yet complete: %v", c)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)
		if res := h.upload("founder@lixia.demo", "coA", h.slot("appA", "business_licence", "执照.png"), png); res.Status != 201 {
			t.Fatalf("licence: %d %s", res.Status, res.Body)
		}
		if c := h.Do("operator@lixia.demo", "GET", checklist, nil).JSON(t); c["complete"] != true {
			t.Fatalf("both slots filled, not complete: %v", c)
		}

		v2 := pdf(5000)
		res = h.upload("founder@lixia.demo", "coA", h.slot("appA", "business_plan", "plan-v2.pdf"), v2)
		if res.Status != 201 || res.JSON(t)["id"] != id || res.JSON(t)["version"] != 2.0 {
			t.Fatalf("re-upload is not version 2 of %s: %d %s", id, res.Status, res.Body)
		}
		res = h.Do("operator@lixia.demo", "POST", "/api/v1/documents/"+id+"/return", map[string]any{"comment": "缺少财务预测章节"})
		if res.Status != 200 || res.JSON(t)["status"] != "returned" || res.JSON(t)["comment"] != "缺少财务预测章节" {
			t.Fatalf("return: %d %s", res.Status, res.Body)
		}
		if c := h.Do("founder@lixia.demo", "GET", checklist, nil).JSON(t); c["complete"] != false {
			t.Fatalf("a returned slot still counts: %v", c)
		}
		if res := h.Do("operator@lixia.demo", "POST", "/api/v1/documents/"+id+"/verify", map[string]any{}); res.Status != 409 {
			t.Fatalf("verify a returned version: %d %s", res.Status, res.Body)
		}
		v3 := pdf(6000)
		if res := h.Send(h.Request("founder@lixia.demo", "POST", "/api/v1/documents/"+id+"/versions?filename=plan-v3.pdf", bytes.NewReader(v3))); res.Status != 201 || res.JSON(t)["version"] != 3.0 {
			t.Fatalf("version 3: %d %s", res.Status, res.Body)
		}
		if res := h.Do("operator@lixia.demo", "POST", "/api/v1/documents/"+id+"/verify", map[string]any{"comment": "齐全"}); res.Status != 200 || res.JSON(t)["status"] != "verified" {
			t.Fatalf("verify: %d %s", res.Status, res.Body)
		}

		got := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+id, nil).JSON(t)
		versions := got["versions"].([]any)
		if len(versions) != 3 {
			t.Fatalf("versions: %v", versions)
		}
		if versions[0].(map[string]any)["status"] != "verified" || versions[1].(map[string]any)["status"] != "returned" {
			t.Errorf("version statuses: %v", versions)
		}
		for n, want := range map[int][]byte{1: v1, 2: v2, 3: v3} {
			res := h.Do("operator@lixia.demo", "GET", fmt.Sprintf("/api/v1/documents/%s/versions/%d/content", id, n), nil)
			if res.Status != 200 || sha(res.Body) != sha(want) {
				t.Fatalf("version %d reads back %d bytes (status %d), want %d", n, len(res.Body), res.Status, len(want))
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") ||
				res.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("version %d headers: %v", n, res.Header)
			}
		}
		if cd := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+id+"/versions/1/content", nil).Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''%E5%95%86%E4%B8%9A") {
			t.Errorf("original name not in RFC 6266 form: %q", cd)
		}

		audit := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+id+"/audit?page_size=100", nil).JSON(t)["items"].([]any)
		var actions []string
		for _, a := range audit {
			actions = append(actions, a.(map[string]any)["action"].(string))
		}
		for action, n := range map[string]int{"document.upload": 3, "document.return": 1, "document.verify": 1, "document.download": 4} {
			if c := count(actions, action); c != n {
				t.Errorf("audit has %d %s, want %d: %v", c, action, n, actions)
			}
		}
		want := map[string]int{events.DocumentUploaded: 4, events.DocumentReturned: 1, events.DocumentVerified: 1}
		if got := h.published(want); !maps.Equal(got, want) {
			t.Errorf("published %v, want %v", got, want)
		}
	})
}

func count(xs []string, x string) int {
	n := 0
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}

// published counts, per event type, what the service has published on
// its stream (waiting up to a few seconds for the relay).
func (h *harness) published(want map[string]int) map[string]int {
	h.T.Helper()
	var got map[string]int
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := h.Bus.JetStream().Stream(context.Background(), h.Bus.StreamName("documents"))
		if err != nil {
			h.T.Fatal(err)
		}
		info, err := st.Info(context.Background(), jetstream.WithSubjectFilter(h.Bus.Subject("documents.>")))
		if err != nil {
			h.T.Fatal(err)
		}
		got = map[string]int{}
		for typ := range want {
			got[typ] = int(info.State.Subjects[h.Bus.Subject(typ)])
		}
		if maps.Equal(got, want) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Every byte read back equals what was written, through the service and
// the object store, at sizes on both sides of the multipart threshold.
func TestRoundTripSizes(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		for _, size := range []int{1, 5<<20 + 1, 16<<20 + 3} {
			data := bytes.Repeat([]byte("研发费用,"), size/len("研发费用,")+1)[:size]
			if size == 1 {
				data = []byte("x")
			}
			q := url.Values{"type": {"other"}, "carrier": {h.IDs["X"]}, "filename": {fmt.Sprintf("%d.txt", size)}}
			res := h.upload("founder@lixia.demo", "coA", q, data)
			if res.Status != 201 {
				t.Fatalf("%d B: %d %s", size, res.Status, res.Body)
			}
			doc := res.JSON(t)
			if doc["size"] != float64(size) || doc["sha256"] != sha(data) {
				t.Fatalf("%d B recorded as %v", size, doc)
			}
			back := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+doc["id"].(string)+"/versions/1/content", nil)
			if back.Status != 200 || len(back.Body) != size || sha(back.Body) != sha(data) {
				t.Fatalf("%d B read back as %d B, sha %s", size, len(back.Body), sha(back.Body))
			}
		}
	})
}

// Bad input: each is a clear problem, and nothing is left behind — no
// row, no object.
func TestBadUploadsLeaveNothingBehind(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		if res := h.Do("district@lixia.demo", "PUT", "/api/v1/regions/"+h.IDs["lixia"]+"/document-types/ip_certificate",
			map[string]any{"name_zh": "知识产权证明", "content_types": []string{"application/pdf"}, "max_bytes": 64 << 10}); res.Status != 200 {
			t.Fatalf("set a small limit: %d %s", res.Status, res.Body)
		}
		bomb := testkit.Zip(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", strings.Repeat("0", 200<<20)})
		nested := testkit.Zip(t, [2]string{"inner.zip", string(testkit.Zip(t, [2]string{"a.txt", "a"}))})
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 600)...)
		slot := func(typ, name string) url.Values { return h.slot("appA", typ, name) }
		evidence := url.Values{"type": {"milestone_evidence"}, "carrier": {h.IDs["X"]}, "filename": {"evidence.zip"}}
		toolZip := testkit.Zip(t, [2]string{"report.pdf", string(pdf(100))}, [2]string{"tools/tool.pdf", string(exe)})
		notesZip := testkit.Zip(t, [2]string{"report.pdf", string(pdf(100))}, [2]string{"notes.pdf", "just some words\n"})
		cases := []struct {
			name   string
			q      url.Values
			body   []byte
			status int
			slug   string
			fields []string
		}{
			{"oversize", slot("business_plan", "big.pdf"), nil, 413, "file-too-large", nil},
			{"renamed executable", slot("business_plan", "plan.pdf"), exe, 415, "executable-refused", nil},
			{"zip bomb", url.Values{"type": {"milestone_evidence"}, "carrier": {h.IDs["X"]}, "filename": {"evidence.docx"}}, bomb, 422, "archive-bomb", []string{"file:archive_bomb"}},
			{"nested archive", url.Values{"type": {"milestone_evidence"}, "carrier": {h.IDs["X"]}, "filename": {"evidence.zip"}}, nested, 422, "archive-bomb", []string{"file:archive_bomb"}},
			{"dot-dot name", slot("business_plan", "../../etc/passwd.pdf"), pdf(100), 422, "invalid-upload", []string{"filename:name_path"}},
			// Query strings meet the edge's text rule (httpx) before the file name rule.
			{"NUL in name", slot("business_plan", "plan\x00.exe.pdf"), pdf(100), 422, "invalid-query", []string{"filename:control_char"}},
			{"right-to-left override", slot("business_plan", "report\u202Efdp.exe"), pdf(100), 422, "invalid-query", []string{"filename:control_char"}},
			{"wrong checklist slot", slot("ip_certificate", "cert.pdf"), pdf(100), 422, "invalid-upload", []string{"type:not_in_checklist"}},
			{"another company's checklist", h.slot("appB", "business_plan", "plan.pdf"), pdf(100), 404, "checklist-not-found", nil},
			{"unknown checklist", url.Values{"type": {"business_plan"}, "checklist": {"application:nope"}, "filename": {"p.pdf"}}, pdf(100), 404, "checklist-not-found", nil},
			{"empty file", slot("business_plan", "empty.pdf"), []byte{}, 422, "invalid-upload", []string{"file:empty"}},
			{"plain text as a business plan", slot("business_plan", "plan.pdf"), []byte("just some words\n"), 415, "type-not-allowed", []string{"file:type_not_allowed"}},
			{"executable named tool.pdf inside evidence", evidence, toolZip, 415, "archive-member-refused", []string{"file:member_executable"}},
			{"text inside evidence", evidence, notesZip, 415, "archive-member-refused", []string{"file:member_not_allowed"}},
			{"over a region's own limit", url.Values{"type": {"ip_certificate"}, "carrier": {h.IDs["X"]}, "filename": {"c.pdf"}}, pdf(65 << 10), 413, "file-too-large", nil},
			{"carrier the company is not linked to", url.Values{"type": {"other"}, "carrier": {h.IDs["M"]}, "filename": {"o.pdf"}}, pdf(100), 422, "invalid-upload", []string{"carrier:not_linked"}},
		}
		before := h.counts()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var res response
				if c.name == "oversize" {
					// Declared over the 200 MiB limit: refused before the body is read.
					res = h.sendDeclared("founder@lixia.demo", "/api/v1/companies/"+h.IDs["coA"]+"/documents?"+c.q.Encode(), 201<<20)
				} else {
					res = h.upload("founder@lixia.demo", "coA", c.q, c.body, "Accept-Language", "en")
				}
				if res.Status != c.status || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("%d %s, want %d problem+json", res.Status, res.Body, c.status)
				}
				p := res.JSON(t)
				if p["slug"] != c.slug || p["title"] == "" {
					t.Errorf("slug %v, want %s: %s", p["slug"], c.slug, res.Body)
				}
				if got := res.FieldCodes(t); c.fields != nil && !slices.Equal(got, c.fields) {
					t.Errorf("fields %v, want %v", got, c.fields)
				}
				if after := h.counts(); after != before {
					t.Errorf("left something behind: documents/versions/uploads/objects %v -> %v", before, after)
				}
			})
		}
		zh := h.upload("founder@lixia.demo", "coA", slot("business_plan", "plan.pdf"), exe)
		if d := zh.JSON(t)["detail"].(string); !strings.Contains(d, "可执行程序") {
			t.Errorf("zh-CN detail: %q", d)
		}
		// Files inside a ZIP are named by their path and their kind, never a MIME type.
		for _, c := range []struct {
			body     []byte
			lang     string
			contains []string
		}{
			{toolZip, "zh-CN", []string{"“tools/tool.pdf”", "可执行程序"}},
			{toolZip, "en", []string{`"tools/tool.pdf"`, "executable program"}},
			{notesZip, "zh-CN", []string{"“notes.pdf”是纯文本", "PDF、PNG 图片、JPEG 图片"}},
			{notesZip, "en", []string{`"notes.pdf" in the archive is: plain text`, "PDF, PNG image, JPEG image"}},
		} {
			res := h.upload("founder@lixia.demo", "coA", evidence, c.body, "Accept-Language", c.lang)
			errs, _ := res.JSON(t)["errors"].([]any)
			if len(errs) != 1 {
				t.Fatalf("%s: %s", c.lang, res.Body)
			}
			msg, _ := errs[0].(map[string]any)["message"].(string)
			for _, want := range c.contains {
				if !strings.Contains(msg, want) || strings.Contains(msg, "application/") {
					t.Errorf("%s message %q, want it to say %q and no MIME type", c.lang, msg, want)
				}
			}
		}
		if res := h.upload("founder@lixia.demo", "coA", evidence, testkit.Zip(t, [2]string{"report.pdf", string(pdf(100))}, [2]string{"site/photo.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF"})); res.Status != 201 {
			t.Fatalf("evidence ZIP of a PDF and a photo: %d %s", res.Status, res.Body)
		}
	})
}

// sendDeclared posts a body that declares size bytes but sends only its
// first KiB, then waits: a service that reads before it refuses would hang.
func (h *harness) sendDeclared(as, path string, size int64) response {
	h.T.Helper()
	pr, pw := io.Pipe()
	go func() { _, _ = pw.Write(pdf(1024)) }()
	defer pw.Close()
	req := h.Request(as, "POST", path, pr, "Content-Type", "application/pdf")
	req.ContentLength = size
	return h.Send(req)
}

// A presigned upload goes straight to the object store and becomes a
// document only once the service has checked size, SHA-256 and content.
func TestPresignedUpload(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		begin := func(as string, body []byte, digest string) (id, url string, header http.Header) {
			t.Helper()
			res := h.Do(as, "POST", "/api/v1/companies/"+h.IDs["coA"]+"/uploads", map[string]any{
				"type": "business_plan", "checklist_id": "application:" + h.IDs["appA"], "filename": "直传计划书.pdf", "size": len(body), "sha256": digest})
			if res.Status != 201 {
				t.Fatalf("begin: %d %s", res.Status, res.Body)
			}
			m := res.JSON(t)
			exp, _ := time.Parse(time.RFC3339Nano, m["expires_at"].(string))
			if m["method"] != "PUT" || time.Until(exp) > 15*time.Minute || time.Until(exp) < 14*time.Minute {
				t.Fatalf("presigned upload: %v", m)
			}
			// The browser is told what to send, and both are signed.
			hdr, _ := m["headers"].(map[string]any)
			if hdr["Content-Type"] != "application/octet-stream" || hdr["Content-Length"] != strconv.Itoa(len(body)) {
				t.Fatalf("headers to send: %v", m["headers"])
			}
			header = http.Header{}
			for k, v := range hdr {
				header.Set(k, v.(string))
			}
			return m["id"].(string), m["url"].(string), header
		}
		complete := func(as, id string) response { return h.Do(as, "POST", "/api/v1/uploads/"+id+"/complete", nil) }

		body := pdf(300 << 10)
		id, url, hdr := begin("founder@lixia.demo", body, sha(body))
		if res := complete("founder@lixia.demo", id); res.Status != 422 || res.JSON(t)["slug"] != "upload-missing" {
			t.Fatalf("complete before the PUT: %d %s", res.Status, res.Body)
		}
		// The object store itself refuses a body the signature does not
		// cover: larger, shorter, or of another content type.
		for name, c := range map[string]struct {
			body   []byte
			header http.Header
		}{
			"larger":       {append(slices.Clone(body), pdf(1024)...), hdr},
			"shorter":      {body[:len(body)-1], hdr},
			"content type": {body, http.Header{"Content-Type": {"text/html"}}},
		} {
			if status := h.tryPresigned(url, c.header, c.body); status != http.StatusForbidden {
				t.Fatalf("%s body: the store answered %d, want 403", name, status)
			}
			if res := complete("founder@lixia.demo", id); res.Status != 422 || res.JSON(t)["slug"] != "upload-missing" {
				t.Fatalf("complete after a refused %s PUT: %d %s", name, res.Status, res.Body)
			}
		}
		h.putPresigned(url, hdr, body)
		if res := complete("founder2@lixia.demo", id); res.Status != 404 {
			t.Fatalf("another company's member completes it: %d %s", res.Status, res.Body)
		}
		res := complete("founder@lixia.demo", id)
		if res.Status != 201 || res.JSON(t)["sha256"] != sha(body) || res.JSON(t)["content_type"] != "application/pdf" {
			t.Fatalf("complete: %d %s", res.Status, res.Body)
		}
		doc := res.JSON(t)["id"].(string)
		if back := h.Do("operator@lixia.demo", "GET", "/api/v1/documents/"+doc+"/versions/1/content", nil); sha(back.Body) != sha(body) {
			t.Fatalf("read back %d bytes", len(back.Body))
		}
		if res := complete("founder@lixia.demo", id); res.Status != 409 {
			t.Fatalf("completed twice: %d %s", res.Status, res.Body)
		}

		// The digest promised is not the digest delivered: refused, removed.
		before := h.counts()
		other := pdf(1000)
		id, url, hdr = begin("founder@lixia.demo", other, sha(append(pdf(999), 1)))
		h.putPresigned(url, hdr, other)
		if res := complete("founder@lixia.demo", id); res.Status != 422 || res.JSON(t)["slug"] != "checksum-mismatch" {
			t.Fatalf("digest mismatch: %d %s", res.Status, res.Body)
		}
		if after := h.counts(); after[0] != before[0] || after[1] != before[1] || after[3] != before[3] {
			t.Errorf("a refused upload left rows or objects: %v -> %v", before, after)
		}

		// Completed after it expired: 410, and the object goes.
		id, url, hdr = begin("founder@lixia.demo", other, "")
		h.putPresigned(url, hdr, other)
		h.svc.app.SetClock(func() time.Time { return time.Now().UTC().Add(16 * time.Minute) })
		if res := complete("founder@lixia.demo", id); res.Status != 410 || res.JSON(t)["slug"] != "upload-expired" {
			t.Fatalf("expired: %d %s", res.Status, res.Body)
		}
		h.svc.app.SetClock(func() time.Time { return time.Now().UTC() })
		if after := h.counts(); after[3] != before[3] {
			t.Errorf("objects %d -> %d after refusals", before[3], after[3])
		}

		// Over the type's limit before anything is signed.
		res = h.Do("founder@lixia.demo", "POST", "/api/v1/companies/"+h.IDs["coA"]+"/uploads", map[string]any{
			"type": "business_plan", "checklist_id": "application:" + h.IDs["appA"], "filename": "huge.pdf", "size": 300 << 20})
		if res.Status != 413 {
			t.Fatalf("oversize presign: %d %s", res.Status, res.Body)
		}
	})
}

// A presigned URL stops working when it expires (the S3 server checks,
// by its own clock, which the test moves past the URL's lifetime).
func TestPresignedURLExpires(t *testing.T) {
	var skew atomic.Int64
	h := newHarness(t, "sqlite", withStoreClock(func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }))
	body := pdf(2000)
	res := h.Do("founder@lixia.demo", "POST", "/api/v1/companies/"+h.IDs["coA"]+"/uploads", map[string]any{
		"type": "other", "carrier_id": h.IDs["X"], "filename": "late.pdf", "size": len(body)})
	if res.Status != 201 {
		t.Fatalf("begin: %d %s", res.Status, res.Body)
	}
	header := http.Header{"Content-Type": {"application/octet-stream"}} // signed: only the time is wrong
	skew.Store(int64(15*time.Minute + time.Second))
	if status := h.tryPresigned(res.JSON(t)["url"].(string), header, body); status != http.StatusForbidden {
		t.Fatalf("PUT to an expired URL: %d", status)
	}
	skew.Store(0) // the service's own signed requests need the store's clock near theirs
	if objs, err := h.blob.List(context.Background(), h.IDs["lixia"]+"/"); err != nil || len(objs) != 0 {
		t.Fatalf("an expired URL stored %d objects (%v)", len(objs), err)
	}
	skew.Store(int64(15*time.Minute - 5*time.Second))
	h.putPresigned(res.JSON(t)["url"].(string), header, body) // the same URL just before
}
