package ports

import "github.com/incuchain/incuchain/pkg/httpx"

// The ladder and metric-report area's user-visible texts, in zh-CN and en.
func init() {
	Messages.Add(map[string]httpx.Message{
		"invalid-ladder-step":          {ZH: "培育梯次信息有误", EN: "The ladder step has invalid fields"},
		"ladder-step-not-found":        {ZH: "该企业未登记此培育梯次", EN: "The company has not recorded this ladder step"},
		"ladder-step-already-verified": {ZH: "该培育梯次已核验", EN: "This ladder step is already verified"},
		"invalid-report":               {ZH: "统计报表有误，请按提示修改", EN: "The report has errors; correct the fields shown"},
		"invalid-review":               {ZH: "审核意见有误", EN: "The review has invalid fields"},
		"report-not-found":             {ZH: "该期报表不存在", EN: "No report for this period"},
		"report-exists":                {ZH: "{period} 的报表已填报，请提交修订", EN: "The report for {period} exists; submit a revision instead"},
		"report-changed":               {ZH: "报表刚被他人修订，请刷新后重试", EN: "Someone revised the report meanwhile; reload and try again"},
		"report-not-submitted":         {ZH: "只有已提交的报表可以审核（当前状态：{status}）", EN: "Only a submitted report can be reviewed (status: {status})"},
		"field.period_format":          {ZH: "报告期格式应为 YYYY-MM（月报）或 YYYY-Qn（季报）", EN: "must be a period as YYYY-MM (monthly) or YYYY-Qn (quarterly)"},
		"field.period_not_ended":       {ZH: "报告期尚未结束（{ends} 结束），不能填报", EN: "the period has not ended yet (it ends on {ends})"},
		"field.already_reported":       {ZH: "该期已填报", EN: "this period is already reported"},
		"field.unknown_metric":         {ZH: "不是统计指标", EN: "is not a reported indicator"},
		"field.integer":                {ZH: "应为整数", EN: "must be a whole number"},
		"field.negative":               {ZH: "不能为负数", EN: "cannot be negative"},
		"field.too_large":              {ZH: "数值过大（上限 {max}）", EN: "is too large (at most {max})"},
		"field.unit_unknown":           {ZH: "金额单位应为 {allowed}（thousand_yuan 即千元）", EN: "the money unit must be one of {allowed} (thousand_yuan = 千元)"},
		"field.unit_not_allowed":       {ZH: "人数、件数不带单位", EN: "counts take no unit"},
		"field.exceeds":                {ZH: "不能大于 {other}（{limit}）", EN: "cannot exceed {other} ({limit})"},
		"field.required_with":          {ZH: "填写了 {other} 时必填且大于 0", EN: "is required and above 0 when {other} is given"},
		"field.explanation_required":   {ZH: "该指标有异常提示（{warning}），提交前请填写说明", EN: "this indicator has a warning ({warning}); explain it before submitting"},
		"field.jump_up":                {ZH: "较上期增长 +{percent}%（上期 {previous}），请核对或说明", EN: "up +{percent}% on the previous period ({previous}); check or explain"},
		"field.jump_down":              {ZH: "较上期变化 {percent}%（上期 {previous}），请核对或说明", EN: "changed {percent}% on the previous period ({previous}); check or explain"},
		"field.rd_exceeds_revenue":     {ZH: "研发费用高于总收入（{revenue} 元），请核对或说明", EN: "R&D expenditure exceeds revenue ({revenue} yuan); check or explain"},
		"field.financing_amount_zero":  {ZH: "有融资次数但金额为 0，请核对或说明", EN: "financing rounds without an amount; check or explain"},
		"field.below_current":          {ZH: "企业已处于更高梯次（{current}），不能登记更低梯次", EN: "the company is already at a higher step ({current})"},
		"field.needs_predecessor":      {ZH: "需先登记上一梯次（{previous}）", EN: "record the previous step ({previous}) first"},
		"field.not_after_previous":     {ZH: "应晚于该梯次上次登记日期 {previous}", EN: "must be after this step's previous record ({previous})"},
		"field.not_after_date":         {ZH: "有效期应晚于认定日期", EN: "must be after the date"},
	})
}
