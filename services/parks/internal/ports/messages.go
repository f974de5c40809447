package ports

import "github.com/incuchain/incuchain/pkg/httpx"

// Messages are the parks service's own texts; its engine answers from them,
// then from httpx's shared ones (httpx.WithTexts).
var Messages = httpx.NewCatalog()

// The parks service's user-visible texts, in zh-CN and en; problem+json
// renders them per Accept-Language.
func init() {
	Messages.Add(map[string]httpx.Message{
		"invalid-carrier":          {ZH: "载体信息有误", EN: "The carrier has invalid fields"},
		"invalid-region":           {ZH: "区域信息有误", EN: "The region has invalid fields"},
		"invalid-user":             {ZH: "用户信息有误", EN: "The user has invalid fields"},
		"invalid-grant":            {ZH: "角色授予信息有误", EN: "The role grant has invalid fields"},
		"invalid-invitation":       {ZH: "邀请信息有误", EN: "The invitation has invalid fields"},
		"carrier-not-found":        {ZH: "载体不存在", EN: "No such carrier"},
		"region-not-found":         {ZH: "区域不存在", EN: "No such region"},
		"user-not-found":           {ZH: "用户不存在", EN: "No such user"},
		"invitation-not-found":     {ZH: "邀请不存在或已失效", EN: "The invitation does not exist or has expired"},
		"role-not-found":           {ZH: "该成员没有此角色", EN: "The member does not hold this role"},
		"carrier-name-taken":       {ZH: "本区域已有同名载体", EN: "A carrier of this name already exists in the region"},
		"region-code-taken":        {ZH: "区域代码已被使用", EN: "The region code is already in use"},
		"email-taken":              {ZH: "该邮箱已注册", EN: "This email is already registered"},
		"not-allowed":              {ZH: "您没有执行此操作的权限", EN: "You are not allowed to do this"},
		"invalid-credentials":      {ZH: "邮箱或密码错误", EN: "Wrong email or password"},
		"field.industry_code":      {ZH: "不是有效的国民经济行业分类（GB/T 4754-2017）代码：{value}", EN: "is not a GB/T 4754-2017 industry code: {value}"},
		"field.region_code":        {ZH: "只能包含小写字母、数字和连字符，以字母开头，2–32 位", EN: "must be 2–32 lowercase letters, digits or hyphens, starting with a letter"},
		"field.user_not_found":     {ZH: "没有使用该邮箱的用户，请改用邀请", EN: "no user has this email; send an invitation instead"},
		"field.password_too_short": {ZH: "密码至少 10 个字符", EN: "must be at least 10 characters"},
		"field.password_too_long":  {ZH: "密码不能超过 128 个字符", EN: "must be at most 128 characters"},
		"field.password_required":  {ZH: "请设置密码", EN: "is required"},
		"field.password_invalid":   {ZH: "密码不能包含空字符（NUL）", EN: "must not contain NUL characters"},
	})
}
