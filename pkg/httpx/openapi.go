package httpx

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OpenAPI is an OpenAPI 3.1 document, built in code next to the routes it
// describes so the two cannot drift apart unnoticed (see CheckRoutes).
type OpenAPI struct {
	OpenAPI    string                          `json:"openapi"`
	Info       map[string]string               `json:"info"`
	Paths      map[string]map[string]Operation `json:"paths"`
	Components struct {
		Schemas map[string]any `json:"schemas"`
	} `json:"components"`
}

// Operation is one method on one path.
type Operation struct {
	OperationID string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Tags        []string              `json:"tags,omitempty"`
	Parameters  []map[string]any      `json:"parameters,omitempty"`
	RequestBody map[string]any        `json:"requestBody,omitempty"`
	Responses   map[string]any        `json:"responses"`
	Security    []map[string][]string `json:"security,omitempty"`
}

// NewOpenAPI starts a document for a service.
func NewOpenAPI(title, version string) *OpenAPI {
	d := &OpenAPI{OpenAPI: "3.1.0", Info: map[string]string{"title": title, "version": version}, Paths: map[string]map[string]Operation{}}
	d.Components.Schemas = map[string]any{"Problem": problemSchema()}
	return d
}

// Route describes one operation; Request and Response are Go values whose
// types become schemas (nil for none).
type Route struct {
	Method, Path, Summary, Tag string
	Request                    any
	Response                   any
	Status                     int
	List                       bool // response is a Page of Response
	Public                     bool // no sign-in needed
}

// Add documents r. Path uses gin syntax (:id); it is written as {id}.
func (d *OpenAPI) Add(r Route) {
	path, params := openAPIPath(r.Path)
	op := Operation{OperationID: strings.ToLower(r.Method) + strings.NewReplacer("/", "_", ":", "", "{", "", "}", "").Replace(r.Path),
		Summary: r.Summary, Parameters: params, Responses: map[string]any{}}
	if r.Tag != "" {
		op.Tags = []string{r.Tag}
	}
	if !r.Public {
		op.Security = []map[string][]string{{"session": {}}, {"bearer": {}}}
	}
	if r.List {
		for _, q := range []string{"page", "page_size", "q", "sort"} {
			op.Parameters = append(op.Parameters, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
	}
	if r.Request != nil {
		op.RequestBody = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": d.schemaRef(reflect.TypeOf(r.Request))}}}
	}
	status := r.Status
	if status == 0 {
		status = 200
	}
	resp := map[string]any{"description": "OK"}
	if r.Response != nil {
		schema := d.schemaRef(reflect.TypeOf(r.Response))
		if r.List {
			schema = map[string]any{"type": "object", "required": []string{"items", "total", "page", "page_size"}, "properties": map[string]any{
				"items": map[string]any{"type": "array", "items": schema}, "total": map[string]any{"type": "integer"},
				"page": map[string]any{"type": "integer"}, "page_size": map[string]any{"type": "integer"}}}
		}
		resp["content"] = map[string]any{"application/json": map[string]any{"schema": schema}}
	}
	op.Responses[strconv.Itoa(status)] = resp
	op.Responses["default"] = map[string]any{"description": "Problem (RFC 9457)", "content": map[string]any{
		ProblemContentType: map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
	if d.Paths[path] == nil {
		d.Paths[path] = map[string]Operation{}
	}
	d.Paths[path][strings.ToLower(r.Method)] = op
}

// Merge adds other's paths and schemas into d (the gateway's merged
// document).
func (d *OpenAPI) Merge(other *OpenAPI) {
	for p, ops := range other.Paths {
		if d.Paths[p] == nil {
			d.Paths[p] = map[string]Operation{}
		}
		for m, op := range ops {
			d.Paths[p][m] = op
		}
	}
	for k, v := range other.Components.Schemas {
		d.Components.Schemas[k] = v
	}
}

// Operations lists "METHOD /path" of every documented operation, in gin
// path syntax, sorted.
func (d *OpenAPI) Operations() []string {
	var out []string
	for p, ops := range d.Paths {
		for m := range ops {
			out = append(out, strings.ToUpper(m)+" "+ginPath(p))
		}
	}
	sort.Strings(out)
	return out
}

func openAPIPath(p string) (string, []map[string]any) {
	var params []map[string]any
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			name := s[1:]
			parts[i] = "{" + name + "}"
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
	}
	return strings.Join(parts, "/"), params
}

func ginPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}

var (
	timeType       = reflect.TypeOf(time.Time{})
	rawMessageType = reflect.TypeOf(json.RawMessage(nil))
)

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func (d *OpenAPI) schemaRef(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t != timeType && t.Name() != "" {
		if _, ok := d.Components.Schemas[t.Name()]; !ok {
			d.Components.Schemas[t.Name()] = map[string]any{} // placeholder against recursion
			d.Components.Schemas[t.Name()] = d.schema(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + t.Name()}
	}
	return d.schema(t)
}

func (d *OpenAPI) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t == rawMessageType:
		return map[string]any{} // any JSON value
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return map[string]any{"type": "string", "contentEncoding": "base64"} // as encoding/json writes []byte
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": d.schemaRef(t.Elem())}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object"}
	case t.Kind() == reflect.Struct:
		props, promoted := map[string]any{}, map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "-" {
				continue
			}
			if ft := derefType(f.Type); f.Anonymous && name == "" && ft.Kind() == reflect.Struct && ft != timeType {
				// encoding/json promotes an untagged embedded struct's
				// fields (even of an unexported type); fields of the outer
				// struct win.
				if inner, ok := d.schema(ft)["properties"].(map[string]any); ok {
					for k, v := range inner {
						promoted[k] = v
					}
				}
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = d.schemaRef(f.Type)
		}
		for k, v := range promoted {
			if _, taken := props[k]; !taken {
				props[k] = v
			}
		}
		return map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	}
	return map[string]any{}
}

func problemSchema() map[string]any {
	str := map[string]any{"type": "string"}
	return map[string]any{"type": "object", "required": []string{"type", "title", "status", "code", "slug"}, "properties": map[string]any{
		"type": str, "title": str, "status": map[string]any{"type": "integer"}, "detail": str, "instance": str, "code": str, "slug": str,
		"request_id": str, "errors": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
			"field": str, "code": str, "message": str, "params": map[string]any{"type": "object"}}}},
	}}
}
