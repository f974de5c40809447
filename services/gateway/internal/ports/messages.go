package ports

import "github.com/incuchain/incuchain/pkg/httpx"

// Messages are the gateway service's own texts; its engine answers from them,
// then from httpx's shared ones (httpx.WithTexts).
var Messages = httpx.NewCatalog()

// The gateway's user-visible texts, in zh-CN and en.
func init() {
	Messages.Add(map[string]httpx.Message{
		"invalid-login":       {ZH: "请填写邮箱和密码", EN: "Enter your email and password"},
		"invalid-credentials": {ZH: "邮箱或密码错误", EN: "Wrong email or password"},
		"login-throttled":     {ZH: "登录尝试过多，请 {retry_after_seconds} 秒后再试", EN: "Too many sign-in attempts; try again in {retry_after_seconds} s"},
		"invalid-session":     {ZH: "会话无效，请重新登录", EN: "Your session is not valid; please sign in again"},
		"session-expired":     {ZH: "会话已过期，请重新登录", EN: "Your session has expired; please sign in again"},
		"service-unavailable": {ZH: "后台服务 {service} 暂不可用", EN: "The {service} service is unavailable"},
		"cross-site-request":  {ZH: "拒绝来自其他网站的请求，请在本系统页面中操作", EN: "Requests sent from another site are refused; use this site's own pages"},
		"upstream-refused":    {ZH: "后台服务拒绝了该请求（{status}）", EN: "A backend service refused the request ({status})"},
	})
}
