package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Carrier kinds that have milestone templates.
const (
	KindMakerSpace  = "maker_space"
	KindIncubator   = "incubator"
	KindAccelerator = "accelerator"
	KindSciencePark = "science_park"
)

// TemplateKinds are the kinds a region's templates are seeded for.
var TemplateKinds = []string{KindMakerSpace, KindIncubator, KindAccelerator}

// CarrierKinds are every carrier kind parks knows.
var CarrierKinds = []string{KindMakerSpace, KindIncubator, KindAccelerator, KindSciencePark, "concept_center", "pilot_base"}

// Limits of a template.
const (
	MaxTemplateItems = 30
	MaxOffsetDays    = 3650
	MaxEvidenceTypes = 10
)

// TemplateItem is one milestone a template plans: due OffsetDays after
// move-in, accepted by Criteria, optionally against a Target figure, with
// evidence of the document types EvidenceTypes.
type TemplateItem struct {
	TitleZH       string
	TitleEN       string
	Category      string
	OffsetDays    int
	Criteria      string
	Target        *Figure
	EvidenceTypes []string
}

// validate adds the item's field errors under prefix (items[2]).
func (it TemplateItem) validate(v *apperr.Validation, prefix string) {
	v.Text(prefix+"title_zh", it.TitleZH, 100, true)
	v.Text(prefix+"title_en", it.TitleEN, 100, false)
	v.Check(!slices.Contains(Categories, it.Category), prefix+"category", "unknown_category")
	v.Check(it.OffsetDays < 0 || it.OffsetDays > MaxOffsetDays, prefix+"offset_days", "out_of_range", "min", 0, "max", MaxOffsetDays)
	v.Check(len([]rune(it.Criteria)) > 1000, prefix+"criteria", "too_long", "max", 1000)
	checkFigure(v, prefix+"target", it.Target)
	checkEvidenceTypes(v, prefix+"evidence_types", it.EvidenceTypes)
}

// EvidenceTypes are the documents service's document types a milestone
// may take as evidence (its codes; the names are the documents service's).
var EvidenceTypes = []string{"business_licence", "business_plan", "ip_certificate", "financial_statements", "rd_ledger", "milestone_evidence", "other"}

// DocumentTypeNames name the evidence types the way people know them
// (zh-CN, en), as the documents service does.
var DocumentTypeNames = map[string][2]string{
	"business_licence": {"营业执照", "Business licence"}, "business_plan": {"商业计划书", "Business plan"},
	"ip_certificate": {"知识产权证明", "IP certificate"}, "financial_statements": {"财务报表", "Financial statements"},
	"rd_ledger": {"研发费用辅助账", "R&D expense ledger"}, "milestone_evidence": {"里程碑佐证", "Milestone evidence"}, "other": {"其他", "Other"},
}

// typeNames lists the names of types in one language (0 zh-CN, 1 en).
func typeNames(types []string, lang int) string {
	sep := []string{"、", ", "}[lang]
	out := make([]string, 0, len(types))
	for _, t := range types {
		if n, ok := DocumentTypeNames[t]; ok {
			out = append(out, n[lang])
		}
	}
	return strings.Join(out, sep)
}

// checkEvidenceTypes checks a list of document type codes.
func checkEvidenceTypes(v *apperr.Validation, field string, types []string) {
	v.Check(len(types) > MaxEvidenceTypes, field, "too_many", "max", MaxEvidenceTypes)
	seen := map[string]bool{}
	for _, t := range types {
		v.Check(!slices.Contains(EvidenceTypes, t), field, "unknown_document_type")
		v.Check(seen[t], field, "repeated")
		seen[t] = true
	}
}

// Template is the milestones a carrier kind plans for its residents: the
// region's for every carrier of that kind, or one carrier's own
// (CarrierID set), which replaces the region's for that carrier.
type Template struct {
	r TemplateRecord
}

// TemplateRecord is a template as stored.
type TemplateRecord struct {
	ID        string
	RegionID  string
	CarrierID string // empty: the region's template of Kind
	Kind      string
	Items     []TemplateItem
	Version   int
	UpdatedBy string
	UpdatedAt time.Time
}

// TemplateFromDB loads a stored template.
func TemplateFromDB(r TemplateRecord) *Template { return &Template{r: r} }

// Record is what the store writes.
func (t *Template) Record() TemplateRecord { return t.r }

func (t *Template) ID() string            { return t.r.ID }
func (t *Template) RegionID() string      { return t.r.RegionID }
func (t *Template) CarrierID() string     { return t.r.CarrierID }
func (t *Template) Kind() string          { return t.r.Kind }
func (t *Template) Items() []TemplateItem { return slices.Clone(t.r.Items) }
func (t *Template) Version() int          { return t.r.Version }
func (t *Template) UpdatedBy() string     { return t.r.UpdatedBy }
func (t *Template) UpdatedAt() time.Time  { return t.r.UpdatedAt }
func (t *Template) IsCarrierOwn() bool    { return t.r.CarrierID != "" }
func (t *Template) Seeded() bool          { return t.r.UpdatedBy == "" }

// NewTemplate is a validated template of kind for a region (carrierID
// empty) or one carrier.
func NewTemplate(id, regionID, carrierID, kind string, items []TemplateItem, by string, now time.Time) (*Template, error) {
	if err := ValidateItems(kind, items); err != nil {
		return nil, err
	}
	return &Template{r: TemplateRecord{ID: id, RegionID: regionID, CarrierID: carrierID, Kind: kind, Items: slices.Clone(items), Version: 1,
		UpdatedBy: by, UpdatedAt: now}}, nil
}

// Replace sets the template's items: a new version.
func (t *Template) Replace(items []TemplateItem, by string, now time.Time) error {
	if err := ValidateItems(t.r.Kind, items); err != nil {
		return err
	}
	t.r.Items, t.r.Version, t.r.UpdatedBy, t.r.UpdatedAt = slices.Clone(items), t.r.Version+1, by, now
	return nil
}

// ValidateItems checks a template's kind and items.
func ValidateItems(kind string, items []TemplateItem) error {
	v := apperr.NewValidation("invalid-template")
	v.Check(!slices.Contains(CarrierKinds, kind), "kind", "unknown_kind")
	v.Check(len(items) > MaxTemplateItems, "items", "too_many", "max", MaxTemplateItems)
	for i, it := range items {
		it.validate(v, "items["+strconv.Itoa(i)+"].")
	}
	return v.Err()
}

// SeedTemplate is the region's template of kind as the service seeds it
// when the region appears (by nobody: UpdatedBy empty).
func SeedTemplate(id, regionID, kind string, now time.Time) *Template {
	return &Template{r: TemplateRecord{ID: id, RegionID: regionID, Kind: kind, Items: DefaultItems(kind), Version: 1, UpdatedAt: now}}
}

// DefaultItems are the seeded milestones of a carrier kind; a kind
// without defaults has none.
func DefaultItems(kind string) []TemplateItem {
	thousandYuan := func(v float64) *Figure { return &Figure{Value: v, Unit: UnitThousandYuan} }
	switch kind {
	case KindMakerSpace:
		return []TemplateItem{
			{TitleZH: "核心团队组建", TitleEN: "Core team formed", Category: "team", OffsetDays: 60,
				Criteria: "至少 3 名全职核心成员，分工明确 / at least 3 full-time core members with clear roles",
				Target:   &Figure{Value: 3, Unit: UnitPeople}, EvidenceTypes: []string{"milestone_evidence"}},
			{TitleZH: "最小可行产品（MVP）", TitleEN: "Minimum viable product", Category: "product", OffsetDays: 180,
				Criteria:      "可演示的产品原型，并有首批试用用户反馈 / a demonstrable prototype with feedback from first users",
				EvidenceTypes: []string{"milestone_evidence", "business_plan"}},
			{TitleZH: "公司注册", TitleEN: "Company registered", Category: "registration", OffsetDays: 270,
				Criteria:      "取得营业执照（统一社会信用代码）/ business licence with a USCC issued",
				EvidenceTypes: []string{"business_licence"}},
		}
	case KindIncubator:
		return []TemplateItem{
			{TitleZH: "取得首笔营业收入", TitleEN: "First revenue", Category: "revenue", OffsetDays: 180,
				Criteria: "首份销售合同及对应发票或到账凭证 / first sales contract with its invoice or receipt",
				Target:   thousandYuan(1), EvidenceTypes: []string{"milestone_evidence", "financial_statements"}},
			{TitleZH: "科技型中小企业入库", TitleEN: "Registered as a tech-based SME (科技型中小企业)", Category: "certification", OffsetDays: 365,
				Criteria:      "全国科技型中小企业信息服务平台入库编号 / registration number on the national tech-based SME platform",
				EvidenceTypes: []string{"milestone_evidence", "other"}},
			{TitleZH: "完成首轮融资", TitleEN: "First financing round", Category: "financing", OffsetDays: 540,
				Criteria: "投资协议及资金到账凭证 / investment agreement and proof the funds arrived",
				Target:   thousandYuan(1000), EvidenceTypes: []string{"milestone_evidence", "financial_statements"}},
		}
	case KindAccelerator:
		return []TemplateItem{
			{TitleZH: "完成 A 轮融资", TitleEN: "Series A closed", Category: "financing", OffsetDays: 365,
				Criteria: "A 轮投资协议及工商变更登记 / Series A agreement and the registration of the change",
				Target:   thousandYuan(10000), EvidenceTypes: []string{"milestone_evidence", "financial_statements"}},
			{TitleZH: "取得高新技术企业证书", TitleEN: "High-tech enterprise certificate (高新技术企业)", Category: "certification", OffsetDays: 540,
				Criteria:      "高新技术企业证书 / the high-tech enterprise certificate",
				EvidenceTypes: []string{"milestone_evidence", "ip_certificate"}},
			{TitleZH: "年营业收入达标", TitleEN: "Annual revenue threshold", Category: "revenue", OffsetDays: 730,
				Criteria: "经审计的年度营业收入不低于 5,000 千元 / audited annual revenue of at least 5,000 千元",
				Target:   thousandYuan(5000), EvidenceTypes: []string{"financial_statements"}},
		}
	}
	return nil
}
