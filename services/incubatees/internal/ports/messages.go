package ports

import "github.com/incuchain/incuchain/pkg/httpx"

// Messages are the incubatees service's own texts; its engine answers from them,
// then from httpx's shared ones (httpx.WithTexts).
var Messages = httpx.NewCatalog()

// The incubatees service's user-visible texts, in zh-CN and en.
func init() {
	Messages.Add(map[string]httpx.Message{
		"invalid-company":         {ZH: "企业信息有误", EN: "The company has invalid fields"},
		"incomplete-company":      {ZH: "替换企业信息须提交全部字段（可选字段可填空字符串以清空）", EN: "Replacing a company's details needs every field (send \"\" to clear an optional one)"},
		"invalid-member":          {ZH: "成员信息有误", EN: "The member has invalid fields"},
		"company-not-found":       {ZH: "企业不存在", EN: "No such company"},
		"member-not-found":        {ZH: "该成员不存在", EN: "No such member"},
		"region-not-found":        {ZH: "区域不存在", EN: "No such region"},
		"carrier-not-found":       {ZH: "载体不存在", EN: "No such carrier"},
		"user-not-found":          {ZH: "用户不存在", EN: "No such user"},
		"uscc-taken":              {ZH: "本区域已有使用该统一社会信用代码的企业", EN: "A company with this USCC already exists in the region"},
		"uscc-already-linked":     {ZH: "该企业已关联统一社会信用代码", EN: "The company already has a USCC"},
		"already-member":          {ZH: "该用户已是企业成员或已被邀请", EN: "The user is already a member or invited"},
		"membership-not-invited":  {ZH: "没有待接受的邀请", EN: "There is no pending invitation"},
		"membership-already-left": {ZH: "该成员已退出", EN: "The member has already left"},
		"last-company-admin":      {ZH: "企业至少需要一名管理员", EN: "A company needs at least one admin"},
		"not-company-admin":       {ZH: "只有企业管理员可以执行此操作", EN: "Only a company admin can do this"},
		"not-allowed":             {ZH: "您没有执行此操作的权限", EN: "You are not allowed to do this"},
		"field.uscc_length":       {ZH: "统一社会信用代码应为 18 位", EN: "a USCC has 18 characters"},
		"field.uscc_char":         {ZH: "第 {position} 位字符“{char}”不允许（不使用 I、O、Z、S、V）", EN: "character {position} (\"{char}\") is not allowed (I, O, Z, S, V are never used)"},
		"field.uscc_check":        {ZH: "第 18 位校验码应为“{want}”，而不是“{char}”", EN: "the check character (18th) should be \"{want}\", not \"{char}\""},
		"field.industry_code":     {ZH: "不是有效的国民经济行业分类（GB/T 4754-2017）代码：{value}", EN: "is not a GB/T 4754-2017 industry code: {value}"},
		"field.in_future":         {ZH: "不能晚于今天", EN: "cannot be in the future"},
		"field.date_format":       {ZH: "日期格式应为 YYYY-MM-DD", EN: "must be a date as YYYY-MM-DD"},
		"field.user_not_found":    {ZH: "没有使用该邮箱的用户", EN: "no user has this email"},
		"field.use_link_endpoint": {ZH: "请通过“关联统一社会信用代码”设置", EN: "set it with the link-USCC action"},
	})
}
