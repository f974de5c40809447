package documents

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// A presigned upload goes straight to the object store and becomes a
// document only once the service has checked size, SHA-256 and content.
func TestPresignedUpload(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		begin := func(as string, body []byte, digest string) (id, url string, header http.Header) {
			t.Helper()
			res := h.Do(as, "POST", "/api/v1/companies/"+h.ids["coA"]+"/uploads", map[string]any{
				"type": "business_plan", "checklist_id": "application:" + h.ids["appA"], "filename": "直传计划书.pdf", "size": len(body), "sha256": digest})
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
		res = h.Do("founder@lixia.demo", "POST", "/api/v1/companies/"+h.ids["coA"]+"/uploads", map[string]any{
			"type": "business_plan", "checklist_id": "application:" + h.ids["appA"], "filename": "huge.pdf", "size": 300 << 20})
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
	res := h.Do("founder@lixia.demo", "POST", "/api/v1/companies/"+h.ids["coA"]+"/uploads", map[string]any{
		"type": "other", "carrier_id": h.ids["X"], "filename": "late.pdf", "size": len(body)})
	if res.Status != 201 {
		t.Fatalf("begin: %d %s", res.Status, res.Body)
	}
	header := http.Header{"Content-Type": {"application/octet-stream"}} // signed: only the time is wrong
	skew.Store(int64(15*time.Minute + time.Second))
	if status := h.tryPresigned(res.JSON(t)["url"].(string), header, body); status != http.StatusForbidden {
		t.Fatalf("PUT to an expired URL: %d", status)
	}
	skew.Store(0) // the service's own signed requests need the store's clock near theirs
	if objs, err := h.blob.List(context.Background(), h.ids["lixia"]+"/"); err != nil || len(objs) != 0 {
		t.Fatalf("an expired URL stored %d objects (%v)", len(objs), err)
	}
	skew.Store(int64(15*time.Minute - 5*time.Second))
	h.putPresigned(res.JSON(t)["url"].(string), header, body) // the same URL just before
}
