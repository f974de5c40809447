package ports

import "github.com/incuchain/incuchain/pkg/httpx"

// Texts of the residency area: residencies, promotions, rule packs.
func init() {
	Messages.Add(map[string]httpx.Message{
		"rule-pack-version-taken":      {ZH: "另一位管理员刚刚发布了同一版本，请刷新后重试", EN: "Someone else just published this version; reload and try again"},
		"invalid-residency":            {ZH: "在孵信息有误", EN: "The residency has invalid fields"},
		"invalid-promotion":            {ZH: "晋级推荐有误", EN: "The promotion has invalid fields"},
		"invalid-rule-pack":            {ZH: "规则包有误", EN: "The rule pack has invalid fields"},
		"residency-not-found":          {ZH: "在孵记录不存在", EN: "No such residency"},
		"promotion-not-found":          {ZH: "该在孵记录没有晋级推荐", EN: "This residency has no promotion"},
		"rule-pack-not-found":          {ZH: "规则包不存在", EN: "No such rule pack"},
		"residency-exists":             {ZH: "该企业在“{carrier_name}”已有进行中的在孵记录", EN: "The company already has an open residency at {carrier_name}"},
		"already-in-residence":         {ZH: "该企业正在“{carrier_name}”在孵，不能同时在两个载体在孵（不重复统计）", EN: "The company is already in residence at {carrier_name}; it cannot be in residence at two carriers at once"},
		"residency-transition-refused": {ZH: "在孵状态为“{status}”时不能执行“{action}”", EN: "A residency in status {status} cannot {action}"},
		"promotion-transition-refused": {ZH: "晋级状态为“{status}”时不能执行“{action}”", EN: "A promotion in status {status} cannot {action}"},
		"promotion-in-progress":        {ZH: "该在孵记录已有进行中的晋级推荐", EN: "A promotion of this residency is already in progress"},
		"not-target-carrier":           {ZH: "只有接收载体的工作人员可以确认晋级", EN: "Only the receiving carrier's staff can accept the promotion"},
		"field.before_admission":       {ZH: "不能早于录取日期 {admitted_on}", EN: "cannot be before the admission date {admitted_on}"},
		"field.company_not_in_region":  {ZH: "本区域没有该企业", EN: "no such company in this carrier's region"},
		"field.same_carrier":           {ZH: "不能晋级到当前载体", EN: "cannot promote to the current carrier"},
		"field.other_region":           {ZH: "只能晋级到本区域的载体", EN: "must be a carrier of the same region"},
		"field.not_in_chain":           {ZH: "“{kind}”不属于孵化链（概念验证中心、中试基地不参与晋级）", EN: "a {kind} is not part of the incubation chain"},
		"field.not_higher":             {ZH: "只能晋级到更高层级的载体（当前 {from_order}，目标 {to_order}）", EN: "must be higher in the chain (now {from_order}, target {to_order})"},
		"field.carrier_not_found":      {ZH: "载体不存在", EN: "no such carrier"},
	})
}
