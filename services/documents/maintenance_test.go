package documents

import (
	"bytes"
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// Deleting is soft; the purge removes the objects after the retention
// period, and every step is audited.
func TestDeleteThenPurge(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		body := pdf(3000)
		res := h.upload("founder@lixia.demo", "coA", url.Values{"type": {"other"}, "carrier": {h.IDs["X"]}, "filename": {"草稿.pdf"}}, body)
		if res.Status != 201 {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		id := res.JSON(t)["id"].(string)
		if res := h.Do("founder@lixia.demo", "DELETE", "/api/v1/documents/"+id, nil); res.Status != 204 {
			t.Fatalf("delete: %d %s", res.Status, res.Body)
		}
		if res := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+id+"/versions/1/content", nil); res.Status != 404 {
			t.Fatalf("download of a deleted document: %d", res.Status)
		}
		if got := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+id, nil).JSON(t); got["status"] != "deleted" {
			t.Fatalf("status %v", got["status"])
		}
		if items := h.Do("founder@lixia.demo", "GET", "/api/v1/companies/"+h.IDs["coA"]+"/documents", nil).JSON(t)["items"].([]any); len(items) != 0 {
			t.Fatalf("a deleted document is listed: %v", items)
		}
		objects := func() int { return h.counts()[3] }
		if objects() != 1 {
			t.Fatalf("the object went before the retention period: %d objects", objects())
		}
		rep, err := h.svc.app.Purge(context.Background())
		if err != nil || rep.Versions != 0 {
			t.Fatalf("purge within retention: %+v %v", rep, err)
		}
		h.svc.app.SetClock(func() time.Time { return time.Now().UTC().Add(25 * time.Hour) })
		if res := h.Do("admin@incuchain.demo", "POST", "/api/v1/documents-maintenance/purge", nil); res.Status != 200 || res.JSON(t)["purged_versions"] != 1.0 {
			t.Fatalf("purge after retention: %d %s", res.Status, res.Body)
		}
		if objects() != 0 {
			t.Fatalf("%d objects after the purge", objects())
		}
		var actions []string
		for _, a := range h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+id+"/audit", nil).JSON(t)["items"].([]any) {
			actions = append(actions, a.(map[string]any)["action"].(string))
		}
		if s := strings.Join(actions, " "); s != "document.purge document.delete document.upload" {
			t.Errorf("audit: %s", s)
		}
		want := map[string]int{"documents.document.deleted": 1}
		if got := h.published(want); got["documents.document.deleted"] != 1 {
			t.Errorf("published %v", got)
		}
	})
}

// Reconciliation finds objects nobody recorded and records whose object
// is gone; with repair it removes the first and marks the second.
func TestReconcile(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		ctx := context.Background()
		res := h.upload("founder@lixia.demo", "coA", url.Values{"type": {"other"}, "carrier": {h.IDs["X"]}, "filename": {"a.pdf"}}, pdf(500))
		lost := res.JSON(t)["id"].(string)
		h.upload("founder@lixia.demo", "coA", url.Values{"type": {"other"}, "carrier": {h.IDs["X"]}, "filename": {"b.pdf"}}, pdf(600))
		// An object behind the service's back, and one lost from under it.
		orphan := h.IDs["lixia"] + "/" + h.IDs["X"] + "/" + h.IDs["coA"] + "/01ORPHAN"
		if _, err := h.blob.Put(ctx, orphan, bytes.NewReader([]byte("stray")), 5, "text/plain"); err != nil {
			t.Fatal(err)
		}
		var key string
		if err := h.svc.DB.NewSelect().Table("document_versions").Column("object_key").Where("document_id = ?", lost).Scan(ctx, &key); err != nil {
			t.Fatal(err)
		}
		if err := h.blob.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}

		rep, err := h.svc.app.Reconcile(ctx, false)
		if err != nil || len(rep.Orphans) != 0 || len(rep.Missing) != 1 || rep.Missing[0] != key {
			t.Fatalf("report (orphan too young to count): %+v %v", rep, err)
		}
		h.svc.app.SetClock(func() time.Time { return time.Now().UTC().Add(2 * time.Hour) })
		res = h.Do("admin@incuchain.demo", "POST", "/api/v1/documents-maintenance/reconcile?repair=true", nil)
		if res.Status != 200 {
			t.Fatalf("reconcile: %d %s", res.Status, res.Body)
		}
		m := res.JSON(t)
		if m["removed_orphans"] != 1.0 || m["marked_missing"] != 1.0 || m["objects"] != 2.0 {
			t.Fatalf("repair: %v", m)
		}
		if _, err := h.blob.Stat(ctx, orphan); err == nil {
			t.Error("the orphan is still there")
		}
		if res := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+lost+"/versions/1/content", nil); res.Status != 404 || res.JSON(t)["slug"] != "content-missing" {
			t.Errorf("download of a lost file: %d %s", res.Status, res.Body)
		}
		if rep, _ := h.svc.app.Reconcile(ctx, false); len(rep.Orphans)+len(rep.Missing) != 1 {
			// the lost version stays reported until someone re-uploads
			t.Errorf("after repair: %+v", rep)
		}
	})
}

// With the object store down, an upload is a clear 503 and leaves no row.
func TestStorageUnavailable(t *testing.T) {
	h := newHarness(t, "sqlite", withStoppableStore())
	before := h.counts()
	if err := h.blobSrv.Close(); err != nil {
		t.Fatal(err)
	}
	res := h.upload("founder@lixia.demo", "coA", h.slot("appA", "business_plan", "plan.pdf"), pdf(2000), "Accept-Language", "en")
	if res.Status != 503 || res.JSON(t)["slug"] != "storage-unavailable" || !strings.Contains(res.JSON(t)["detail"].(string), "nothing was saved") {
		t.Fatalf("upload with S3 down: %d %s", res.Status, res.Body)
	}
	var rows int
	for _, table := range []string{"documents", "document_versions"} {
		rows += dbtest.Count(t, h.svc.DB, table, "")
	}
	if rows != before[0]+before[1] {
		t.Fatalf("rows %d after a failed upload, before %d", rows, before[0]+before[1])
	}
	if res := h.Do("", "GET", "/readyz", nil); res.Status != 503 {
		t.Errorf("readyz with S3 down: %d %s", res.Status, res.Body)
	}
}

// A carrier's quota counts every kept version.
func TestCarrierQuota(t *testing.T) {
	h := newHarness(t, "sqlite", withConfig(func(c *Config) { c.CarrierQuota = 10000 }))
	q := url.Values{"type": {"other"}, "carrier": {h.IDs["X"]}, "filename": {"q.pdf"}}
	if res := h.upload("founder@lixia.demo", "coA", q, pdf(6000)); res.Status != 201 {
		t.Fatalf("first: %d %s", res.Status, res.Body)
	}
	res := h.upload("founder@lixia.demo", "coA", q, pdf(6000))
	if res.Status != 413 || res.JSON(t)["slug"] != "quota-exceeded" {
		t.Fatalf("over quota: %d %s", res.Status, res.Body)
	}
	if u := h.Do("operator@lixia.demo", "GET", "/api/v1/carriers/"+h.IDs["X"]+"/document-usage", nil).JSON(t); u["used_bytes"] != 6000.0 || u["quota_bytes"] != 10000.0 {
		t.Fatalf("usage: %v", u)
	}
	// Another carrier's quota is its own.
	q2 := url.Values{"type": {"other"}, "carrier": {h.IDs["M"]}, "filename": {"q.pdf"}}
	if res := h.upload("founder2@lixia.demo", "coB", q2, pdf(6000)); res.Status != 201 {
		t.Fatalf("other carrier: %d %s", res.Status, res.Body)
	}
}

// Once the application is decided its checklist closes.
func TestDecidedApplicationClosesChecklist(t *testing.T) {
	h := newHarness(t, "sqlite")
	ev := mustEvent(t, h, "appA")
	h.Fixture.Publish(ev)
	testkit.Eventually(h.T, "checklist closed", func() bool {
		res := h.Do("founder@lixia.demo", "GET", "/api/v1/checklists/application:"+h.IDs["appA"], nil)
		return res.Status == 200 && res.JSON(t)["open"] == false
	})
	res := h.upload("founder@lixia.demo", "coA", h.slot("appA", "business_plan", "late.pdf"), pdf(100))
	if res.Status != 409 || res.JSON(t)["slug"] != "checklist-closed" {
		t.Fatalf("upload into a closed checklist: %d %s", res.Status, res.Body)
	}
}

// The scheduled run publishes what it found as metrics.
func TestMaintenanceMetrics(t *testing.T) {
	h := newHarness(t, "sqlite")
	ctx := context.Background()
	if _, err := h.blob.Put(ctx, h.IDs["lixia"]+"/_/"+h.IDs["coA"]+"/01STRAY", bytes.NewReader([]byte("x")), 1, "text/plain"); err != nil {
		t.Fatal(err)
	}
	h.svc.app.SetClock(func() time.Time { return time.Now().UTC().Add(2 * time.Hour) })
	h.svc.runMaintenance(ctx)
	if got := testutil.ToFloat64(orphanObjects); got != 1 {
		t.Fatalf("orphan gauge %v, want 1 (report only by default)", got)
	}
	// /metrics has a listener of its own (INCUCHAIN_METRICS_ADDR), served
	// by httpx.MetricsHandler.
	rec := httptest.NewRecorder()
	httpx.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), "incuchain_documents_orphan_objects 1") {
		t.Errorf("/metrics lacks the orphan gauge")
	}
}
