package domain

import (
	"slices"
	"strings"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Content types the sniffer can name. Only these may appear in a type's
// allowlist.
const (
	CTPDF  = "application/pdf"
	CTPNG  = "image/png"
	CTJPEG = "image/jpeg"
	CTDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	CTXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	CTPPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	CTOFD  = "application/ofd" // GB/T 33190 版式文档 (e-invoices, e-licences)
	CTZIP  = "application/zip"
	CTText = "text/plain"
	CTCSV  = "text/csv"
)

// KnownContentTypes lists what an allowlist may name.
var KnownContentTypes = []string{CTPDF, CTPNG, CTJPEG, CTDOCX, CTXLSX, CTPPTX, CTOFD, CTZIP, CTText, CTCSV}

// Type codes (资料类型).
const (
	TypeBusinessLicence     = "business_licence"
	TypeBusinessPlan        = "business_plan"
	TypeIPCertificate       = "ip_certificate"
	TypeFinancialStatements = "financial_statements"
	TypeRDLedger            = "rd_ledger"
	TypeMilestoneEvidence   = "milestone_evidence"
	TypeOther               = "other"
)

// DocumentType is a kind of material with what it may contain and how big
// it may be. Regions may change the names, the allowlist and the limit.
type DocumentType struct {
	Code         string
	NameZH       string
	NameEN       string
	ContentTypes []string
	MaxBytes     int64
}

const mib = 1 << 20

// MaxTypeBytes caps any type's limit (a region may not raise it further).
const MaxTypeBytes = 2 << 30

// DefaultTypes are every region's types until it changes them.
func DefaultTypes() []DocumentType {
	scans := []string{CTPDF, CTPNG, CTJPEG, CTOFD}
	office := []string{CTPDF, CTDOCX, CTPPTX}
	sheets := []string{CTPDF, CTXLSX, CTCSV, CTText}
	return []DocumentType{
		{TypeBusinessLicence, "营业执照", "Business licence", scans, 20 * mib},
		{TypeBusinessPlan, "商业计划书", "Business plan", office, 200 * mib},
		{TypeIPCertificate, "知识产权证明", "IP certificate", scans, 50 * mib},
		{TypeFinancialStatements, "财务报表", "Financial statements", append(slices.Clone(sheets), CTOFD), 100 * mib},
		{TypeRDLedger, "研发费用辅助账", "R&D expense ledger", sheets, 100 * mib},
		{TypeMilestoneEvidence, "里程碑佐证", "Milestone evidence", []string{CTPDF, CTPNG, CTJPEG, CTDOCX, CTXLSX, CTPPTX, CTZIP}, 500 * mib},
		{TypeOther, "其他", "Other", []string{CTPDF, CTPNG, CTJPEG, CTDOCX, CTXLSX, CTPPTX, CTOFD, CTZIP, CTText, CTCSV}, 200 * mib},
	}
}

// DefaultType returns the default of code.
func DefaultType(code string) (DocumentType, bool) {
	for _, t := range DefaultTypes() {
		if t.Code == code {
			return t, true
		}
	}
	return DocumentType{}, false
}

// Allows reports whether contentType is on the type's allowlist.
func (t DocumentType) Allows(contentType string) bool {
	return slices.Contains(t.ContentTypes, contentType)
}

// Validate checks a region's change to a type.
func (t DocumentType) Validate() error {
	v := apperr.NewValidation("invalid-document-type")
	if _, ok := DefaultType(t.Code); !ok {
		v.Add("code", "unknown_document_type", "value", t.Code)
	}
	v.Check(t.NameZH == "", "name_zh", "required")
	v.Check(len([]rune(t.NameZH)) > 40, "name_zh", "too_long", "max", 40)
	v.Check(len([]rune(t.NameEN)) > 80, "name_en", "too_long", "max", 80)
	v.Check(len(t.ContentTypes) == 0, "content_types", "required")
	for i, ct := range t.ContentTypes {
		v.Check(!slices.Contains(KnownContentTypes, ct), "content_types."+itoa(i), "unknown_content_type", "value", ct)
	}
	v.Check(t.MaxBytes < 1 || t.MaxBytes > MaxTypeBytes, "max_bytes", "out_of_range", "min", 1, "max", int64(MaxTypeBytes))
	return v.Err()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// kindNames name content types the way people know files, in zh-CN and en:
// what a refusal shows instead of a MIME type.
var kindNames = map[string][2]string{
	CTPDF:           {"PDF", "PDF"},
	CTPNG:           {"PNG 图片", "PNG image"},
	CTJPEG:          {"JPEG 图片", "JPEG image"},
	CTDOCX:          {"Word 文档（.docx）", "Word document (.docx)"},
	CTXLSX:          {"Excel 表格（.xlsx）", "Excel workbook (.xlsx)"},
	CTPPTX:          {"PowerPoint 演示文稿（.pptx）", "PowerPoint presentation (.pptx)"},
	CTOFD:           {"OFD 版式文件", "OFD document"},
	CTZIP:           {"ZIP 压缩包", "ZIP archive"},
	CTText:          {"纯文本", "plain text"},
	CTCSV:           {"CSV 表格", "CSV table"},
	ctEmpty:         {"空文件", "empty file"},
	ctExecutable:    {"可执行程序", "executable program"},
	ctArchive:       {"其他格式的压缩包（gzip、7z、rar 等）", "another kind of archive (gzip, 7z, rar, …)"},
	ctUnknown:       {"无法识别的文件", "unrecognized file"},
	ctAppleMetadata: {"macOS 附加信息", "macOS metadata"},
}

// KindName names a content type for people: zh-CN and en.
func KindName(contentType string) (zh, en string) {
	if k, ok := kindNames[contentType]; ok {
		return k[0], k[1]
	}
	return kindNames[ctUnknown][0], kindNames[ctUnknown][1]
}

// AllowedKinds lists the type's allowlist for people: "PDF、PNG 图片" and
// "PDF, PNG image".
func (t DocumentType) AllowedKinds() (zh, en string) {
	var zs, es []string
	for _, ct := range t.ContentTypes {
		z, e := KindName(ct)
		zs, es = append(zs, z), append(es, e)
	}
	return strings.Join(zs, "、"), strings.Join(es, ", ")
}

// Admit holds what an upload is against the type's allowlist: the file
// itself, and every file inside a plain ZIP. Refusals name the kinds
// (never MIME types) and, inside a ZIP, each refused file by its path.
func (t DocumentType) Admit(in Inspection) error {
	allowedZH, allowedEN := t.AllowedKinds()
	if !t.Allows(in.ContentType) {
		zh, en := KindName(in.ContentType)
		e := apperr.New(apperr.Unsupported, "type-not-allowed").
			With("detected_zh", zh).With("detected_en", en).With("allowed_zh", allowedZH).With("allowed_en", allowedEN)
		e.Fields = []apperr.FieldError{{Field: "file", Code: "type_not_allowed", Params: e.Params}}
		return e
	}
	var refused []Member
	for _, m := range in.Members {
		if !t.Allows(m.ContentType) {
			refused = append(refused, m)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	return memberProblems(len(refused), func(add func(string, string, ...any)) {
		for _, m := range refused {
			zh, en := KindName(m.ContentType)
			add(m.Name, "member_not_allowed", "detected_zh", zh, "detected_en", en, "allowed_zh", allowedZH, "allowed_en", allowedEN)
		}
	})
}
