package domain

import (
	"fmt"
	"strings"
)

// KindResidencyDualFlagged tells every carrier a company is open at, and
// its district, that it entered one while open at another: the district
// counts it once.
const KindResidencyDualFlagged = "residency_dual_flagged"

func init() { Kinds = append(Kinds, KindResidencyDualFlagged) }

// DualResidency is what the staff of the carrier a company entered, of the
// carriers it is still open at (others), and the district read.
func DualResidency(company, entered Name, others []Name) Text {
	company = company.or("一家企业", "A company")
	entered = entered.or(defaultCarrierNameZH, defaultCarrierNameEN)
	zh, en := make([]string, 0, len(others)), make([]string, 0, len(others))
	for _, o := range others {
		o = o.or(defaultCarrierNameZH, defaultCarrierNameEN)
		zh, en = append(zh, "「"+o.ZH+"」"), append(en, o.en())
	}
	return Text{
		TitleZH: fmt.Sprintf("同一企业多处在孵：%s", company.ZH),
		TitleEN: fmt.Sprintf("Company resident at two carriers: %s", company.en()),
		BodyZH: fmt.Sprintf("%s已入驻「%s」，同时仍在%s在孵；区域统计中只计一次，请核实其在孵状态。",
			company.ZH, entered.ZH, strings.Join(zh, "、")),
		BodyEN: fmt.Sprintf("%s entered %s while still resident at %s; the district counts it once. Please check where it resides.",
			company.en(), entered.en(), strings.Join(en, ", ")),
	}
}
