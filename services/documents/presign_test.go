package documents

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"
)

// A presigned upload goes straight to the object store and becomes a
// document only once the service has checked size, SHA-256 and content.
func TestPresignedUpload(t *testing.T) {
	eachDB(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		begin := func(as string, body []byte, digest string) (id, url string) {
			t.Helper()
			res := h.do(as, "POST", "/api/v1/companies/"+h.ids["coA"]+"/uploads", map[string]any{
				"type": "business_plan", "checklist_id": "application:" + h.ids["appA"], "filename": "直传计划书.pdf", "size": len(body), "sha256": digest})
			if res.Status != 201 {
				t.Fatalf("begin: %d %s", res.Status, res.Body)
			}
			m := res.json(t)
			exp, _ := time.Parse(time.RFC3339Nano, m["expires_at"].(string))
			if m["method"] != "PUT" || time.Until(exp) > 15*time.Minute || time.Until(exp) < 14*time.Minute {
				t.Fatalf("presigned upload: %v", m)
			}
			return m["id"].(string), m["url"].(string)
		}
		complete := func(as, id string) response { return h.do(as, "POST", "/api/v1/uploads/"+id+"/complete", nil) }

		body := pdf(300 << 10)
		id, url := begin("founder@lixia.demo", body, sha(body))
		if res := complete("founder@lixia.demo", id); res.Status != 422 || res.json(t)["slug"] != "upload-missing" {
			t.Fatalf("complete before the PUT: %d %s", res.Status, res.Body)
		}
		h.putPresigned(url, body)
		if res := complete("founder2@lixia.demo", id); res.Status != 404 {
			t.Fatalf("another company's member completes it: %d %s", res.Status, res.Body)
		}
		res := complete("founder@lixia.demo", id)
		if res.Status != 201 || res.json(t)["sha256"] != sha(body) || res.json(t)["content_type"] != "application/pdf" {
			t.Fatalf("complete: %d %s", res.Status, res.Body)
		}
		doc := res.json(t)["id"].(string)
		if back := h.do("operator@lixia.demo", "GET", "/api/v1/documents/"+doc+"/versions/1/content", nil); sha(back.Body) != sha(body) {
			t.Fatalf("read back %d bytes", len(back.Body))
		}
		if res := complete("founder@lixia.demo", id); res.Status != 409 {
			t.Fatalf("completed twice: %d %s", res.Status, res.Body)
		}

		// The digest promised is not the digest delivered: refused, removed.
		before := h.counts()
		other := pdf(1000)
		id, url = begin("founder@lixia.demo", other, sha(append(pdf(999), 1)))
		h.putPresigned(url, other)
		if res := complete("founder@lixia.demo", id); res.Status != 422 || res.json(t)["slug"] != "checksum-mismatch" {
			t.Fatalf("digest mismatch: %d %s", res.Status, res.Body)
		}
		if after := h.counts(); after[0] != before[0] || after[1] != before[1] || after[3] != before[3] {
			t.Errorf("a refused upload left rows or objects: %v -> %v", before, after)
		}

		// A size other than the one declared.
		id, url = begin("founder@lixia.demo", other, "")
		h.putPresigned(url, other[:900])
		if res := complete("founder@lixia.demo", id); res.Status != 422 || res.json(t)["slug"] != "upload-size-mismatch" {
			t.Fatalf("size mismatch: %d %s", res.Status, res.Body)
		}

		// Completed after it expired: 410, and the object goes.
		id, url = begin("founder@lixia.demo", other, "")
		h.putPresigned(url, other)
		h.svc.app.SetClock(func() time.Time { return time.Now().UTC().Add(16 * time.Minute) })
		if res := complete("founder@lixia.demo", id); res.Status != 410 || res.json(t)["slug"] != "upload-expired" {
			t.Fatalf("expired: %d %s", res.Status, res.Body)
		}
		h.svc.app.SetClock(func() time.Time { return time.Now().UTC() })
		if after := h.counts(); after[3] != before[3] {
			t.Errorf("objects %d -> %d after refusals", before[3], after[3])
		}

		// Over the type's limit before anything is signed.
		res = h.do("founder@lixia.demo", "POST", "/api/v1/companies/"+h.ids["coA"]+"/uploads", map[string]any{
			"type": "business_plan", "checklist_id": "application:" + h.ids["appA"], "filename": "huge.pdf", "size": 300 << 20})
		if res.Status != 413 {
			t.Fatalf("oversize presign: %d %s", res.Status, res.Body)
		}
	})
}

// A presigned URL stops working when it expires (the S3 server checks).
func TestPresignedURLExpires(t *testing.T) {
	h := newHarness(t, "sqlite", withConfig(func(c *Config) { c.PresignTTL = time.Second }))
	body := pdf(2000)
	res := h.do("founder@lixia.demo", "POST", "/api/v1/companies/"+h.ids["coA"]+"/uploads", map[string]any{
		"type": "other", "carrier_id": h.ids["X"], "filename": "late.pdf", "size": len(body)})
	if res.Status != 201 {
		t.Fatalf("begin: %d %s", res.Status, res.Body)
	}
	time.Sleep(2100 * time.Millisecond)
	req, _ := http.NewRequest(http.MethodPut, res.json(t)["url"].(string), bytes.NewReader(body))
	put, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	put.Body.Close()
	if put.StatusCode != http.StatusForbidden {
		t.Fatalf("PUT to an expired URL: %d", put.StatusCode)
	}
	if objs, _ := h.blob.List(context.Background(), h.ids["lixia"]+"/"); len(objs) != 0 {
		t.Fatalf("an expired URL stored %d objects", len(objs))
	}
}
