package httpx

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Message is one user-visible text in both console languages. Placeholders
// are written {name} and filled from error params.
type Message struct {
	ZH string
	EN string
}

// Catalog is one service's user-visible texts, keyed by problem slug or
// "field."+error code. A service's catalogue resolves its own keys first,
// then the shared ones (Shared), so two services in one process may give
// one key different texts: each engine answers from its own (WithTexts).
type Catalog struct {
	mu    sync.RWMutex
	texts map[string]Message
	base  *Catalog
}

// Shared holds the texts httpx itself answers with: problem titles, the
// edge's refusals and the common field codes. Every catalogue falls back
// to it.
var Shared = &Catalog{texts: map[string]Message{}}

// NewCatalog returns a service's catalogue over Shared, holding sets.
func NewCatalog(sets ...map[string]Message) *Catalog {
	c := &Catalog{texts: map[string]Message{}, base: Shared}
	for _, m := range sets {
		c.Add(m)
	}
	return c
}

// Add puts texts into the catalogue. A key it already holds with another
// text panics: one service, one text per key, whatever order its files'
// init functions run in.
func (c *Catalog) Add(m map[string]Message) *Catalog {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range m {
		if old, dup := c.texts[k]; dup && old != v {
			panic(fmt.Sprintf("httpx: text %q added twice: %+v and %+v", k, old, v))
		}
		c.texts[k] = v
	}
	return c
}

// Lang is a console language.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// PickLang chooses zh-CN or en from an Accept-Language header; Chinese is
// the default because the console is Chinese-first.
func PickLang(acceptLanguage string) Lang {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return ZH
		case strings.HasPrefix(tag, "en"):
			return EN
		}
	}
	return ZH
}

// Text renders key in lang, filling params; unknown keys render as the key
// itself so a missing text is visible rather than blank.
func (c *Catalog) Text(lang Lang, key string, params map[string]any) string {
	m, ok := c.Lookup(key)
	if !ok {
		return key
	}
	s := m.ZH
	if lang == EN {
		s = m.EN
	}
	for k, v := range params {
		s = strings.ReplaceAll(s, "{"+k+"}", fmt.Sprint(v))
	}
	return s
}

// Keys lists every key the catalogue resolves, its own and the shared
// ones (for completeness tests).
func (c *Catalog) Keys() []string {
	seen := map[string]bool{}
	for cat := c; cat != nil; cat = cat.base {
		cat.mu.RLock()
		for k := range cat.texts {
			seen[k] = true
		}
		cat.mu.RUnlock()
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Lookup returns the message of key: the catalogue's own, else the shared one.
func (c *Catalog) Lookup(key string) (Message, bool) {
	for cat := c; cat != nil; cat = cat.base {
		cat.mu.RLock()
		m, ok := cat.texts[key]
		cat.mu.RUnlock()
		if ok {
			return m, true
		}
	}
	return Message{}, false
}

func init() {
	Shared.Add(map[string]Message{
		// Problem titles by category.
		"title.incorrect-input":    {"输入有误", "Invalid input"},
		"title.malformed":          {"请求格式错误", "Malformed request"},
		"title.not-found":          {"未找到", "Not found"},
		"title.forbidden":          {"无权操作", "Forbidden"},
		"title.unauthenticated":    {"请先登录", "Authentication required"},
		"title.conflict":           {"与现有数据冲突", "Conflict"},
		"title.too-large":          {"内容过大", "Payload too large"},
		"title.unsupported":        {"不支持的文件类型", "Unsupported media type"},
		"title.gone":               {"已失效", "Gone"},
		"title.too-many":           {"请求过于频繁", "Too many requests"},
		"title.unavailable":        {"服务暂不可用", "Service unavailable"},
		"title.method-not-allowed": {"不支持该请求方法", "Method not allowed"},
		"title.internal":           {"服务器内部错误", "Internal server error"},
		// Generic slugs.
		"malformed-json":           {"请求体不是有效的 JSON：{reason}", "The request body is not valid JSON: {reason}"},
		"unknown-field":            {"请求中包含未知字段", "The request contains unknown fields"},
		"body-too-large":           {"请求体超过 {max} 字节上限", "The request body exceeds the {max}-byte limit"},
		"invalid-query":            {"查询参数有误", "Invalid query parameters"},
		"not-authenticated":        {"需要登录后访问", "You need to sign in"},
		"invalid-identity":         {"身份凭证无效，请重新登录", "Your credentials are invalid; please sign in again"},
		"route-not-found":          {"接口不存在", "No such endpoint"},
		"method-not-allowed":       {"不支持该请求方法", "Method not allowed"},
		"internal":                 {"服务器内部错误，请稍后重试（请求编号 {request_id}）", "Internal server error; please retry later (request id {request_id})"},
		"csrf-failed":              {"安全校验失败，请刷新页面后重试", "Security check failed; reload the page and try again"},
		"validation-failed":        {"有 {count} 个字段需要修改", "{count} field(s) need attention"},
		"resource-not-found":       {"找不到该对象，它可能不存在或您无权查看", "Not found: it does not exist or you cannot see it"},
		"unsupported-content-type": {"请求内容须以 JSON 格式发送", "The request body must be sent as JSON"},
		"invalid-text":             {"有 {count} 个字段包含不允许的字符", "{count} field(s) contain characters that are not allowed"},
		"duplicate-key":            {"请求中有字段重复出现", "A field appears more than once in the request"},
		// Field error codes.
		"field.required":      {"必填", "is required"},
		"field.too_long":      {"不能超过 {max} 个字符", "must be at most {max} characters"},
		"field.too_short":     {"至少 {min} 个字符", "must be at least {min} characters"},
		"field.unknown":       {"不是可识别的字段", "is not a known field"},
		"field.wrong_type":    {"类型错误，应为 {want}", "has the wrong type; want {want}"},
		"field.invalid":       {"格式无效", "is not valid"},
		"field.one_of":        {"必须是以下之一：{allowed}", "must be one of: {allowed}"},
		"field.out_of_range":  {"必须在 {min} 到 {max} 之间", "must be between {min} and {max}"},
		"field.not_negative":  {"不能为负数", "must not be negative"},
		"field.duplicate":     {"已存在同名记录", "is already taken"},
		"field.invalid_email": {"不是有效的邮箱地址", "is not a valid email address"},
		"field.bad_sort":      {"不能按此字段排序，可选：{allowed}", "cannot sort by this field; allowed: {allowed}"},
		"field.not_a_number":  {"应为数字", "must be a number"},
		"field.control_char":  {"不能包含控制字符或不可见的排版字符", "must not contain control characters or invisible formatting characters"},
		"field.line_break":    {"只能填写一行，不能换行", "must be a single line"},
		"field.duplicate_key": {"重复出现", "appears more than once"},
	})
}
