package httpx_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/httpx"
)

// stage is a closed set declared by its type.
type stage string

func (stage) Enum() []string { return []string{"draft", "live"} }

type shapeDoc struct {
	ID       string   `json:"id"`
	Note     string   `json:"note,omitempty"`
	Seen     int      `json:"seen,omitzero"`
	Stage    stage    `json:"stage"`
	Next     *stage   `json:"next"`
	Kind     string   `json:"kind" enum:"a,b"`
	Roles    []string `json:"roles" enum:"admin,viewer"`
	Maybe    *string  `json:"maybe,omitempty"` // left out when nil, never null
	Parent   *treeDoc `json:"parent"`
	Children []treeDoc
}

type shapeInput struct {
	Name  string  `json:"name" binding:"required"`
	Stage *stage  `json:"stage"`
	Note  *string `json:"note"`
}

func schemaOf(t *testing.T, d *httpx.OpenAPI, name string) map[string]any {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(mustJSON(t, d)), &doc); err != nil {
		t.Fatal(err)
	}
	s, ok := doc.Components.Schemas[name]
	if !ok {
		t.Fatalf("no schema %s in %v", name, keys(doc.Components.Schemas))
	}
	return s
}

func TestOpenAPIRequiredEnumsAndNull(t *testing.T) {
	d := httpx.NewOpenAPI("x", "v1")
	d.Add(httpx.Route{Method: "POST", Path: "/s", Request: shapeInput{}, Response: shapeDoc{}})

	out := schemaOf(t, d, "shapeDoc")
	// encoding/json always writes a field without omitempty/omitzero.
	if got := mustJSON(t, out["required"]); got != `["Children","id","kind","next","parent","roles","stage"]` {
		t.Errorf("response required = %s", got)
	}
	props := out["properties"].(map[string]any)
	for field, want := range map[string]string{
		"stage":  `{"enum":["draft","live"],"type":"string"}`,
		"next":   `{"enum":["draft","live",null],"type":["string","null"]}`,
		"kind":   `{"enum":["a","b"],"type":"string"}`,
		"roles":  `{"items":{"enum":["admin","viewer"],"type":"string"},"type":"array"}`,
		"maybe":  `{"type":"string"}`,
		"parent": `{"anyOf":[{"$ref":"#/components/schemas/treeDoc"},{"type":"null"}]}`,
	} {
		if got := mustJSON(t, props[field]); got != want {
			t.Errorf("%s = %s, want %s", field, got, want)
		}
	}

	in := schemaOf(t, d, "shapeInput")
	// A request may leave out what Bind does not insist on.
	if got := mustJSON(t, in["required"]); got != `["name"]` {
		t.Errorf("request required = %s", got)
	}
	if got := mustJSON(t, in["properties"].(map[string]any)["note"]); got != `{"type":["string","null"]}` {
		t.Errorf("request note = %s", got)
	}
}

func TestOpenAPIProblemResponses(t *testing.T) {
	d := httpx.NewOpenAPI("x", "v1")
	d.Add(httpx.Route{Method: "GET", Path: "/s", Response: shapeDoc{}})
	op := d.Paths["/s"]["get"]
	for _, code := range []string{"4XX", "5XX", "default"} {
		r := mustJSON(t, op.Responses[code])
		if !strings.Contains(r, `"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}`) {
			t.Errorf("response %s = %s", code, r)
		}
	}
	if got := mustJSON(t, schemaOf(t, d, "Problem")["required"]); got != `["type","title","status","code","slug"]` {
		t.Errorf("Problem required = %s", got)
	}
}

func TestOpenAPIRawBodies(t *testing.T) {
	d := httpx.NewOpenAPI("x", "v1")
	d.Add(httpx.Route{Method: "POST", Path: "/files", RawRequest: true, Response: addressDoc{}, Status: 201})
	d.Add(httpx.Route{Method: "GET", Path: "/files/:id", RawResponse: true})
	if got := mustJSON(t, d.Paths["/files"]["post"].RequestBody); got != `{"content":{"*/*":{}},"required":true}` {
		t.Errorf("raw request body = %s", got)
	}
	if got := mustJSON(t, d.Paths["/files/{id}"]["get"].Responses["200"]); got != `{"content":{"*/*":{}},"description":"OK"}` {
		t.Errorf("raw response = %s", got)
	}
}

func TestOpenAPITwoTypesOneNamePanics(t *testing.T) {
	d := httpx.NewOpenAPI("x", "v1")
	add := func(path string, v any) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = r.(string)
			}
		}()
		d.Add(httpx.Route{Method: "GET", Path: path, Response: v})
		return ""
	}
	// Two local types of one package share name and package path.
	type clash struct {
		A string `json:"a"`
	}
	if msg := add("/a", clash{}); msg != "" {
		t.Fatalf("first type: %s", msg)
	}
	if msg := add("/a2", clash{}); msg != "" {
		t.Fatalf("the same type again: %s", msg)
	}
	other := func() any {
		type clash struct {
			B int `json:"b"`
		}
		return clash{}
	}()
	if msg := add("/b", other); !strings.Contains(msg, `would both be schema "clash"`) {
		t.Fatalf("a second type named clash: panic %q", msg)
	}
}

type formDoc struct {
	Questions []questionDoc `json:"questions"`
}

type questionDoc struct {
	Key  string `json:"key"`
	Unit string `json:"unit,omitempty"`
}

type flagDoc struct {
	On bool `json:"on,omitempty"` // reads the same both ways
}

// A type sent and received whose required fields differ gets one
// component per direction, named the same whichever came first.
func TestOpenAPIOneTypeBothWays(t *testing.T) {
	for _, requestFirst := range []bool{true, false} {
		d := httpx.NewOpenAPI("x", "v1")
		routes := []httpx.Route{
			{Method: "POST", Path: "/forms", Request: formDoc{}, Response: flagDoc{}},
			{Method: "GET", Path: "/forms/:id", Response: formDoc{}},
			{Method: "PUT", Path: "/flags", Request: flagDoc{}, Response: flagDoc{}},
		}
		if !requestFirst {
			routes[0], routes[1] = routes[1], routes[0]
		}
		for _, r := range routes {
			d.Add(r)
		}
		raw := mustJSON(t, d)
		for name, want := range map[string]string{
			"formDoc":          `{"additionalProperties":false,"properties":{"questions":{"items":{"$ref":"#/components/schemas/questionDoc"},"type":"array"}},"required":["questions"],"type":"object"}`,
			"formDocInput":     `{"additionalProperties":false,"properties":{"questions":{"items":{"$ref":"#/components/schemas/questionDocInput"},"type":"array"}},"type":"object"}`,
			"questionDoc":      `{"additionalProperties":false,"properties":{"key":{"type":"string"},"unit":{"type":"string"}},"required":["key"],"type":"object"}`,
			"questionDocInput": `{"additionalProperties":false,"properties":{"key":{"type":"string"},"unit":{"type":"string"}},"type":"object"}`,
			"flagDoc":          `{"additionalProperties":false,"properties":{"on":{"type":"boolean"}},"type":"object"}`,
		} {
			if got := mustJSON(t, schemaOf(t, d, name)); got != want {
				t.Errorf("request first %v: %s = %s, want %s", requestFirst, name, got, want)
			}
		}
		if _, ok := d.Components.Schemas["flagDocInput"]; ok {
			t.Errorf("a type that reads the same both ways got two components")
		}
		if got := mustJSON(t, d.Paths["/forms"]["post"].RequestBody); !strings.Contains(got, `"#/components/schemas/formDocInput"`) {
			t.Errorf("request first %v: request body = %s", requestFirst, got)
		}
		if got := mustJSON(t, d.Paths["/forms/{id}"]["get"].Responses["200"]); !strings.Contains(got, `"#/components/schemas/formDoc"`) {
			t.Errorf("request first %v: response = %s", requestFirst, got)
		}
		for _, m := range regexpAll(raw, `"\$ref":"#/components/schemas/([^"]+)"`) {
			if _, ok := d.Components.Schemas[m]; !ok {
				t.Errorf("dangling $ref to %s", m)
			}
		}
		if strings.Contains(raw, "~") {
			t.Errorf("a provisional name leaked: %s", raw)
		}
	}
}

func TestOpenAPIMergeRefusesConflicts(t *testing.T) {
	type memberDoc struct {
		UserID string   `json:"user_id"`
		Roles  []string `json:"roles"`
	}
	parks := httpx.NewOpenAPI("parks", "v1")
	parks.Add(httpx.Route{Method: "GET", Path: "/api/v1/regions/:id/members", Response: memberDoc{}, List: true})
	incubatees := httpx.NewOpenAPI("incubatees", "v1")
	incubatees.Add(httpx.Route{Method: "GET", Path: "/api/v1/companies/:id/members", Response: memberDoc{}, List: true})

	merged := httpx.NewOpenAPI("all", "v1")
	if err := merged.Merge(parks); err != nil {
		t.Fatal(err)
	}
	// The same shape under the same name merges into one schema.
	if err := merged.Merge(incubatees); err != nil {
		t.Fatalf("identical schemas must dedupe: %v", err)
	}
	if len(merged.Paths) != 2 || merged.Components.Schemas["memberDoc"] == nil {
		t.Fatalf("merged = %v %v", merged.Operations(), keys(merged.Components.Schemas))
	}
	// Round-tripped through JSON (as the gateway reads a service's
	// document) it is still the same.
	var decoded httpx.OpenAPI
	if err := json.Unmarshal([]byte(mustJSON(t, parks)), &decoded); err != nil {
		t.Fatal(err)
	}
	if err := merged.Merge(&decoded); err != nil {
		t.Fatalf("a decoded copy conflicts: %v", err)
	}

	// Another service's different shape under that name is refused,
	// and d keeps its own.
	before := mustJSON(t, merged)
	other := httpx.NewOpenAPI("documents", "v1")
	other.Components.Schemas["memberDoc"] = map[string]any{"type": "object", "properties": map[string]any{"at": map[string]any{"type": "string"}}}
	other.Paths["/api/v1/regions/{id}/members"] = map[string]httpx.Operation{"get": {OperationID: "other"}}
	err := merged.Merge(other)
	if err == nil || !strings.Contains(err.Error(), "schema memberDoc") || !strings.Contains(err.Error(), "operation GET /api/v1/regions/{id}/members") {
		t.Fatalf("Merge = %v", err)
	}
	if after := mustJSON(t, merged); after != before {
		t.Fatal("a refused merge changed the document")
	}
	if !reflect.DeepEqual(merged.Operations(), []string{"GET /api/v1/companies/:id/members", "GET /api/v1/regions/:id/members"}) {
		t.Fatalf("operations = %v", merged.Operations())
	}
}

type overviewDoc struct {
	httpx.Page[addressDoc]
	Counts map[string]int `json:"counts"`
}

// A list answer that is itself a page (with totals of its own) is not
// wrapped in a second page.
func TestOpenAPIListOfOwnPage(t *testing.T) {
	d := httpx.NewOpenAPI("x", "v1")
	d.Add(httpx.Route{Method: "GET", Path: "/o", Response: overviewDoc{}, List: true})
	if got := mustJSON(t, d.Paths["/o"]["get"].Responses["200"]); got != `{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/overviewDoc"}}},"description":"OK"}` {
		t.Fatalf("response = %s", got)
	}
	if got := mustJSON(t, schemaOf(t, d, "overviewDoc")); got != `{"additionalProperties":false,"properties":{"counts":{"type":"object"},"items":{"items":{"$ref":"#/components/schemas/addressDoc"},"type":"array"},"next_cursor":{"type":"string"},"page":{"type":"integer"},"page_size":{"type":"integer"},"total":{"type":"integer"}},"required":["counts","items","page","page_size","total"],"type":"object"}` {
		t.Fatalf("schema = %s", got)
	}
	if n := len(d.Paths["/o"]["get"].Parameters); n != 5 {
		t.Fatalf("list parameters = %d", n)
	}
}

// A forwarded route names the component another service's document
// defines.
func TestOpenAPIResponseSchemaOfAnotherService(t *testing.T) {
	d := httpx.NewOpenAPI("gateway", "v1")
	d.Add(httpx.Route{Method: "GET", Path: "/api/v1/auth/me", ResponseSchema: "parks_meDTO"})
	if got := mustJSON(t, d.Paths["/api/v1/auth/me"]["get"].Responses["200"]); got != `{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/parks_meDTO"}}},"description":"OK"}` {
		t.Fatalf("response = %s", got)
	}
}
