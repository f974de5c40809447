package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// MaxJSONBody caps request bodies decoded by Bind.
const MaxJSONBody = 1 << 20

// TagText is the struct tag that relaxes the text rule of a string field
// (and of every string below it: map values, slice elements, raw JSON):
//
//	Comment string `json:"comment" text:"multiline"` // \n, \r and \t allowed
//	Password string `json:"password" text:"raw"`    // never shown or stored as text
//
// Without the tag a string is single-line text (see TextProblem).
const TagText = "text"

// Bind decodes the JSON body into dst strictly (see DecodeJSON): a body
// must be sent as JSON, and unknown fields, duplicate keys, trailing data,
// wrong types, control characters and oversized bodies are errors naming
// the field, so a client never has part of its input silently ignored or
// stored in a form the database refuses.
func Bind(c *gin.Context, dst any) error {
	if err := CheckJSONContentType(c.GetHeader("Content-Type")); err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.TooLarge, "body-too-large").With("max", MaxJSONBody)
		}
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "unreadable body").Wrap(err)
	}
	return DecodeJSON(body, dst)
}

// CheckJSONContentType accepts application/json and the +json types
// (application/problem+json, application/merge-patch+json), with no
// charset or charset=utf-8. Anything else is 415: browsers send
// text/plain, form and multipart bodies cross-site without a preflight,
// so parsing those as JSON would let another site call the API with the
// victim's cookies.
func CheckJSONContentType(header string) error {
	refuse := func(reason string) error {
		return apperr.New(apperr.Unsupported, "unsupported-content-type").With("accepted", "application/json").With("reason", reason)
	}
	if strings.TrimSpace(header) == "" {
		return refuse("no Content-Type")
	}
	mt, params, err := mime.ParseMediaType(header)
	if err != nil {
		return refuse("unparsable Content-Type")
	}
	sub, ok := strings.CutPrefix(mt, "application/")
	if !ok || (sub != "json" && !strings.HasSuffix(sub, "+json")) {
		return refuse("not JSON")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return refuse("charset other than utf-8")
	}
	return nil
}

// DecodeJSON decodes body, one JSON value, into dst (a pointer). It
// refuses, with problem errors:
//   - an empty body, a top-level null, trailing data, invalid UTF-8 (400);
//   - unknown fields, wrong types, duplicate keys (400, naming the field);
//   - strings that break the text rule of their field (422, naming each
//     field; see TagText and TextProblem). Object keys are single-line.
//
// dst is left untouched unless the body is accepted.
func DecodeJSON(body []byte, dst any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "empty body")
	}
	if !utf8.Valid(trimmed) {
		// encoding/json would quietly turn each bad byte into U+FFFD.
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "not UTF-8")
	}
	if bytes.Equal(trimmed, []byte("null")) {
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "null instead of an object")
	}
	t := reflect.TypeOf(dst)
	if t == nil || t.Kind() != reflect.Pointer || reflect.ValueOf(dst).IsNil() {
		return fmt.Errorf("httpx.DecodeJSON: dst must be a non-nil pointer, not %T", dst)
	}
	// Decode into a fresh value first so a refused body leaves dst as it was.
	fresh := reflect.New(t.Elem())
	fresh.Elem().Set(reflect.ValueOf(dst).Elem()) // keep defaults a handler set
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(fresh.Interface()); err != nil {
		return decodeError(err)
	}
	// dec.More is not enough: it reports false for a stray '}' or ']'.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "trailing data after the JSON value")
	}
	if err := inspect(trimmed, t.Elem()); err != nil {
		return err
	}
	reflect.ValueOf(dst).Elem().Set(fresh.Elem())
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", fmt.Sprintf("syntax error at byte %d", syn.Offset)).Wrap(err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return malformedField("malformed-json", field, "wrong_type", "want", typ.Type.String()).With("reason", "field "+field+" has the wrong type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return malformedField("unknown-field", field, "unknown")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "unexpected end of input").Wrap(err)
	default:
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "cannot decode").Wrap(err)
	}
}

func malformedField(slug, field, code string, params ...any) *apperr.Error {
	e, _ := apperr.As(apperr.NewValidation(slug).Add(field, code, params...).Err())
	e.Category = apperr.Malformed
	return e
}

// textMode is how strict the text rule is for a value.
type textMode int

const (
	singleLine textMode = iota
	multiLine
	rawText
)

// maxTextErrors bounds the field errors of one refusal.
const maxTextErrors = 20

// inspect walks the JSON tokens of an already decoded body alongside the
// type it was decoded into: every string and key meets its field's text
// rule, and no object repeats a key (encoding/json would keep the last
// one, and matches struct fields case-insensitively, so "name" and "Name"
// are the same field). Raw JSON, maps and interfaces are walked too.
func inspect(body []byte, t reflect.Type) error {
	w := &walker{dec: json.NewDecoder(bytes.NewReader(body)), text: apperr.NewValidation("invalid-text")}
	w.dec.UseNumber()
	if err := w.value("", t, singleLine); err != nil {
		return err
	}
	if w.dup != "" {
		return malformedField("duplicate-key", w.dup, "duplicate_key")
	}
	return w.text.Err()
}

type walker struct {
	dec    *json.Decoder
	text   *apperr.Validation
	errors int
	dup    string
}

func (w *walker) check(path, s string, mode textMode) {
	if mode == rawText || w.errors >= maxTextErrors {
		return
	}
	if code := TextProblem(s, mode == multiLine); code != "" {
		if path == "" {
			path = "body"
		}
		w.text.Add(path, code)
		w.errors++
	}
}

func (w *walker) value(path string, t reflect.Type, mode textMode) error {
	tok, err := w.dec.Token()
	if err != nil {
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "cannot decode").Wrap(err)
	}
	switch x := tok.(type) {
	case json.Delim:
		switch x {
		case '{':
			return w.object(path, deref(t), mode)
		case '[':
			return w.array(path, deref(t), mode)
		}
	case string:
		w.check(path, x, mode)
	}
	return nil
}

func (w *walker) object(path string, t reflect.Type, mode textMode) error {
	var fields map[string]fieldInfo
	if t != nil && t.Kind() == reflect.Struct && !isRaw(t) {
		fields = structFields(t)
	}
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return apperr.New(apperr.Malformed, "malformed-json").With("reason", "cannot decode").Wrap(err)
		}
		key, _ := tok.(string)
		child := key
		if path != "" {
			child = path + "." + key
		}
		w.check(child, key, singleLine) // keys name things; never multi-line
		var ct reflect.Type
		cmode, seenKey := mode, key
		switch {
		case fields != nil:
			seenKey = strings.ToLower(key)
			f, ok := fields[seenKey]
			if ok {
				ct, cmode = f.typ, f.mode
			} else {
				cmode = singleLine
			}
		case t != nil && t.Kind() == reflect.Map:
			ct = t.Elem()
		}
		if seen[seenKey] && w.dup == "" {
			w.dup = child
		}
		seen[seenKey] = true
		if err := w.value(child, ct, cmode); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // '}'
	return err
}

func (w *walker) array(path string, t reflect.Type, mode textMode) error {
	var et reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !isRaw(t) {
		et = t.Elem()
	}
	for i := 0; w.dec.More(); i++ {
		if err := w.value(path+"["+strconv.Itoa(i)+"]", et, mode); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // ']'
	return err
}

var rawMessage = reflect.TypeFor[json.RawMessage]()

// isRaw reports types whose JSON is not described by their Go shape
// (json.RawMessage, custom unmarshalers): walked generically.
func isRaw(t reflect.Type) bool {
	if t == rawMessage {
		return true
	}
	u := reflect.TypeFor[json.Unmarshaler]()
	return t.Implements(u) || reflect.PointerTo(t).Implements(u)
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && isRaw(t) {
		return nil
	}
	return t
}

type fieldInfo struct {
	typ  reflect.Type
	mode textMode
}

var fieldCache sync.Map // reflect.Type -> map[string]fieldInfo

// structFields maps the lower-cased JSON names of t's fields (embedded
// structs' fields included, as encoding/json promotes them) to their types
// and text modes.
func structFields(t reflect.Type) map[string]fieldInfo {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]fieldInfo)
	}
	m := map[string]fieldInfo{}
	addStructFields(t, m, map[reflect.Type]bool{})
	fieldCache.Store(t, m)
	return m
}

func addStructFields(t reflect.Type, m map[string]fieldInfo, visiting map[reflect.Type]bool) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if et := deref(f.Type); et != nil && et.Kind() == reflect.Struct {
				embedded = append(embedded, et)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		mode := singleLine
		switch f.Tag.Get(TagText) {
		case "multiline":
			mode = multiLine
		case "raw":
			mode = rawText
		}
		m[strings.ToLower(name)] = fieldInfo{typ: f.Type, mode: mode}
	}
	// Shallower fields win over promoted ones, as in encoding/json.
	for _, et := range embedded {
		sub := map[string]fieldInfo{}
		addStructFields(et, sub, visiting)
		for k, v := range sub {
			if _, ok := m[k]; !ok {
				m[k] = v
			}
		}
	}
}
