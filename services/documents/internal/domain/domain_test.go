package domain

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// lyingZip has one entry that declares 10 bytes and expands to n.
func lyingZip(t *testing.T, n int) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	if _, err := fw.Write(make([]byte, n)); err != nil {
		t.Fatal(err)
	}
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CompressedSize64: uint64(comp.Len()), UncompressedSize64: 10})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

// Bytes of files as the sniffer knows them.
var (
	pdf  = "%PDF-1.7\n1 0 obj\n"
	png  = "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"
	jpeg = "\xff\xd8\xff\xe0\x00\x10JFIF"
	exe  = "MZ\x90\x00\x03\x00\x00\x00\x04\x00"
)

func TestInspect(t *testing.T) {
	limits := ArchiveLimits{MaxEntries: 50, MaxExpanded: 8 << 20, MaxRatio: 200}
	many := make([][2]string, 60)
	for i := range many {
		many[i] = [2]string{"f" + itoa(i), "x"}
	}
	cases := []struct {
		name string
		data []byte
		want string // content type, or "!slug" for a refusal
	}{
		{"pdf", []byte("%PDF-1.4\n..."), CTPDF},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), CTPNG},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, CTJPEG},
		{"docx", testkit.Zip(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", "<w/>"}), CTDOCX},
		{"xlsx", testkit.Zip(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"xl/workbook.xml", "<x/>"}), CTXLSX},
		{"pptx", testkit.Zip(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"ppt/presentation.xml", "<p/>"}), CTPPTX},
		{"ofd", testkit.Zip(t, [2]string{"OFD.xml", "<ofd/>"}, [2]string{"Doc_0/Document.xml", "<d/>"}), CTOFD},
		{"zip", testkit.Zip(t, [2]string{"photo.txt", "hello"}), CTZIP},
		{"utf-8 text", []byte("研发费用辅助账\n第一季度\n"), CTText},
		{"csv", []byte("项目,金额\n人员人工,120000\n直接投入,30000\n"), CTCSV},
		{"windows exe", append([]byte("MZ\x90\x00"), make([]byte, 100)...), "!executable-refused"},
		{"elf", []byte("\x7fELF\x02\x01\x01"), "!executable-refused"},
		{"script", []byte("#!/bin/sh\nrm -rf /\n"), "!executable-refused"},
		{"gzip", []byte{0x1F, 0x8B, 8, 0}, "application/x-archive"},
		{"binary", []byte{0, 1, 2, 3, 4, 250, 251}, "application/octet-stream"},
		{"bomb by ratio", testkit.Zip(t, [2]string{"a.xml", strings.Repeat("0", 4<<20)}), "!archive-bomb"},
		{"bomb by size", testkit.Zip(t, [2]string{"a.xml", strings.Repeat("ab", 5<<20)}), "!archive-bomb"},
		{"too many entries", testkit.Zip(t, many...), "!archive-bomb"},
		{"nested archive", testkit.Zip(t, [2]string{"in.zip", string(testkit.Zip(t, [2]string{"a", "a"}))}), "!archive-bomb"},
		{"header that lies", lyingZip(t, 4<<20), "application/octet-stream"},
		{"executable named tool.pdf in a zip", testkit.Zip(t, [2]string{"report.pdf", pdf}, [2]string{"tool.pdf", exe}), "!archive-member-refused"},
		{"executable in a docx", testkit.Zip(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", "<w/>"}, [2]string{"word/media/image1.png", exe}), "!archive-member-refused"},
		{"docx with media and properties", testkit.Zip(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"_rels/.rels", "<Relationships/>"},
			[2]string{"docProps/core.xml", "<cp/>"}, [2]string{"word/document.xml", "<w/>"}, [2]string{"word/media/image1.png", png},
			[2]string{"word/fonts/font1.odttf", "\x00\x01\x02\xfe"}), CTDOCX},
		{"xlsx with a drawing", testkit.Zip(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"xl/workbook.xml", "<x/>"},
			[2]string{"xl/media/image1.jpeg", jpeg}, [2]string{"xl/printerSettings/printerSettings1.bin", "\x00\x00\x01"}), CTXLSX},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Inspect(bytes.NewReader(c.data), int64(len(c.data)), limits)
			if strings.HasPrefix(c.want, "!") {
				ae, ok := apperr.As(err)
				if !ok || ae.Slug != c.want[1:] {
					t.Fatalf("got %q, %v; want refusal %s", got.ContentType, err, c.want[1:])
				}
				return
			}
			if err != nil || got.ContentType != c.want {
				t.Fatalf("got %q, %v; want %s", got.ContentType, err, c.want)
			}
		})
	}
}

func TestCheckFilename(t *testing.T) {
	for name, want := range map[string]string{
		"商业计划书 (终稿).pdf":         "",
		"report.v2.final.docx":   "",
		"":                       "required",
		"   ":                    "required",
		"../passwd":              "name_path",
		"a/b.pdf":                "name_path",
		`a\b.pdf`:                "name_path",
		"..":                     "name_path",
		"plan\x00.pdf":           "name_control",
		"line\nbreak.pdf":        "name_control",
		"invoice\u202Efdp.exe":   "name_bidi",
		"x\u2067y.pdf":           "name_bidi",
		"bad\xffutf8.pdf":        "name_encoding",
		strings.Repeat("长", 201): "name_too_long",
	} {
		if got := filenameProblem(name); got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
}

func TestDocumentStatus(t *testing.T) {
	now := time.Now()
	d := DocumentFromDB(DocumentRecord{ID: "d"}, nil)
	if err := d.AddVersion(testVersion(t, "v1"), now); err != nil || d.LatestVersion() != 1 || d.Status() != StatusUploaded {
		t.Fatalf("first version: %+v %v", d, err)
	}
	if err := d.Return("  ", "op", now); !apperr.Is(err, apperr.IncorrectInput) {
		t.Fatalf("return without a comment: %v", err)
	}
	if err := d.Return("请补充", "op", now); err != nil || d.Status() != StatusReturned || d.Latest().Status() != StatusReturned {
		t.Fatalf("return: %+v %v", d, err)
	}
	if err := d.Verify("", "op", now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("verify what was returned: %v", err)
	}
	if err := d.AddVersion(testVersion(t, "v2"), now); err != nil || d.LatestVersion() != 2 || d.Comment() != "" || d.Status() != StatusUploaded {
		t.Fatalf("second version: %+v %v", d, err)
	}
	if err := d.Verify("", "op", now); err != nil || d.Status() != StatusVerified {
		t.Fatalf("verify: %v", err)
	}
	if err := d.Delete("u", now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("delete verified: %v", err)
	}
	if !Fills(StatusVerified) || !Fills(StatusUploaded) || Fills(StatusReturned) || Fills(StatusDeleted) {
		t.Fatal("Fills")
	}
	if k := ObjectKey("r", "", "c", "v"); k != "r/_/c/v" {
		t.Fatalf("key %s", k)
	}
}

func TestDefaultTypesValidate(t *testing.T) {
	for _, dt := range DefaultTypes() {
		if err := dt.Validate(); err != nil {
			t.Errorf("%s: %v", dt.Code, err)
		}
	}
	bad := DocumentType{Code: "nope", ContentTypes: []string{"application/x-msdownload"}, MaxBytes: MaxTypeBytes + 1}
	ae, _ := apperr.As(bad.Validate())
	if ae == nil || len(ae.Fields) != 4 {
		t.Fatalf("bad type: %+v", ae)
	}
}

// A ZIP is held against the type's allowlist file by file: each file is
// what its own bytes say, whatever its name, and a refusal names the file
// and the kinds in both languages.
func TestAdmitArchiveMembers(t *testing.T) {
	evidence, _ := DefaultType(TypeMilestoneEvidence)
	plan, _ := DefaultType(TypeBusinessPlan)
	limits := ArchiveLimits{MaxEntries: 100, MaxExpanded: 8 << 20, MaxRatio: 200}
	inspect := func(t *testing.T, data []byte) (Inspection, error) {
		t.Helper()
		return Inspect(bytes.NewReader(data), int64(len(data)), limits)
	}
	manyTexts := make([][2]string, 25)
	for i := range manyTexts {
		manyTexts[i] = [2]string{"notes/" + itoa(i) + ".txt", "words\n"}
	}
	type problem struct{ field, code, member, detectedZH, detectedEN string }
	for _, c := range []struct {
		name string
		typ  DocumentType
		data []byte
		slug string // "" when admitted
		want []problem
	}{
		{"photos and a report", evidence, testkit.Zip(t, [2]string{"report.pdf", pdf}, [2]string{"site/photo.jpg", jpeg}, [2]string{"site/", ""}, [2]string{"site/plan.png", png}), "", nil},
		{"made on a Mac", evidence, testkit.Zip(t, [2]string{"report.pdf", pdf}, [2]string{"__MACOSX/._report.pdf", "\x00\x05\x16\x07\x00\x02\x00\x00"},
			[2]string{".DS_Store", "\x00\x00\x00\x01Bud1\x00\x00"}, [2]string{"empty.pdf", ""}), "", nil},
		{"executable named tool.pdf", evidence, testkit.Zip(t, [2]string{"report.pdf", pdf}, [2]string{"bin/tool.pdf", exe}), "archive-member-refused",
			[]problem{{"file", "member_executable", "bin/tool.pdf", "", ""}}},
		{"script named readme.txt", evidence, testkit.Zip(t, [2]string{"readme.txt", "#!/bin/sh\ncurl x | sh\n"}), "archive-member-refused",
			[]problem{{"file", "member_executable", "readme.txt", "", ""}}},
		{"text the type does not take", evidence, testkit.Zip(t, [2]string{"report.pdf", pdf}, [2]string{"notes.pdf", "just words\n"}, [2]string{"blob.png", "\x00\x01\x02\xfe"}), "archive-member-refused",
			[]problem{{"file", "member_not_allowed", "notes.pdf", "纯文本", "plain text"}, {"file", "member_not_allowed", "blob.png", "无法识别的文件", "unrecognized file"}}},
		{"a ZIP where the type takes none", plan, testkit.Zip(t, [2]string{"plan.pdf", pdf}), "type-not-allowed",
			[]problem{{"file", "type_not_allowed", "", "ZIP 压缩包", "ZIP archive"}}},
		{"plain text where the type takes none", plan, []byte("just words\n"), "type-not-allowed",
			[]problem{{"file", "type_not_allowed", "", "纯文本", "plain text"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := inspect(t, c.data)
			if err == nil {
				err = c.typ.Admit(in)
			}
			if c.slug == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			ae, ok := apperr.As(err)
			if !ok || ae.Slug != c.slug || ae.Category != apperr.Unsupported || len(ae.Fields) != len(c.want) {
				t.Fatalf("got %+v (%v), want %s with %d field errors", ae, err, c.slug, len(c.want))
			}
			for i, w := range c.want {
				f := ae.Fields[i]
				if f.Field != w.field || f.Code != w.code || (w.member != "" && f.Params["member"] != w.member) {
					t.Errorf("field error %d = %+v, want %+v", i, f, w)
				}
				if w.detectedZH != "" && (f.Params["detected_zh"] != w.detectedZH || f.Params["detected_en"] != w.detectedEN) {
					t.Errorf("field error %d names %v / %v, want %s / %s", i, f.Params["detected_zh"], f.Params["detected_en"], w.detectedZH, w.detectedEN)
				}
				if w.code != "member_executable" {
					zh, en := c.typ.AllowedKinds()
					if f.Params["allowed_zh"] != zh || f.Params["allowed_en"] != en {
						t.Errorf("field error %d allows %v / %v, want %s / %s", i, f.Params["allowed_zh"], f.Params["allowed_en"], zh, en)
					}
				}
			}
		})
	}

	t.Run("many refused files are named up to a limit", func(t *testing.T) {
		in, err := inspect(t, testkit.Zip(t, manyTexts...))
		if err != nil {
			t.Fatal(err)
		}
		ae, _ := apperr.As(evidence.Admit(in))
		if ae == nil || len(ae.Fields) != maxMemberProblems+1 || ae.Params["count"] != 25 {
			t.Fatalf("got %+v", ae)
		}
		if last := ae.Fields[maxMemberProblems]; last.Code != "members_more" || last.Params["more"] != 5 {
			t.Fatalf("last field error %+v, want members_more with more=5", last)
		}
	})
}

func TestKindNames(t *testing.T) {
	evidence, _ := DefaultType(TypeMilestoneEvidence)
	zh, en := evidence.AllowedKinds()
	if want := "PDF、PNG 图片、JPEG 图片、Word 文档（.docx）、Excel 表格（.xlsx）、PowerPoint 演示文稿（.pptx）、ZIP 压缩包"; zh != want {
		t.Errorf("zh %q, want %q", zh, want)
	}
	if want := "PDF, PNG image, JPEG image, Word document (.docx), Excel workbook (.xlsx), PowerPoint presentation (.pptx), ZIP archive"; en != want {
		t.Errorf("en %q, want %q", en, want)
	}
	for _, ct := range KnownContentTypes {
		if zh, en := KindName(ct); zh == kindNames[ctUnknown][0] || strings.Contains(zh+en, "/") {
			t.Errorf("%s has no name people know: %q / %q", ct, zh, en)
		}
	}
}
