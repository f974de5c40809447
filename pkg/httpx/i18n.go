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

var (
	catalogMu sync.RWMutex
	catalog   = map[string]Message{}
)

// RegisterMessages adds texts for problem slugs and field error codes.
// Services call it from init with their own keys; later keys overwrite.
func RegisterMessages(m map[string]Message) {
	catalogMu.Lock()
	defer catalogMu.Unlock()
	for k, v := range m {
		catalog[k] = v
	}
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
func Text(lang Lang, key string, params map[string]any) string {
	catalogMu.RLock()
	m, ok := catalog[key]
	catalogMu.RUnlock()
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

// CatalogKeys lists every registered key (for completeness tests).
func CatalogKeys() []string {
	catalogMu.RLock()
	defer catalogMu.RUnlock()
	keys := make([]string, 0, len(catalog))
	for k := range catalog {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Lookup returns the message of key.
func Lookup(key string) (Message, bool) {
	catalogMu.RLock()
	defer catalogMu.RUnlock()
	m, ok := catalog[key]
	return m, ok
}

func init() {
	RegisterMessages(map[string]Message{
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
