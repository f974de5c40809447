package domain

import (
	"fmt"
	"strings"
	"time"
)

// Kinds of notification, one per situation a user is told about.
const (
	KindDocumentReturned   = "document_returned"
	KindDocumentVerified   = "document_verified"
	KindApplicationDecided = "application_decided"
	KindPromotionProposed  = "promotion_proposed"  // the company is asked to consent
	KindPromotionConsented = "promotion_consented" // the receiving carrier is asked to accept
	KindPromotionDeclined  = "promotion_declined"  // the receiving carrier said no, with a reason
	KindReportReturned     = "report_returned"     // a periodic metrics report sent back
	KindMilestoneDueSoon   = "milestone_due_soon"  // a milestone (report) falls due soon
	KindMilestoneOverdue   = "milestone_overdue"   // a milestone (report) is overdue
	KindRoleGranted        = "role_granted"        // the user was given a role
	ChannelInApp           = "in_app"
	maxBodyRunes           = 500
	defaultCompanyNameZH   = "贵企业"
	defaultCompanyNameEN   = "your company"
	defaultCarrierNameZH   = "载体"
	defaultCarrierNameEN   = "the carrier"
)

// Kinds lists every kind, the values the list's kind filter accepts.
var Kinds = []string{KindDocumentReturned, KindDocumentVerified, KindApplicationDecided, KindPromotionProposed, KindPromotionConsented,
	KindPromotionDeclined, KindReportReturned, KindMilestoneDueSoon, KindMilestoneOverdue, KindRoleGranted}

// Text is what a notification says, in both languages.
type Text struct {
	TitleZH, TitleEN, BodyZH, BodyEN string
}

// Name is something named in both languages (a carrier, a company, a
// material type); an empty English name falls back to the Chinese one.
type Name struct{ ZH, EN string }

func (n Name) en() string {
	if n.EN != "" {
		return n.EN
	}
	return n.ZH
}

func (n Name) or(zh, en string) Name {
	if n.ZH == "" && n.EN == "" {
		return Name{ZH: zh, EN: en}
	}
	return n
}

// Notification is one message in one user's inbox.
type Notification struct {
	ID            string
	UserID        string
	Kind          string
	SourceEventID string
	RegionID      string
	CarrierID     string
	CompanyID     string
	Link          string // the console path it leads to
	Text
	CreatedAt time.Time
	ReadAt    *time.Time
}

// Read reports whether the user has read it.
func (n Notification) Read() bool { return n.ReadAt != nil }

// clip keeps a free text (a reviewer's comment) short enough for a list.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > maxBodyRunes {
		return string(r[:maxBodyRunes]) + "…"
	}
	return s
}

// withComment appends a reviewer's words to a sentence.
func withComment(t Text, comment string) Text {
	if c := clip(comment); c != "" {
		t.BodyZH += "意见：" + c
		t.BodyEN += " Comment: " + c
	}
	return t
}

// DocumentReviewed is what a company's members read when a material of
// theirs is returned (returned true) or verified.
func DocumentReviewed(returned bool, material, company Name, comment string) Text {
	company = company.or(defaultCompanyNameZH, defaultCompanyNameEN)
	if returned {
		return withComment(Text{
			TitleZH: fmt.Sprintf("材料被退回：%s", material.ZH),
			TitleEN: fmt.Sprintf("Material returned: %s", material.en()),
			BodyZH:  fmt.Sprintf("%s的「%s」被退回，请修改后重新上传。", company.ZH, material.ZH),
			BodyEN:  fmt.Sprintf("The %s of %s was returned; please upload a corrected version.", material.en(), company.en()),
		}, comment)
	}
	return Text{
		TitleZH: fmt.Sprintf("材料已核验：%s", material.ZH),
		TitleEN: fmt.Sprintf("Material verified: %s", material.en()),
		BodyZH:  fmt.Sprintf("%s的「%s」已通过核验。", company.ZH, material.ZH),
		BodyEN:  fmt.Sprintf("The %s of %s was verified.", material.en(), company.en()),
	}
}

// ApplicationDecided is what a company's members read about the decision
// on their application to a carrier.
func ApplicationDecided(admitted bool, carrier Name, reason string) Text {
	carrier = carrier.or(defaultCarrierNameZH, defaultCarrierNameEN)
	var t Text
	if admitted {
		t = Text{TitleZH: "入驻申请已录取", TitleEN: "Application admitted",
			BodyZH: fmt.Sprintf("您向%s提交的入驻申请已录取。", carrier.ZH),
			BodyEN: fmt.Sprintf("Your application to %s was admitted.", carrier.en())}
	} else {
		t = Text{TitleZH: "入驻申请未获录取", TitleEN: "Application not admitted",
			BodyZH: fmt.Sprintf("您向%s提交的入驻申请未获录取。", carrier.ZH),
			BodyEN: fmt.Sprintf("Your application to %s was not admitted.", carrier.en())}
	}
	if r := clip(reason); r != "" {
		t.BodyZH += "理由：" + r
		t.BodyEN += " Reason: " + r
	}
	return t
}

// PromotionProposed asks a company's members to consent to moving up the
// chain.
func PromotionProposed(company, from, to Name) Text {
	company = company.or(defaultCompanyNameZH, defaultCompanyNameEN)
	from, to = from.or(defaultCarrierNameZH, defaultCarrierNameEN), to.or("下一载体", "the next carrier")
	return Text{
		TitleZH: "晋级待确认",
		TitleEN: "Promotion awaiting your consent",
		BodyZH:  fmt.Sprintf("%s提议%s晋级至%s，请确认是否同意移交资料。", from.ZH, company.ZH, to.ZH),
		BodyEN:  fmt.Sprintf("%s proposes moving %s up to %s; please consent to the handoff or decline.", from.en(), company.en(), to.en()),
	}
}

// PromotionConsented asks the receiving carrier's staff to accept a
// company the previous carrier proposed and the company agreed.
func PromotionConsented(company, from Name) Text {
	company = company.or("一家企业", "A company")
	from = from.or("上一载体", "the previous carrier")
	return Text{
		TitleZH: "晋级待受理",
		TitleEN: "Promotion awaiting acceptance",
		BodyZH:  fmt.Sprintf("%s已同意由%s晋级至本载体，请审阅移交资料并受理。", company.ZH, from.ZH),
		BodyEN:  fmt.Sprintf("%s agreed to move up from %s to your carrier; please review the handoff and accept it.", company.en(), from.en()),
	}
}

// PromotionDeclined tells the company and the sending carrier's staff that
// the receiving carrier declined the promotion, and why.
func PromotionDeclined(company, to Name, reason string) Text {
	company = company.or(defaultCompanyNameZH, defaultCompanyNameEN)
	to = to.or("接收载体", "the receiving carrier")
	t := Text{
		TitleZH: "晋级未被接收",
		TitleEN: "Promotion declined",
		BodyZH:  fmt.Sprintf("%s婉拒了%s的晋级。", to.ZH, company.ZH),
		BodyEN:  fmt.Sprintf("%s declined the promotion of %s.", to.en(), company.en()),
	}
	if r := clip(reason); r != "" {
		t.BodyZH += "理由：" + r
		t.BodyEN += " Reason: " + r
	}
	return t
}

// ReportReturned tells a company's members that their report of period
// was sent back.
func ReportReturned(period, comment string) Text {
	return withComment(Text{
		TitleZH: fmt.Sprintf("%s 报表被退回", period),
		TitleEN: fmt.Sprintf("Report %s returned", period),
		BodyZH:  fmt.Sprintf("%s 的经营数据报表被退回，请修改后重新提交。", period),
		BodyEN:  fmt.Sprintf("Your report for %s was returned; please correct and resubmit it.", period),
	}, comment)
}

// MilestoneDue tells about a milestone falling due (days > 0: in days;
// overdue: days past its date).
func MilestoneDue(overdue bool, title Name, company Name, dueOn string, days int) Text {
	company = company.or(defaultCompanyNameZH, defaultCompanyNameEN)
	if overdue {
		return Text{
			TitleZH: fmt.Sprintf("里程碑已逾期：%s", title.ZH),
			TitleEN: fmt.Sprintf("Milestone overdue: %s", title.en()),
			BodyZH:  fmt.Sprintf("%s的里程碑「%s」截止于 %s，已逾期 %d 天。", company.ZH, title.ZH, dueOn, days),
			BodyEN:  fmt.Sprintf("%s's milestone \"%s\" was due on %s and is %d day(s) overdue.", company.en(), title.en(), dueOn, days),
		}
	}
	return Text{
		TitleZH: fmt.Sprintf("里程碑即将到期：%s", title.ZH),
		TitleEN: fmt.Sprintf("Milestone due soon: %s", title.en()),
		BodyZH:  fmt.Sprintf("%s的里程碑「%s」将于 %s 到期（还有 %d 天）。", company.ZH, title.ZH, dueOn, days),
		BodyEN:  fmt.Sprintf("%s's milestone \"%s\" falls due on %s (%d day(s) left).", company.en(), title.en(), dueOn, days),
	}
}

// RoleGranted tells a user the role they were given and where.
func RoleGranted(role string, where Name) Text {
	r := RoleName(role)
	if where.ZH == "" && where.EN == "" {
		return Text{TitleZH: "您获得了新角色", TitleEN: "You have a new role",
			BodyZH: fmt.Sprintf("您已获得「%s」角色。", r.ZH), BodyEN: fmt.Sprintf("You were given the role %s.", r.en())}
	}
	return Text{TitleZH: "您获得了新角色", TitleEN: "You have a new role",
		BodyZH: fmt.Sprintf("您已获得%s的「%s」角色。", where.ZH, r.ZH),
		BodyEN: fmt.Sprintf("You were given the role %s at %s.", r.en(), where.en())}
}

var roleNames = map[string]Name{
	"platform_admin":  {"平台管理员", "platform admin"},
	"district_admin":  {"区级管理员", "district admin"},
	"district_viewer": {"区级查看人员", "district viewer"},
	"park_admin":      {"园区管理员", "park admin"},
	"park_operator":   {"园区运营人员", "park operator"},
	"startup_member":  {"企业成员", "company member"},
}

// RoleName is a role as people call it.
func RoleName(role string) Name {
	if n, ok := roleNames[role]; ok {
		return n
	}
	return Name{ZH: "新角色", EN: "a new role"}
}

var materialNames = map[string]Name{
	"business_licence":     {"营业执照", "business licence"},
	"business_plan":        {"商业计划书", "business plan"},
	"ip_certificate":       {"知识产权证明", "IP certificate"},
	"financial_statements": {"财务报表", "financial statements"},
	"rd_ledger":            {"研发费用辅助账", "R&D expense ledger"},
	"milestone_evidence":   {"里程碑佐证", "milestone evidence"},
	"other":                {"其他材料", "other material"},
}

// MaterialName is a material type as people know it (the documents
// service's default names); a type a region added is named by its file.
func MaterialName(typ, filename string) Name {
	if n, ok := materialNames[typ]; ok {
		return n
	}
	if filename != "" {
		return Name{ZH: filename, EN: filename}
	}
	return Name{ZH: "材料", EN: "material"}
}
