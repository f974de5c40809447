package launcher

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/incuchain/incuchain/pkg/bus/bustest"
)

// The console's client is generated from PrintOpenAPI's output, so it must
// be the merged document with every service's operations, whatever the
// environment says about databases and ports.
func TestPrintOpenAPIWritesTheMergedDocument(t *testing.T) {
	s := settings(t, "sqlite")
	s.Gateway.ParksURL = "http://127.0.0.1:1" // ignored: every service runs in-process
	var out bytes.Buffer
	if err := PrintOpenAPI(context.Background(), s, bustest.Logger(t), &out); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                     `json:"openapi"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%.300s", err, out.String())
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	for _, p := range []string{
		"/api/v1/auth/login",                                // the gateway's own
		"/api/v1/carriers/{id}",                             // parks
		"/api/v1/enrolment-offers/{id}/accept",              // incubatees
		"/api/v1/documents/{id}/versions/{version}/content", // documents
	} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("the printed document lacks %s", p)
		}
	}
	if !bytes.HasSuffix(out.Bytes(), []byte("}\n")) || !bytes.Contains(out.Bytes(), []byte("\n  \"paths\": {")) {
		t.Errorf("the document is not indented for a readable diff:\n%.200s", out.String())
	}
}
