package domain

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

func zipOf(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

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
		{"docx", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", "<w/>"}), CTDOCX},
		{"xlsx", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"xl/workbook.xml", "<x/>"}), CTXLSX},
		{"pptx", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"ppt/presentation.xml", "<p/>"}), CTPPTX},
		{"ofd", zipOf(t, [2]string{"OFD.xml", "<ofd/>"}, [2]string{"Doc_0/Document.xml", "<d/>"}), CTOFD},
		{"zip", zipOf(t, [2]string{"photo.txt", "hello"}), CTZIP},
		{"utf-8 text", []byte("研发费用辅助账\n第一季度\n"), CTText},
		{"csv", []byte("项目,金额\n人员人工,120000\n直接投入,30000\n"), CTCSV},
		{"windows exe", append([]byte("MZ\x90\x00"), make([]byte, 100)...), "!executable-refused"},
		{"elf", []byte("\x7fELF\x02\x01\x01"), "!executable-refused"},
		{"script", []byte("#!/bin/sh\nrm -rf /\n"), "!executable-refused"},
		{"gzip", []byte{0x1F, 0x8B, 8, 0}, "application/x-archive"},
		{"binary", []byte{0, 1, 2, 3, 4, 250, 251}, "application/octet-stream"},
		{"bomb by ratio", zipOf(t, [2]string{"a.xml", strings.Repeat("0", 4<<20)}), "!archive-bomb"},
		{"bomb by size", zipOf(t, [2]string{"a.xml", strings.Repeat("ab", 5<<20)}), "!archive-bomb"},
		{"too many entries", zipOf(t, many...), "!archive-bomb"},
		{"nested archive", zipOf(t, [2]string{"in.zip", string(zipOf(t, [2]string{"a", "a"}))}), "!archive-bomb"},
		{"header that lies", lyingZip(t, 4<<20), "application/octet-stream"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Inspect(bytes.NewReader(c.data), int64(len(c.data)), limits)
			if strings.HasPrefix(c.want, "!") {
				ae, ok := apperr.As(err)
				if !ok || ae.Slug != c.want[1:] {
					t.Fatalf("got %q, %v; want refusal %s", got, err, c.want[1:])
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %s", got, err, c.want)
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
	d := &Document{ID: "d"}
	if err := d.AddVersion(&Version{ID: "v1"}, now); err != nil || d.LatestVersion != 1 || d.Status != StatusUploaded {
		t.Fatalf("first version: %+v %v", d, err)
	}
	if err := d.Review(false, "  ", "op", now); !apperr.Is(err, apperr.IncorrectInput) {
		t.Fatalf("return without a comment: %v", err)
	}
	if err := d.Review(false, "请补充", "op", now); err != nil || d.Status != StatusReturned || d.Latest.Status != StatusReturned {
		t.Fatalf("return: %+v %v", d, err)
	}
	if err := d.Review(true, "", "op", now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("verify what was returned: %v", err)
	}
	if err := d.AddVersion(&Version{ID: "v2"}, now); err != nil || d.LatestVersion != 2 || d.Comment != "" || d.Status != StatusUploaded {
		t.Fatalf("second version: %+v %v", d, err)
	}
	if err := d.Review(true, "", "op", now); err != nil || d.Status != StatusVerified {
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
