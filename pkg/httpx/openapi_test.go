package httpx_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/httpx"
)

type addressDoc struct {
	City string `json:"city"`
}

type auditDoc struct {
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

type carrierDoc struct {
	auditDoc                 // embedded: flattened, as encoding/json does
	ID       string          `json:"id"`
	Capacity int             `json:"capacity,omitempty"`
	Area     float64         `json:"area_m2"`
	Active   bool            `json:"active"`
	Floors   uint8           `json:"floors"`
	Tags     []string        `json:"tags"`
	Address  addressDoc      `json:"address"`
	Previous *addressDoc     `json:"previous"`
	History  []addressDoc    `json:"history"`
	OpenedAt time.Time       `json:"opened_at"`
	ClosedAt *time.Time      `json:"closed_at"`
	Note     *string         `json:"note"`
	Labels   map[string]int  `json:"labels"`
	Extra    json.RawMessage `json:"extra"`
	Photo    []byte          `json:"photo"`
	Secret   string          `json:"-"`
	NoTag    string
	//lint:ignore U1000 the generator must skip an unexported field; nothing reads it
	unexported string
	Inline     struct {
		X int `json:"x"`
	} `json:"inline"`
}

type treeDoc struct {
	Name     string    `json:"name"`
	Children []treeDoc `json:"children"`
}

type createInput struct {
	Name string `json:"name"`
}

func TestOpenAPIAdd(t *testing.T) {
	d := httpx.NewOpenAPI("parks", "v1")
	d.Add(httpx.Route{Method: "POST", Path: "/api/v1/regions/:id/carriers", Summary: "Create", Tag: "carriers",
		Request: createInput{}, Response: &carrierDoc{}, Status: 201})
	d.Add(httpx.Route{Method: "GET", Path: "/api/v1/regions/:id/carriers", Summary: "List", Response: carrierDoc{}, List: true})
	d.Add(httpx.Route{Method: "DELETE", Path: "/api/v1/regions/:id/members/:user", Summary: "Revoke", Status: 204})
	d.Add(httpx.Route{Method: "POST", Path: "/api/v1/invitations/:token/accept", Summary: "Accept", Public: true, Request: createInput{}})

	create := d.Paths["/api/v1/regions/{id}/carriers"]["post"]
	if create.OperationID != "post_api_v1_regions_id_carriers" || create.Summary != "Create" || !reflect.DeepEqual(create.Tags, []string{"carriers"}) {
		t.Fatalf("create op = %+v", create)
	}
	if len(create.Parameters) != 1 || create.Parameters[0]["name"] != "id" || create.Parameters[0]["in"] != "path" || create.Parameters[0]["required"] != true {
		t.Fatalf("create params = %v", create.Parameters)
	}
	if len(create.Security) != 2 {
		t.Fatalf("a non-public route must require session or bearer: %v", create.Security)
	}
	if _, ok := create.Responses["201"]; !ok {
		t.Fatalf("responses = %v, want 201", create.Responses)
	}
	if !strings.Contains(mustJSON(t, create.Responses["default"]), `"#/components/schemas/Problem"`) ||
		!strings.Contains(mustJSON(t, create.Responses["default"]), httpx.ProblemContentType) {
		t.Fatalf("default response = %s", mustJSON(t, create.Responses["default"]))
	}
	if !strings.Contains(mustJSON(t, create.RequestBody), `"$ref":"#/components/schemas/createInput"`) {
		t.Fatalf("request body = %s", mustJSON(t, create.RequestBody))
	}

	list := d.Paths["/api/v1/regions/{id}/carriers"]["get"]
	var names []string
	for _, p := range list.Parameters {
		names = append(names, p["in"].(string)+":"+p["name"].(string))
	}
	if strings.Join(names, ",") != "path:id,query:page,query:page_size,query:q,query:sort,query:cursor" {
		t.Fatalf("list params = %v", names)
	}
	page := mustJSON(t, list.Responses["200"])
	for _, want := range []string{`"items":{"items":{"$ref":"#/components/schemas/carrierDoc"},"type":"array"}`, `"page_size":{"type":"integer"}`, `"total"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("list response %s lacks %s", page, want)
		}
	}

	revoke := d.Paths["/api/v1/regions/{id}/members/{user}"]["delete"]
	if len(revoke.Parameters) != 2 || revoke.Parameters[1]["name"] != "user" {
		t.Fatalf("revoke params = %v", revoke.Parameters)
	}
	if r := mustJSON(t, revoke.Responses["204"]); strings.Contains(r, "content") {
		t.Fatalf("a 204 without Response must have no content: %s", r)
	}

	accept := d.Paths["/api/v1/invitations/{token}/accept"]["post"]
	if accept.Security != nil {
		t.Fatalf("a public route has security %v", accept.Security)
	}
	if _, ok := accept.Responses["200"]; !ok {
		t.Fatalf("default status must be 200: %v", accept.Responses)
	}
}

func TestOpenAPISchemas(t *testing.T) {
	d := httpx.NewOpenAPI("parks", "v1")
	d.Add(httpx.Route{Method: "GET", Path: "/c", Response: carrierDoc{}})
	d.Add(httpx.Route{Method: "GET", Path: "/t", Response: treeDoc{}})

	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Type       string                     `json:"type"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(mustJSON(t, d)), &doc); err != nil {
		t.Fatal(err)
	}
	c, ok := doc.Components.Schemas["carrierDoc"]
	if !ok {
		t.Fatalf("schemas = %v", keys(doc.Components.Schemas))
	}
	want := map[string]string{
		"created_by": `{"type":"string"}`,
		"created_at": `{"format":"date-time","type":"string"}`,
		"id":         `{"type":"string"}`,
		"capacity":   `{"type":"integer"}`,
		"area_m2":    `{"type":"number"}`,
		"active":     `{"type":"boolean"}`,
		"floors":     `{"type":"integer"}`,
		"tags":       `{"items":{"type":"string"},"type":"array"}`,
		"address":    `{"$ref":"#/components/schemas/addressDoc"}`,
		"previous":   `{"anyOf":[{"$ref":"#/components/schemas/addressDoc"},{"type":"null"}]}`, // nil is written as null
		"history":    `{"items":{"$ref":"#/components/schemas/addressDoc"},"type":"array"}`,
		"opened_at":  `{"format":"date-time","type":"string"}`,
		"closed_at":  `{"format":"date-time","type":["string","null"]}`,
		"note":       `{"type":["string","null"]}`,
		"labels":     `{"type":"object"}`,
		"extra":      `{}`,
		"photo":      `{"contentEncoding":"base64","type":"string"}`,
		"NoTag":      `{"type":"string"}`,
		"inline":     `{"additionalProperties":false,"properties":{"x":{"type":"integer"}},"required":["x"],"type":"object"}`,
	}
	got := map[string]string{}
	for k, v := range c.Properties {
		got[k] = string(v)
	}
	if !reflect.DeepEqual(got, want) {
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("property %s = %s, want %s", k, got[k], want[k])
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("unexpected property %s = %s", k, got[k])
			}
		}
	}
	if a := doc.Components.Schemas["addressDoc"]; string(a.Properties["city"]) != `{"type":"string"}` {
		t.Fatalf("addressDoc = %+v", a)
	}
	// A recursive type refers to itself instead of recursing forever.
	if tr := doc.Components.Schemas["treeDoc"]; string(tr.Properties["children"]) != `{"items":{"$ref":"#/components/schemas/treeDoc"},"type":"array"}` {
		t.Fatalf("treeDoc.children = %s", tr.Properties["children"])
	}
}

func TestOpenAPIDocument(t *testing.T) {
	d := httpx.NewOpenAPI("Incuchain parks", "1.2.3")
	d.Add(httpx.Route{Method: "GET", Path: "/c/:id", Response: carrierDoc{}, Request: nil})
	d.Add(httpx.Route{Method: "GET", Path: "/t", Response: treeDoc{}, List: true})
	raw := mustJSON(t, d)
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v", doc["openapi"])
	}
	info := doc["info"].(map[string]any)
	if info["title"] != "Incuchain parks" || info["version"] != "1.2.3" {
		t.Fatalf("info = %v", info)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	if _, ok := schemas["Problem"]; !ok {
		t.Fatal("no Problem schema")
	}
	// Every $ref points at a schema in the document.
	for _, m := range regexpAll(raw, `"\$ref":"#/components/schemas/([^"]+)"`) {
		if _, ok := schemas[m]; !ok {
			t.Errorf("dangling $ref to %s", m)
		}
	}
	// Component names are valid OpenAPI component keys.
	for name := range schemas {
		if !validComponentName(name) {
			t.Errorf("invalid component name %q", name)
		}
	}
}

func TestOpenAPIMergeAndOperations(t *testing.T) {
	gw := httpx.NewOpenAPI("gateway", "v1")
	gw.Add(httpx.Route{Method: "POST", Path: "/api/v1/auth/login", Request: createInput{}, Public: true})
	gw.Add(httpx.Route{Method: "GET", Path: "/api/v1/carriers/:id", Response: addressDoc{}})
	parks := httpx.NewOpenAPI("parks", "v1")
	parks.Add(httpx.Route{Method: "PATCH", Path: "/api/v1/carriers/:id", Request: createInput{}, Response: carrierDoc{}})
	parks.Add(httpx.Route{Method: "GET", Path: "/api/v1/regions", Response: treeDoc{}, List: true})

	gw.Merge(parks)
	want := []string{
		"GET /api/v1/carriers/:id",
		"GET /api/v1/regions",
		"PATCH /api/v1/carriers/:id",
		"POST /api/v1/auth/login",
	}
	if got := gw.Operations(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Operations = %v, want %v", got, want)
	}
	for _, s := range []string{"Problem", "createInput", "addressDoc", "carrierDoc", "treeDoc"} {
		if _, ok := gw.Components.Schemas[s]; !ok {
			t.Errorf("merged document lacks schema %s", s)
		}
	}
	if len(gw.Paths["/api/v1/carriers/{id}"]) != 2 {
		t.Fatalf("both methods of a shared path must survive the merge: %v", gw.Paths["/api/v1/carriers/{id}"])
	}
	if got := parks.Operations(); len(got) != 2 {
		t.Fatalf("Merge changed its argument: %v", got)
	}
	if got := httpx.NewOpenAPI("x", "y").Operations(); len(got) != 0 {
		t.Fatalf("empty document operations = %v", got)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func regexpAll(s, expr string) []string {
	var out []string
	for _, m := range regexp.MustCompile(expr).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func validComponentName(s string) bool {
	return regexp.MustCompile(`^[a-zA-Z0-9._-]+$`).MatchString(s)
}
