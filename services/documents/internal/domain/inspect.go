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

// sniffLen is how much of the head Inspect looks at, of a file and of each
// file inside a ZIP.
const sniffLen = 8 << 10

// maxMemberProblems bounds how many refused archive members one answer names.
const maxMemberProblems = 20

// Inspection is what the bytes of an upload are.
type Inspection struct {
	ContentType string
	// Members are the files inside a plain ZIP (ContentType CTZIP), each
	// named by what its own bytes are: a ZIP is held against the type's
	// allowlist file by file. Empty for OOXML and OFD, whose parts belong
	// to the format, and for anything that is not a ZIP.
	Members []Member
}

// Member is one file inside a ZIP container.
type Member struct {
	Name        string
	ContentType string
}

// Inspect says what the bytes of an upload are, from the bytes alone:
// r is the whole file (size bytes). Executables are refused, also inside a
// ZIP container, whose entries are expanded under limits and sniffed one by
// one; anything unrecognized is application/octet-stream, which no type
// allows. It never trusts a name or a declared content type.
func Inspect(r io.ReaderAt, size int64, limits ArchiveLimits) (Inspection, error) {
	head := make([]byte, min(size, sniffLen))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return Inspection{}, fmt.Errorf("inspect: read head: %w", err)
	}
	switch ct := sniff(head, size); ct {
	case ctExecutable:
		return Inspection{}, apperr.New(apperr.Unsupported, "executable-refused").With("detected", "executable")
	case CTZIP:
		return inspectZip(r, size, limits)
	default:
		return Inspection{ContentType: ct}, nil
	}
}

// Kinds the sniffer names that no allowlist may hold.
const (
	ctEmpty      = "application/x-empty"
	ctExecutable = "application/x-executable"
	ctArchive    = "application/x-archive" // gzip, 7z, rar, bzip2, xz, zstd, tar
	ctUnknown    = "application/octet-stream"
	// Finder's AppleDouble files (__MACOSX/._name) and .DS_Store: what macOS
	// adds to every ZIP it makes, metadata rather than material.
	ctAppleMetadata = "application/x-apple-metadata"
)

// sniff names what a file is from its first bytes (head) and its size.
// A ZIP is only CTZIP here: Inspect opens it to tell OOXML and OFD apart.
func sniff(head []byte, size int64) string {
	switch {
	case size == 0:
		return ctEmpty
	case isExecutable(head):
		return ctExecutable
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return CTPDF
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return CTPNG
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return CTJPEG
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return CTZIP
	case isArchive(head):
		// Containers nobody's material needs and that we do not open.
		return ctArchive
	case bytes.HasPrefix(head, []byte{0x00, 0x05, 0x16, 0x07}), bytes.HasPrefix(head, []byte{0x00, 0x05, 0x16, 0x00}),
		bytes.HasPrefix(head, []byte("\x00\x00\x00\x01Bud1")):
		return ctAppleMetadata
	}
	if ct := sniffText(head, size > int64(len(head))); ct != "" {
		return ct
	}
	return ctUnknown
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
// limits (by what it declares and by what it really expands to), when it
// nests further archives or holds an executable, and names its kind from
// its entries; a plain ZIP also lists what each of its files is.
func inspectZip(r io.ReaderAt, size int64, limits ArchiveLimits) (Inspection, error) {
	broken := Inspection{ContentType: ctUnknown} // a broken ZIP is nothing we allow
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return broken, nil
	}
	if len(zr.File) > limits.MaxEntries {
		return Inspection{}, bomb("entries")
	}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		if declared > uint64(limits.MaxExpanded) {
			return Inspection{}, bomb("expanded_size")
		}
		if f.CompressedSize64 > 0 && f.UncompressedSize64 > 1<<20 && f.UncompressedSize64/f.CompressedSize64 > uint64(limits.MaxRatio) {
			return Inspection{}, bomb("ratio")
		}
	}
	if size > 0 && declared > 1<<20 && declared/uint64(size) > uint64(limits.MaxRatio) {
		return Inspection{}, bomb("ratio")
	}
	// Headers can lie: expand every entry, counting, and stop at the limit.
	var (
		expanded    int64
		members     []Member
		executables []string
	)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		n, ct, err := expandEntry(f, limits.MaxExpanded-expanded)
		expanded += n
		if err != nil {
			if errors.Is(err, errTooBig) {
				return Inspection{}, bomb("expanded_size")
			}
			return broken, nil // corrupt entry
		}
		switch ct {
		case CTZIP, ctArchive:
			return Inspection{}, bomb("nested_archive")
		case ctExecutable:
			executables = append(executables, f.Name)
		case ctEmpty, ctAppleMetadata:
			// Nothing to hold against an allowlist.
		default:
			members = append(members, Member{Name: f.Name, ContentType: ct})
		}
	}
	if len(executables) > 0 {
		// Whatever the container and whatever the entry's name claims.
		return Inspection{}, memberProblems(len(executables), func(add func(string, string, ...any)) {
			for _, name := range executables {
				add(name, "member_executable")
			}
		})
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[strings.SplitN(f.Name, "/", 2)[0]] = true
	}
	// OOXML and OFD are ZIPs too; their parts are the format's, not files
	// of their own, so they are recognized first and not listed.
	switch {
	case names["[Content_Types].xml"] && names["word"]:
		return Inspection{ContentType: CTDOCX}, nil
	case names["[Content_Types].xml"] && names["xl"]:
		return Inspection{ContentType: CTXLSX}, nil
	case names["[Content_Types].xml"] && names["ppt"]:
		return Inspection{ContentType: CTPPTX}, nil
	case names["OFD.xml"]:
		return Inspection{ContentType: CTOFD}, nil
	}
	return Inspection{ContentType: CTZIP, Members: members}, nil
}

// memberProblems is the refusal of an archive for n of its files, each
// named by a field error on "file" (at most maxMemberProblems of them).
func memberProblems(n int, each func(add func(member, code string, params ...any))) error {
	e := apperr.New(apperr.Unsupported, "archive-member-refused").With("count", n)
	each(func(member, code string, params ...any) {
		if len(e.Fields) >= maxMemberProblems {
			return
		}
		fe := apperr.FieldError{Field: "file", Code: code, Params: map[string]any{"member": member}}
		for i := 0; i+1 < len(params); i += 2 {
			fe.Params[fmt.Sprint(params[i])] = params[i+1]
		}
		e.Fields = append(e.Fields, fe)
	})
	if n > maxMemberProblems {
		e.Fields = append(e.Fields, apperr.FieldError{Field: "file", Code: "members_more", Params: map[string]any{"more": n - maxMemberProblems}})
	}
	return e
}

var errTooBig = errors.New("expands past the limit")

// expandEntry reads one entry to the end, at most budget bytes, and says
// what it is from its first bytes, as sniff does for a whole file.
func expandEntry(f *zip.File, budget int64) (int64, string, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, "", err
	}
	defer rc.Close()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(rc, head)
	head = head[:n]
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return int64(n), "", err
	}
	if int64(n) > budget {
		return int64(n), "", errTooBig
	}
	m, err := io.Copy(io.Discard, io.LimitReader(rc, budget-int64(n)+1))
	total := int64(n) + m
	if err != nil {
		return total, "", err
	}
	if total > budget {
		return total, "", errTooBig
	}
	return total, sniff(head, total), nil
}
