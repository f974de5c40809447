package domain

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// ArchiveLimits bound what a ZIP container (OOXML, OFD, plain ZIP) may
// expand to. A file over any of them is refused as an archive bomb.
type ArchiveLimits struct {
	MaxEntries  int   // entries in the central directory
	MaxExpanded int64 // bytes of all entries together, uncompressed
	MaxRatio    int64 // uncompressed / compressed, per entry and overall
}

// DefaultArchiveLimits are generous for real office files and tight for
// bombs (42.zip expands ~10^6 times; a real .docx rarely 20 times).
var DefaultArchiveLimits = ArchiveLimits{MaxEntries: 10000, MaxExpanded: 1 << 30, MaxRatio: 200}

// sniffLen is how much of the head Inspect looks at.
const sniffLen = 8 << 10

// Inspect says what the bytes of an upload are, from the bytes alone:
// r is the whole file (size bytes). Executables are named as such, ZIP
// containers are opened and their entries expanded under limits, and
// anything unrecognized is application/octet-stream, which no type
// allows. It never trusts a name or a declared content type.
func Inspect(r io.ReaderAt, size int64, limits ArchiveLimits) (string, error) {
	head := make([]byte, min(size, sniffLen))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("inspect: read head: %w", err)
	}
	switch {
	case size == 0:
		return "application/x-empty", nil
	case isExecutable(head):
		return "", apperr.New(apperr.Unsupported, "executable-refused").With("detected", "executable")
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return CTPDF, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return CTPNG, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return CTJPEG, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return inspectZip(r, size, limits)
	case isArchive(head):
		// gzip, 7z, rar, bzip2, xz, tar: containers nobody's material needs
		// and that we do not open.
		return "application/x-archive", nil
	}
	if ct := sniffText(head, size > sniffLen); ct != "" {
		return ct, nil
	}
	return "application/octet-stream", nil
}

func isExecutable(b []byte) bool {
	for _, sig := range [][]byte{
		[]byte("MZ"),                                       // PE (.exe, .dll)
		[]byte("\x7fELF"),                                  // ELF
		{0xFE, 0xED, 0xFA, 0xCE}, {0xFE, 0xED, 0xFA, 0xCF}, // Mach-O
		{0xCE, 0xFA, 0xED, 0xFE}, {0xCF, 0xFA, 0xED, 0xFE},
		{0xCA, 0xFE, 0xBA, 0xBE}, // Mach-O universal / Java class
		[]byte("#!"),             // scripts
		[]byte("\x00asm"),        // WebAssembly
	} {
		if bytes.HasPrefix(b, sig) {
			return true
		}
	}
	return false
}

func isArchive(b []byte) bool {
	for _, sig := range [][]byte{
		{0x1F, 0x8B},                     // gzip
		[]byte("7z\xBC\xAF\x27\x1C"),     // 7z
		[]byte("Rar!\x1A\x07"),           // rar
		[]byte("BZh"),                    // bzip2
		{0xFD, '7', 'z', 'X', 'Z', 0x00}, // xz
		{0x28, 0xB5, 0x2F, 0xFD},         // zstd
	} {
		if bytes.HasPrefix(b, sig) {
			return true
		}
	}
	return len(b) > 262 && string(b[257:262]) == "ustar"
}

// sniffText accepts UTF-8 (with or without BOM) without control
// characters other than tab, CR, LF and form feed; comma-separated lines of
// equal width are CSV. truncated says head is only the start of the file,
// so a multi-byte character may be cut at its end.
func sniffText(head []byte, truncated bool) string {
	b := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if truncated {
		for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	if !utf8.Valid(b) {
		return ""
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' {
			return ""
		}
	}
	lines := strings.Split(strings.TrimRight(string(b), "\r\n"), "\n")
	if truncated && len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	if len(lines) >= 2 {
		n := strings.Count(lines[0], ",")
		csv := n > 0
		for _, l := range lines[1:] {
			if strings.Count(l, ",") != n {
				csv = false
				break
			}
		}
		if csv {
			return CTCSV
		}
	}
	return CTText
}

func bomb(reason string) error {
	return apperr.NewValidation("archive-bomb").Add("file", "archive_bomb", "reason", reason).Err()
}

// inspectZip opens a ZIP container, refuses it when it would expand past
// limits (by what it declares and by what it really expands to), or when it
// nests further archives, and names its kind from its entries.
func inspectZip(r io.ReaderAt, size int64, limits ArchiveLimits) (string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "application/octet-stream", nil // a broken ZIP is nothing we allow
	}
	if len(zr.File) > limits.MaxEntries {
		return "", bomb("entries")
	}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		if declared > uint64(limits.MaxExpanded) {
			return "", bomb("expanded_size")
		}
		if f.CompressedSize64 > 0 && f.UncompressedSize64 > 1<<20 && f.UncompressedSize64/f.CompressedSize64 > uint64(limits.MaxRatio) {
			return "", bomb("ratio")
		}
	}
	if size > 0 && declared > 1<<20 && declared/uint64(size) > uint64(limits.MaxRatio) {
		return "", bomb("ratio")
	}
	// Headers can lie: expand every entry, counting, and stop at the limit.
	var expanded int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		n, nested, err := expandEntry(f, limits.MaxExpanded-expanded)
		expanded += n
		if err != nil {
			if errors.Is(err, errTooBig) {
				return "", bomb("expanded_size")
			}
			return "application/octet-stream", nil // corrupt entry
		}
		if nested {
			return "", bomb("nested_archive")
		}
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[strings.SplitN(f.Name, "/", 2)[0]] = true
	}
	switch {
	case names["[Content_Types].xml"] && names["word"]:
		return CTDOCX, nil
	case names["[Content_Types].xml"] && names["xl"]:
		return CTXLSX, nil
	case names["[Content_Types].xml"] && names["ppt"]:
		return CTPPTX, nil
	case names["OFD.xml"]:
		return CTOFD, nil
	}
	return CTZIP, nil
}

var errTooBig = errors.New("expands past the limit")

// expandEntry reads one entry to the end, at most budget bytes, and says
// whether it starts like another archive.
func expandEntry(f *zip.File, budget int64) (int64, bool, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, false, err
	}
	defer rc.Close()
	head := make([]byte, 8)
	n, err := io.ReadFull(rc, head)
	nested := n >= 4 && (bytes.HasPrefix(head, []byte("PK\x03\x04")) || isArchive(head[:n]))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return int64(n), false, err
	}
	if int64(n) > budget {
		return int64(n), nested, errTooBig
	}
	m, err := io.Copy(io.Discard, io.LimitReader(rc, budget-int64(n)+1))
	total := int64(n) + m
	if err != nil {
		return total, nested, err
	}
	if total > budget {
		return total, nested, errTooBig
	}
	return total, nested, nil
}
