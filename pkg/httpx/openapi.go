package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OpenAPI is an OpenAPI 3.1 document, built in code from the routes it
// describes: a service mounts each Route and Adds the same Route to its
// document, so an undocumented route cannot exist; openapitest.Wrap then
// checks every answer of the service's tests against the document, and
// Operations lists what it documents.
//
// A Go struct type becomes a component schema named after its service and
// its Go name ("parks_MemberDTO" for a type under services/parks/…), so two
// services never claim one name with different shapes; types of the shared
// module keep their bare name, as every service means the same thing by
// them. Merge refuses to let one shape replace another.
type OpenAPI struct {
	OpenAPI    string                          `json:"openapi"`
	Info       map[string]string               `json:"info"`
	Paths      map[string]map[string]Operation `json:"paths"`
	Components struct {
		Schemas         map[string]any `json:"schemas"`
		SecuritySchemes map[string]any `json:"securitySchemes,omitempty"`
	} `json:"components"`

	// types remembers which Go type owns each component name, so two
	// types that would share a name are a build error, not a silent swap.
	types map[string]reflect.Type
	// names is the component of each type in each direction, and refs
	// every $ref written to it, so a component can still be renamed.
	names map[variant]string
	refs  map[variant][]map[string]any
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
	d.Components.SecuritySchemes = securitySchemes()
	return d
}

// securitySchemes are the two ways a caller signs in, which every
// non-public operation names. (The cookie's name is authn.CookieSession;
// authn imports this package, so it is spelled out here.)
func securitySchemes() map[string]any {
	return map[string]any{
		"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "incuchain_session",
			"description": "Console session; unsafe methods also need the X-CSRF-Token header."},
		"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "Session token from POST /api/v1/auth/login with want_token."},
	}
}

// Route describes one operation; Request and Response are Go values whose
// types become schemas (nil for none).
type Route struct {
	Method, Path, Summary, Tag string
	Request                    any
	Response                   any
	Status                     int
	List                       bool // response is a Page of Response, unless Response already is one (embeds Page)
	Public                     bool // no sign-in needed
	// RawRequest: the body is a file of any media type, not JSON.
	RawRequest bool
	// RawResponse: the answer is a file in its own media type, not JSON.
	RawResponse bool
	// ResponseSchema names the component of another service's document
	// that describes the answer, for a route the gateway forwards; it
	// resolves in the merged document.
	ResponseSchema string
}

// Add documents r. Path uses gin syntax (:id); it is written as {id}.
//
// Add panics when two Go types would become one component, or when one
// type reads differently as a request and as a response: the document
// must not describe the wrong shape, and every service test builds it.
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
		for _, q := range []string{"page", "page_size", "q", "sort", "cursor"} {
			op.Parameters = append(op.Parameters, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
	}
	switch {
	case r.RawRequest:
		op.RequestBody = map[string]any{"required": true, "content": map[string]any{"*/*": map[string]any{}}}
	case r.Request != nil:
		op.RequestBody = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": d.schemaRef(reflect.TypeOf(r.Request), request)}}}
	}
	status := r.Status
	if status == 0 {
		status = 200
	}
	resp := map[string]any{"description": "OK"}
	switch {
	case r.RawResponse:
		resp["content"] = map[string]any{"*/*": map[string]any{}}
	case r.ResponseSchema != "":
		resp["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": schemaPrefix + r.ResponseSchema}}}
	case r.Response != nil:
		schema := d.schemaRef(reflect.TypeOf(r.Response), response)
		if r.List && !isPage(reflect.TypeOf(r.Response)) {
			schema = map[string]any{"type": "object", "additionalProperties": false, "required": []string{"items", "total", "page", "page_size"}, "properties": map[string]any{
				"items": map[string]any{"type": "array", "items": schema}, "total": map[string]any{"type": "integer"},
				"page": map[string]any{"type": "integer"}, "page_size": map[string]any{"type": "integer"}, "next_cursor": map[string]any{"type": "string"}}}
		}
		resp["content"] = map[string]any{"application/json": map[string]any{"schema": schema}}
	}
	op.Responses[strconv.Itoa(status)] = resp
	// Every operation can fail with a problem; the ranges say so for
	// client errors and server errors, default for anything else.
	for code, desc := range map[string]string{"4XX": "Client error (RFC 9457 problem)", "5XX": "Server error (RFC 9457 problem)", "default": "Problem (RFC 9457)"} {
		op.Responses[code] = map[string]any{"description": desc, "content": map[string]any{
			ProblemContentType: map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
	}
	if d.Paths[path] == nil {
		d.Paths[path] = map[string]Operation{}
	}
	d.Paths[path][strings.ToLower(r.Method)] = op
}

var pageType = reflect.TypeOf(Page[struct{}]{})

// isPage reports whether t embeds a Page, as a list answer with totals of
// its own does.
func isPage(t reflect.Type) bool {
	t = derefType(t)
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.PkgPath() == pageType.PkgPath() && strings.HasPrefix(f.Type.Name(), "Page[") {
			return true
		}
	}
	return false
}

// Merge adds other's paths and schemas into d (the gateway's merged
// document). A schema or operation that both documents hold must be the
// same in both: it fails rather than let one service's shape replace
// another's under a shared name.
func (d *OpenAPI) Merge(other *OpenAPI) error {
	var conflicts []string
	for k, v := range other.Components.Schemas {
		if mine, ok := d.Components.Schemas[k]; ok && !sameJSON(mine, v) {
			conflicts = append(conflicts, "schema "+k)
		}
	}
	for k, v := range other.Components.SecuritySchemes {
		if mine, ok := d.Components.SecuritySchemes[k]; ok && !sameJSON(mine, v) {
			conflicts = append(conflicts, "security scheme "+k)
		}
	}
	for p, ops := range other.Paths {
		for m, op := range ops {
			if mine, ok := d.Paths[p][m]; ok && !sameJSON(mine, op) {
				conflicts = append(conflicts, "operation "+strings.ToUpper(m)+" "+p)
			}
		}
	}
	if len(conflicts) > 0 {
		sort.Strings(conflicts)
		return fmt.Errorf("openapi: merging %q into %q: documented differently in both: %s",
			other.Info["title"], d.Info["title"], strings.Join(conflicts, ", "))
	}
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
	for k, v := range other.Components.SecuritySchemes {
		if d.Components.SecuritySchemes == nil {
			d.Components.SecuritySchemes = map[string]any{}
		}
		d.Components.SecuritySchemes[k] = v
	}
	return nil
}

// sameJSON compares two parts of documents by their JSON, so a document
// built in code and one decoded from a service's answer compare equal.
func sameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return false
	}
	var u, v any
	if json.Unmarshal(x, &u) != nil || json.Unmarshal(y, &v) != nil {
		return false
	}
	x, _ = json.Marshal(u)
	y, _ = json.Marshal(v)
	return bytes.Equal(x, y)
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

// Enumerated is a named string type with a closed set of values; its
// schema lists them. Fields of plain string type declare theirs with an
// `enum:"a,b,c"` tag instead (on a slice of strings, it applies to the
// items).
type Enumerated interface {
	Enum() []string
}

var enumeratedType = reflect.TypeOf((*Enumerated)(nil)).Elem()

// direction is which way a schema describes a value. encoding/json always
// writes a field without omitempty, so a response schema requires it; a
// request may leave it out (Bind does not insist), so a request schema
// requires only what is tagged binding:"required".
type direction int

const (
	response direction = iota
	request
)

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// serviceOfPackage finds the service a Go package belongs to
// (…/services/<name>/…), or "" for the shared module.
var serviceOfPackage = regexp.MustCompile(`/services/([^/]+)/`)

var invalidComponentChars = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// componentName names t's schema: "<service>_<Type>" for a service's type,
// "<Type>" for a shared one, with characters a component key may not hold
// (of generic instantiations) replaced.
func componentName(t reflect.Type) string { return componentNameOf(t.PkgPath(), t.Name()) }

func componentNameOf(pkgPath, typeName string) string {
	name := invalidComponentChars.ReplaceAllString(typeName, "_")
	if m := serviceOfPackage.FindStringSubmatch(pkgPath + "/"); m != nil {
		return m[1] + "_" + name
	}
	return name
}

// variant is a struct type as read in one direction.
type variant struct {
	t   reflect.Type
	dir direction
}

const schemaPrefix = "#/components/schemas/"

func (d *OpenAPI) ref(v variant) map[string]any {
	r := map[string]any{"$ref": schemaPrefix + d.names[v]}
	d.refs[v] = append(d.refs[v], r)
	return r
}

func (d *OpenAPI) rename(v variant, name string) {
	d.names[v] = name
	for _, r := range d.refs[v] {
		r["$ref"] = schemaPrefix + name
	}
}

func (d *OpenAPI) claim(name string, t reflect.Type) {
	if prev, ok := d.types[name]; ok && prev != t {
		panic(fmt.Sprintf("openapi: %s and %s would both be schema %q", prev, t, name))
	}
	d.types[name] = t
}

// schemaRef returns t's schema, as a $ref to a component for a named
// struct. A type reads the same both ways unless required fields make the
// difference; then the response keeps the type's name and the request
// reads "<name>Input", whichever direction came first.
func (d *OpenAPI) schemaRef(t reflect.Type, dir direction) map[string]any {
	t = derefType(t)
	if t.Kind() != reflect.Struct || t == timeType || t.Name() == "" {
		return d.schema(t, dir)
	}
	if d.types == nil {
		d.types, d.names, d.refs = map[string]reflect.Type{}, map[variant]string{}, map[variant][]map[string]any{}
	}
	v := variant{t, dir}
	if _, ok := d.names[v]; ok {
		return d.ref(v) // built, or being built (recursion)
	}
	base := componentName(t)
	d.claim(base, t)
	d.names[v] = fmt.Sprintf("%s~%d", base, dir) // until the schema is known
	s := d.schema(t, dir)
	other := variant{t, 1 - dir}
	name := base
	if otherName, ok := d.names[other]; ok {
		switch {
		case sameJSON(d.Components.Schemas[otherName], s):
			name = otherName
		case dir == request:
			name = base + "Input"
		default:
			d.claim(base+"Input", t)
			d.Components.Schemas[base+"Input"] = d.Components.Schemas[otherName]
			d.rename(other, base+"Input")
		}
		d.claim(name, t)
	}
	d.rename(v, name)
	d.Components.Schemas[name] = s
	return d.ref(v)
}

func (d *OpenAPI) schema(t reflect.Type, dir direction) map[string]any {
	t = derefType(t)
	var s map[string]any
	switch {
	case t == timeType:
		s = map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		s = map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		s = map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		s = map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		s = map[string]any{"type": "number"}
	case t == rawMessageType:
		return map[string]any{} // any JSON value
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return map[string]any{"type": "string", "contentEncoding": "base64"} // as encoding/json writes []byte
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return map[string]any{"type": "array", "items": d.schemaRef(t.Elem(), dir)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object"}
	case t.Kind() == reflect.Struct:
		return d.structSchema(t, dir)
	default:
		return map[string]any{}
	}
	if t.Implements(enumeratedType) {
		s["enum"] = reflect.Zero(t).Interface().(Enumerated).Enum()
	}
	return s
}

func (d *OpenAPI) structSchema(t reflect.Type, dir direction) map[string]any {
	props, promoted := map[string]any{}, map[string]any{}
	var required, promotedRequired []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")
		name := tag[0]
		if name == "-" && len(tag) == 1 {
			continue
		}
		if ft := derefType(f.Type); f.Anonymous && name == "" && ft.Kind() == reflect.Struct && ft != timeType {
			// encoding/json promotes an untagged embedded struct's fields
			// (even of an unexported type); fields of the outer struct win.
			inner := d.structSchema(ft, dir)
			for k, v := range inner["properties"].(map[string]any) {
				promoted[k] = v
			}
			if r, ok := inner["required"].([]string); ok && f.Type.Kind() != reflect.Pointer {
				promotedRequired = append(promotedRequired, r...)
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omitted := false
		for _, o := range tag[1:] {
			omitted = omitted || o == "omitempty" || o == "omitzero"
		}
		p := d.schemaRef(f.Type, dir)
		if values := f.Tag.Get("enum"); values != "" {
			p = withEnum(p, strings.Split(values, ","))
		}
		if f.Type.Kind() == reflect.Pointer && !omitted {
			// A nil pointer is written as null.
			p = nullable(p)
		}
		props[name] = p
		if f.Tag.Get("binding") == "required" || (dir == response && !omitted) {
			required = append(required, name)
		}
	}
	for k, v := range promoted {
		if _, taken := props[k]; !taken {
			props[k] = v
		}
	}
	for _, k := range promotedRequired {
		if !containsString(required, k) && props[k] != nil {
			required = append(required, k)
		}
	}
	s := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		s["required"] = required
	}
	return s
}

// withEnum restricts a string schema, or the items of an array of
// strings, to values.
func withEnum(s map[string]any, values []string) map[string]any {
	if s["type"] == "array" {
		items, _ := s["items"].(map[string]any)
		return map[string]any{"type": "array", "items": withEnum(items, values)}
	}
	if s["type"] != "string" {
		panic(fmt.Sprintf("openapi: enum tag on a non-string field (%v)", s))
	}
	out := map[string]any{}
	for k, v := range s {
		out[k] = v
	}
	out["enum"] = values
	return out
}

// nullable lets s also be null, in OpenAPI 3.1's JSON Schema terms.
func nullable(s map[string]any) map[string]any {
	if _, isRef := s["$ref"]; isRef {
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	typ, ok := s["type"].(string)
	if !ok {
		return s // already admits any value
	}
	out := map[string]any{}
	for k, v := range s {
		out[k] = v
	}
	out["type"] = []string{typ, "null"}
	if enum, ok := s["enum"].([]string); ok {
		values := make([]any, 0, len(enum)+1)
		for _, e := range enum {
			values = append(values, e)
		}
		out["enum"] = append(values, nil)
	}
	return out
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func problemSchema() map[string]any {
	str := map[string]any{"type": "string"}
	return map[string]any{"type": "object", "required": []string{"type", "title", "status", "code", "slug"}, "properties": map[string]any{
		"type": str, "title": str, "status": map[string]any{"type": "integer"}, "detail": str, "instance": str, "code": str, "slug": str,
		"request_id": str, "errors": map[string]any{"type": "array", "items": map[string]any{"type": "object", "required": []string{"field", "code", "message"}, "properties": map[string]any{
			"field": str, "code": str, "message": str, "params": map[string]any{"type": "object"}}}},
	}}
}
