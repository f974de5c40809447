package httpx_test

import (
	"testing"
	"testing/fstest"

	"github.com/incuchain/incuchain/pkg/httpx"
)

func TestLoadTexts(t *testing.T) {
	fsys := fstest.MapFS{"texts.json": {Data: []byte(`{
  "t.a": {"zh-CN": "共 {n} 条", "en": "{n} items"},
  "t.b": {"zh-CN": "路径（/、\\ 或 ..）", "en": "\"{member}\" <b>"}
}
`)}}
	got, err := httpx.LoadTexts(fsys, "texts.json")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]httpx.Message{
		"t.a": {ZH: "共 {n} 条", EN: "{n} items"},
		"t.b": {ZH: "路径（/、\\ 或 ..）", EN: "\"{member}\" <b>"},
	}
	if len(got) != len(want) || got["t.a"] != want["t.a"] || got["t.b"] != want["t.b"] {
		t.Fatalf("LoadTexts = %+v, want %+v", got, want)
	}
	c := httpx.MustLoadCatalog(fsys, "texts.json")
	if s := c.Text(httpx.EN, "t.a", map[string]any{"n": 2}); s != "2 items" {
		t.Errorf("catalogue answers %q", s)
	}
	if s := c.Text(httpx.EN, "title.not-found", nil); s != "Not found" {
		t.Errorf("catalogue does not fall back to the shared texts: %q", s)
	}
}

// A slip in a translator's file is refused rather than dropping a text.
func TestLoadTextsRefuses(t *testing.T) {
	for name, data := range map[string]string{
		"a key twice":      `{"t.a": {"zh-CN": "甲", "en": "A"}, "t.a": {"zh-CN": "乙", "en": "B"}}`,
		"another language": `{"t.a": {"zh-CN": "甲", "en": "A", "fr": "A"}}`,
		"a bare string":    `{"t.a": "A"}`,
		"not an object":    `[{"t.a": {"zh-CN": "甲", "en": "A"}}]`,
		"data after":       `{"t.a": {"zh-CN": "甲", "en": "A"}} {}`,
		"unclosed":         `{"t.a": {"zh-CN": "甲", "en": "A"}`,
		"empty":            ``,
	} {
		if texts, err := httpx.LoadTexts(fstest.MapFS{"texts.json": {Data: []byte(data)}}, "texts.json"); err == nil {
			t.Errorf("%s: accepted as %+v", name, texts)
		}
	}
	if _, err := httpx.LoadTexts(fstest.MapFS{}, "texts.json"); err == nil {
		t.Error("a missing file accepted")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustLoadCatalog accepted a missing file")
		}
	}()
	httpx.MustLoadCatalog(fstest.MapFS{}, "texts.json")
}
