package domain

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

var (
	docT0  = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	docNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
)

const testDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func testContent(id string) StoredContent {
	return StoredContent{ObjectKey: ObjectKey("r", "c", "co", id), Filename: "计划书.pdf", SHA256: testDigest, ContentType: CTPDF, Size: 1234}
}

// testVersion is new checked content that no document has numbered yet.
func testVersion(t *testing.T, id string) *Version {
	t.Helper()
	v, err := NewVersion(id, testContent(id), "founder")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// storedDocument is a document as the database holds it in status s,
// with version 1 as its latest.
func storedDocument(s Status) *Document {
	x := DocumentRecord{ID: "d", RegionID: "r", CarrierID: "c", CompanyID: "co", Type: TypeBusinessPlan, Status: s, LatestVersion: 1,
		CreatedBy: "founder", CreatedAt: docT0, UpdatedAt: docT0}
	vs := StatusUploaded
	if s != StatusDeleted {
		vs = s
	}
	v := VersionFromDB(VersionRecord{ID: "v1", DocumentID: "d", Number: 1, ObjectKey: "r/c/co/v1", Filename: "a.pdf", Size: 10,
		SHA256: testDigest, ContentType: CTPDF, UploadedBy: "founder", UploadedAt: docT0, Status: vs})
	switch s {
	case StatusVerified, StatusReturned:
		x.Comment, x.ReviewedBy, x.ReviewedAt = "earlier", "officer", &docT0
	case StatusDeleted:
		x.DeletedBy, x.DeletedAt = "founder", &docT0
	}
	return DocumentFromDB(x, v)
}

func slugOf(err error) string {
	if ae, ok := apperr.As(err); ok {
		return ae.Slug
	}
	if err != nil {
		return "!" + err.Error()
	}
	return ""
}

// Every transition of a stored document from every status: the ones the
// rules allow change it as they should, the others leave it as it was.
func TestDocumentTransitions(t *testing.T) {
	type action string
	const (
		verify     action = "verify"
		ret        action = "return"
		del        action = "delete"
		newVersion action = "new version"
	)
	statuses := []Status{StatusUploaded, StatusVerified, StatusReturned, StatusDeleted}
	// want[from][action] is the status after, or "!slug" for a refusal.
	want := map[Status]map[action]string{
		StatusUploaded: {verify: "verified", ret: "returned", del: "deleted", newVersion: "uploaded"},
		StatusVerified: {verify: "!document-bad-transition", ret: "returned", del: "!document-verified", newVersion: "uploaded"},
		StatusReturned: {verify: "!document-bad-transition", ret: "!document-bad-transition", del: "deleted", newVersion: "uploaded"},
		StatusDeleted:  {verify: "!document-deleted", ret: "!document-deleted", del: "!document-deleted", newVersion: "!document-deleted"},
	}
	for _, from := range statuses {
		for _, act := range []action{verify, ret, del, newVersion} {
			w := want[from][act]
			t.Run(string(from)+"/"+string(act), func(t *testing.T) {
				d := storedDocument(from)
				before, latestBefore := d.Record(), d.Latest().Record()
				v2 := testVersion(t, "v2")
				var err error
				switch act {
				case verify:
					err = d.Verify(" 齐全 ", "officer2", docNow)
				case ret:
					err = d.Return(" 请补充盖章页 ", "officer2", docNow)
				case del:
					err = d.Delete("founder2", docNow)
				case newVersion:
					err = d.AddVersion(v2, docNow)
				}
				if strings.HasPrefix(w, "!") {
					ae, ok := apperr.As(err)
					if !ok || ae.Category != apperr.Conflict || ae.Slug != w[1:] {
						t.Fatalf("err %v, want conflict %s", err, w[1:])
					}
					if ae.Slug == "document-bad-transition" && (ae.Params["status"] != string(from) || ae.Params["action"] != string(act)) {
						t.Errorf("params %v, want status %s and action %s", ae.Params, from, act)
					}
					if !reflect.DeepEqual(d.Record(), before) || !reflect.DeepEqual(d.Latest().Record(), latestBefore) {
						t.Fatalf("a refused %s changed the document: %+v → %+v", act, before, d.Record())
					}
					if v2.DocumentID() != "" || v2.Number() != 0 {
						t.Fatalf("a refused new version was numbered: %+v", v2.Record())
					}
					return
				}
				if err != nil {
					t.Fatalf("%s from %s: %v", act, from, err)
				}
				x := d.Record()
				if string(x.Status) != w || !x.UpdatedAt.Equal(docNow) {
					t.Fatalf("status %s updated %v, want %s at %v", x.Status, x.UpdatedAt, w, docNow)
				}
				switch act {
				case verify, ret:
					wantComment := map[action]string{verify: "齐全", ret: "请补充盖章页"}[act]
					if x.Comment != wantComment || x.ReviewedBy != "officer2" || x.ReviewedAt == nil || !x.ReviewedAt.Equal(docNow) {
						t.Errorf("review recorded %q by %q at %v", x.Comment, x.ReviewedBy, x.ReviewedAt)
					}
					if l := d.Latest(); l.Status() != x.Status || l.Comment() != wantComment {
						t.Errorf("latest version %s %q, want %s %q", l.Status(), l.Comment(), x.Status, wantComment)
					}
				case del:
					if x.DeletedBy != "founder2" || x.DeletedAt == nil || !x.DeletedAt.Equal(docNow) || !d.Deleted() {
						t.Errorf("deletion recorded by %q at %v", x.DeletedBy, x.DeletedAt)
					}
					if slugOf(d.Downloadable()) != "document-not-found" {
						t.Errorf("a deleted document is downloadable: %v", d.Downloadable())
					}
				case newVersion:
					if x.LatestVersion != 2 || x.Comment != "" || x.ReviewedBy != "" || x.ReviewedAt != nil || d.Latest() != v2 {
						t.Errorf("new version left %+v", x)
					}
					if v := v2.Record(); v.DocumentID != "d" || v.Number != 2 || v.Status != StatusUploaded || !v.UploadedAt.Equal(docNow) {
						t.Errorf("new version recorded as %+v", v)
					}
				}
			})
		}
	}
}

// A review's comment is checked before the status: returning needs one,
// neither takes more than 1000 characters, and spaces around it go.
func TestReviewComment(t *testing.T) {
	long := strings.Repeat("长", MaxCommentRunes+1)
	for _, c := range []struct {
		name    string
		from    Status
		verify  bool
		comment string
		field   string // "" when accepted
		stored  string
	}{
		{"return without a comment", StatusUploaded, false, "", "required", ""},
		{"return with only spaces", StatusUploaded, false, " \n\t ", "required", ""},
		{"return of a deleted document without a comment", StatusDeleted, false, "", "required", ""},
		{"return with a long comment", StatusUploaded, false, long, "too_long", ""},
		{"verify with a long comment", StatusUploaded, true, long, "too_long", ""},
		{"verify without a comment", StatusUploaded, true, "", "", ""},
		{"return with exactly the limit", StatusUploaded, false, strings.Repeat("长", MaxCommentRunes), "", strings.Repeat("长", MaxCommentRunes)},
		{"comment trimmed", StatusVerified, false, "  补充  ", "", "补充"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := storedDocument(c.from)
			before := d.Record()
			var err error
			if c.verify {
				err = d.Verify(c.comment, "officer", docNow)
			} else {
				err = d.Return(c.comment, "officer", docNow)
			}
			if c.field == "" {
				if err != nil || d.Comment() != c.stored {
					t.Fatalf("err %v, comment %q; want accepted with %q", err, d.Comment(), c.stored)
				}
				return
			}
			ae, ok := apperr.As(err)
			if !ok || ae.Slug != "invalid-review" || ae.Category != apperr.IncorrectInput || len(ae.Fields) != 1 ||
				ae.Fields[0].Field != "comment" || ae.Fields[0].Code != c.field {
				t.Fatalf("err %+v, want invalid-review comment %s", ae, c.field)
			}
			if !reflect.DeepEqual(d.Record(), before) {
				t.Fatal("a refused review changed the document")
			}
		})
	}
}

func TestNewDocument(t *testing.T) {
	owner := DocumentOwner{RegionID: "r", CarrierID: "c", CompanyID: "co"}
	d, err := NewDocument("d", owner, TypeBusinessPlan, "application:a", "founder", docNow)
	if err != nil {
		t.Fatal(err)
	}
	want := DocumentRecord{ID: "d", RegionID: "r", CarrierID: "c", CompanyID: "co", Type: TypeBusinessPlan, ChecklistID: "application:a",
		CreatedBy: "founder", CreatedAt: docNow, UpdatedAt: docNow}
	if got := d.Record(); !reflect.DeepEqual(got, want) || d.Latest() != nil {
		t.Fatalf("new document %+v, want %+v", got, want)
	}
	if d.Fills() {
		t.Error("a document without a version fills a slot")
	}
	if err := d.AddVersion(testVersion(t, "v1"), docNow); err != nil || d.Status() != StatusUploaded || d.LatestVersion() != 1 || !d.Fills() {
		t.Fatalf("first version: %v, %s %d", err, d.Status(), d.LatestVersion())
	}
	if _, err := NewDocument("d", DocumentOwner{RegionID: "r", CompanyID: "co"}, TypeOther, "", "founder", docNow); err != nil {
		t.Errorf("a document of no carrier and no checklist: %v", err)
	}
	for name, c := range map[string]struct {
		id    string
		owner DocumentOwner
		typ   string
		by    string
		want  string
	}{
		"no id":        {"", owner, TypeOther, "u", "no id"},
		"no region":    {"d", DocumentOwner{CompanyID: "co"}, TypeOther, "u", "no region"},
		"no company":   {"d", DocumentOwner{RegionID: "r"}, TypeOther, "u", "no company"},
		"no type":      {"d", owner, "", "u", "no type"},
		"unknown type": {"d", owner, "passport", "u", `unknown type "passport"`},
		"no creator":   {"d", owner, TypeOther, "", "no created by"},
	} {
		t.Run(name, func(t *testing.T) {
			d, err := NewDocument(c.id, c.owner, c.typ, "", c.by, docNow)
			if err == nil || d != nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, %v; want an error saying %q", d, err, c.want)
			}
		})
	}
}

func TestNewVersion(t *testing.T) {
	v := testVersion(t, "v1")
	want := VersionRecord{ID: "v1", ObjectKey: "r/c/co/v1", Filename: "计划书.pdf", Size: 1234, SHA256: testDigest, ContentType: CTPDF, UploadedBy: "founder"}
	if got := v.Record(); !reflect.DeepEqual(got, want) || !v.Available() {
		t.Fatalf("new version %+v, want %+v", got, want)
	}
	for name, c := range map[string]struct {
		id     string
		change func(*StoredContent)
		by     string
		want   string
	}{
		"no id":            {"", func(*StoredContent) {}, "u", "no id"},
		"no key":           {"v", func(c *StoredContent) { c.ObjectKey = "" }, "u", "no object key"},
		"a path as name":   {"v", func(c *StoredContent) { c.Filename = "../x.pdf" }, "u", "file name name_path"},
		"empty":            {"v", func(c *StoredContent) { c.Size = 0 }, "u", "size 0"},
		"upper-case hex":   {"v", func(c *StoredContent) { c.SHA256 = strings.ToUpper(testDigest) }, "u", "sha256"},
		"unknown kind":     {"v", func(c *StoredContent) { c.ContentType = "application/x-msdownload" }, "u", "content type"},
		"nobody uploaded":  {"v", func(*StoredContent) {}, "", "no uploader"},
		"several problems": {"", func(c *StoredContent) { c.Size = -1 }, "u", "no id; size -1"},
	} {
		t.Run(name, func(t *testing.T) {
			sc := testContent("v")
			c.change(&sc)
			v, err := NewVersion(c.id, sc, c.by)
			if err == nil || v != nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, %v; want an error saying %q", v, err, c.want)
			}
		})
	}
	t.Run("a version of another document", func(t *testing.T) {
		d := storedDocument(StatusUploaded)
		err := d.AddVersion(d.Latest(), docNow)
		if err == nil || d.LatestVersion() != 1 {
			t.Fatalf("err %v, latest %d; want refused", err, d.LatestVersion())
		}
	})
}

// Maintenance marks a version purged once, and missing whenever a repair
// finds its bytes gone, except after a purge.
func TestVersionMaintenance(t *testing.T) {
	later := docNow.Add(time.Hour)
	type step struct {
		purge bool // else mark missing
		at    time.Time
		slug  string // "" when allowed
	}
	for _, c := range []struct {
		name           string
		steps          []step
		purged, missin *time.Time
	}{
		{"purge", []step{{true, docNow, ""}}, &docNow, nil},
		{"purge twice", []step{{true, docNow, ""}, {true, later, "version-purged"}}, &docNow, nil},
		{"mark missing", []step{{false, docNow, ""}}, nil, &docNow},
		{"mark missing again", []step{{false, docNow, ""}, {false, later, ""}}, nil, &later},
		{"mark a purged version missing", []step{{true, docNow, ""}, {false, later, "version-purged"}}, &docNow, nil},
		{"purge a missing version", []step{{false, docNow, ""}, {true, later, ""}}, &later, &docNow},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := storedDocument(StatusDeleted).Latest()
			for i, s := range c.steps {
				var err error
				if s.purge {
					err = v.Purge(s.at)
				} else {
					err = v.MarkContentMissing(s.at)
				}
				if got := slugOf(err); got != s.slug {
					t.Fatalf("step %d: %q, want %q", i, got, s.slug)
				}
				if s.slug != "" && !apperr.Is(err, apperr.Conflict) {
					t.Fatalf("step %d: %v is no conflict", i, err)
				}
			}
			if !reflect.DeepEqual(v.PurgedAt(), c.purged) || !reflect.DeepEqual(v.MissingAt(), c.missin) {
				t.Fatalf("purged %v missing %v, want %v and %v", v.PurgedAt(), v.MissingAt(), c.purged, c.missin)
			}
			if v.Available() || slugOf(v.Downloadable()) != "content-missing" {
				t.Fatalf("available %v, downloadable %v", v.Available(), v.Downloadable())
			}
		})
	}
	if v := storedDocument(StatusUploaded).Latest(); !v.Available() || v.Downloadable() != nil {
		t.Fatal("a stored version is not downloadable")
	}
}

// What the database holds comes back unchanged, and what an accessor
// hands out cannot change the document.
func TestDocumentRecordRoundTrip(t *testing.T) {
	d := storedDocument(StatusReturned)
	x := d.Record()
	if got := DocumentFromDB(x, nil).Record(); !reflect.DeepEqual(got, x) {
		t.Fatalf("round trip %+v, want %+v", got, x)
	}
	v := d.Latest().Record()
	if got := VersionFromDB(v).Record(); !reflect.DeepEqual(got, v) {
		t.Fatalf("version round trip %+v, want %+v", got, v)
	}
	at := d.ReviewedAt()
	*at = at.Add(time.Hour)
	if !d.ReviewedAt().Equal(docT0) {
		t.Fatal("ReviewedAt hands out the document's own time")
	}
}

// Only a kept, verified document whose bytes are stored is reused, and
// only as its own type; a reused version remembers its source, and its
// record round-trips.
func TestReusableAs(t *testing.T) {
	lost := storedDocument(StatusVerified)
	if err := lost.Latest().MarkContentMissing(docNow); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		d    *Document
		typ  string
		want string
	}{
		{"verified", storedDocument(StatusVerified), TypeBusinessPlan, ""},
		{"uploaded", storedDocument(StatusUploaded), TypeBusinessPlan, "document-not-verified"},
		{"returned", storedDocument(StatusReturned), TypeBusinessPlan, "document-not-verified"},
		{"deleted", storedDocument(StatusDeleted), TypeBusinessPlan, "document-deleted"},
		{"content lost", lost, TypeBusinessPlan, "content-missing"},
		{"another type", storedDocument(StatusVerified), TypeBusinessLicence, "invalid-reuse"},
	} {
		if got := slugOf(c.d.ReusableAs(c.typ)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	from := Reuse{SourceDocumentID: "d", VerifiedAt: docT0, VerifiedByCarrierID: "c", VerifiedByCarrier: "某众创空间"}
	if _, err := NewReusedVersion("v2", testContent("v2"), "founder", Reuse{SourceDocumentID: "d"}); err == nil {
		t.Error("a reuse without its verification time was accepted")
	}
	v, err := NewReusedVersion("v2", testContent("v2"), "founder", from)
	if err != nil {
		t.Fatal(err)
	}
	if got := VersionFromDB(v.Record()).ReusedFrom(); got == nil || *got != from {
		t.Fatalf("reused version round trip: %+v, want %+v", got, from)
	}
	if testVersion(t, "v3").ReusedFrom() != nil {
		t.Error("an upload claims a source")
	}
}
