package httpx_test

import (
	"encoding/json"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
)

// refusal fails unless err is a problem the edge answers with a 4xx.
func refusal(t *testing.T, err error) {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok {
		t.Fatalf("refusal is not a problem error: %v", err)
	}
	if s := httpx.Status(ae.Category); s < 400 || s >= 500 {
		t.Fatalf("refusal %v answers %d", err, s)
	}
}

// texts calls fn with every string reachable from v (map keys included)
// and whether its field is multi-line, following the text tags the way
// the binder does.
func texts(v reflect.Value, multiline bool, fn func(s string, multiline bool)) {
	switch v.Kind() {
	case reflect.String:
		fn(v.String(), multiline)
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			texts(v.Elem(), multiline, fn)
		}
	case reflect.Slice, reflect.Array:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			if len(v.Bytes()) > 0 {
				var x any
				_ = json.Unmarshal(v.Bytes(), &x)
				texts(reflect.ValueOf(&x).Elem(), multiline, fn)
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			texts(v.Index(i), multiline, fn)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			fn(k.String(), false)
			texts(v.MapIndex(k), multiline, fn)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			switch f.Tag.Get(httpx.TagText) {
			case "raw":
				continue
			case "multiline":
				texts(v.Field(i), true, fn)
			default:
				texts(v.Field(i), false, fn)
			}
		}
	}
}

// FuzzDecodeJSON: the shared binder never panics, refuses with 4xx
// problems only, and what it accepts is JSON whose every string meets its
// field's text rule, and which it accepts again once re-encoded.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"title":"园区","body":"a\nb","tags":["x"],"answers":{"q":{"k":["v"]}},"labels":{"a":"b"},"extra":[1,"x",null],"author":{"name":"n"},"note":"e"}`,
		`{"title":"a\u0000b"}`, `{"body":"a\u001b"}`, `{"title":"a","title":"b"}`, `{"Title":"a","title":"b"}`, `null`, ` `, `{} {}`,
		`{"answers":{"q":"\u202e"}}`, "{\"title\":\"\xff\"}", `{"password":"\u0000"}`, `{"labels":{"\u0000":"x"}}`, `[{"title":1}]`,
		`{"extra":{"a":{"b":{"c":[[["\u0007"]]]}}}}`, `{"tags":null,"author":null}`, `{"title":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in noteInput
		err := httpx.DecodeJSON(body, &in)
		if err != nil {
			refusal(t, err)
			if !reflect.DeepEqual(in, noteInput{}) {
				t.Fatalf("refused body %q changed the destination: %+v", body, in)
			}
			return
		}
		trimmed := strings.TrimSpace(string(body))
		if !utf8.Valid(body) || !json.Valid(body) || trimmed == "null" {
			t.Fatalf("accepted %q", body)
		}
		texts(reflect.ValueOf(in), false, func(s string, multiline bool) {
			if code := httpx.TextProblem(s, multiline); code != "" {
				t.Fatalf("accepted %q with %q (%s, multiline %v)", body, s, code, multiline)
			}
		})
		again, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var back noteInput
		if err := httpx.DecodeJSON(again, &back); err != nil {
			t.Fatalf("re-encoded %s refused: %v", again, err)
		}
	})
}

// FuzzCheckJSONContentType: only JSON media types in UTF-8 pass.
func FuzzCheckJSONContentType(f *testing.F) {
	for _, s := range []string{"application/json", "application/json; charset=utf-8", "application/problem+json", "text/plain",
		"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/json; charset=latin1", "application/json;;", "APPLICATION/JSON"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		err := httpx.CheckJSONContentType(header)
		if err != nil {
			if ae, ok := apperr.As(err); !ok || httpx.Status(ae.Category) != http.StatusUnsupportedMediaType {
				t.Fatalf("%q: %v", header, err)
			}
			return
		}
		mt, params, perr := mime.ParseMediaType(header)
		if perr != nil || !(mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
			t.Fatalf("accepted %q (%q, %v)", header, mt, perr)
		}
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			t.Fatalf("accepted charset %q", cs)
		}
	})
}

// FuzzPathParam: an accepted path parameter is short printable ASCII.
func FuzzPathParam(f *testing.F) {
	for _, n := range []string{"id", "user", "version", "role", "token", "period"} {
		for _, v := range []string{"01JDQ7Z5X8K2M3N4P5Q6R7S8T9", "application:01JDQ7Z5X8K2M3N4P5Q6R7S8T9", "\x00", "1", "park_admin", "2026-Q3", "a b", "\u202e"} {
			f.Add(n, v)
		}
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		if !httpx.ValidPathParam(name, value) {
			return
		}
		if value == "" || len(value) > 128 || httpx.TextProblem(value, false) != "" {
			t.Fatalf("accepted %s=%q", name, value)
		}
		for i := 0; i < len(value); i++ {
			if value[i] <= ' ' || value[i] >= 0x7f || strings.IndexByte(`/\?#%'"<>`, value[i]) >= 0 {
				t.Fatalf("accepted %s=%q with byte %#x", name, value, value[i])
			}
		}
	})
}

// FuzzTextProblem: accepted text holds no control, bidi or line-break
// characters where they are not allowed, and single-line text is also
// acceptable multi-line text.
func FuzzTextProblem(f *testing.F) {
	for _, s := range []string{"园区", "a\nb", "a\tb", "\x00", "\u202e", "\u2028", "\xff", "\r\n", "\u0085"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		if httpx.TextProblem(s, multiline) != "" {
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
		for _, r := range s {
			bad := r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
			if multiline && (r == '\n' || r == '\r' || r == '\t') {
				bad = false
			}
			if !multiline && (r == 0x2028 || r == 0x2029) {
				bad = true
			}
			if bad {
				t.Fatalf("accepted %U in %q (multiline %v)", r, s, multiline)
			}
		}
		if !multiline && httpx.TextProblem(s, true) != "" {
			t.Fatalf("%q is single-line text but not multi-line text", s)
		}
	})
}
