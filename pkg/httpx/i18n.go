package httpx

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Message is one user-visible text in both console languages. Placeholders
// are written {name} and filled from error params; a param that differs by
// language is named name_zh in the Chinese text and name_en in the English.
// The JSON names are those of a catalogue file (LoadTexts).
type Message struct {
	ZH string `json:"zh-CN"`
	EN string `json:"en"`
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

//go:embed texts.json
var sharedTexts embed.FS

// Shared holds the texts httpx itself answers with (texts.json): problem
// titles, the edge's refusals and the common field codes. Every catalogue
// falls back to it.
var Shared = &Catalog{texts: mustLoadTexts(sharedTexts, "texts.json")}

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
