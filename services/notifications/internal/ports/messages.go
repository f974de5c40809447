package ports

import (
	"embed"

	"github.com/incuchain/incuchain/pkg/httpx"
)

//go:embed texts.json
var texts embed.FS

// Messages are the notifications service's own user-visible texts, in
// zh-CN and en: data in texts.json, where translators edit them. Its
// engine answers from them, then from httpx's shared ones.
var Messages = httpx.MustLoadCatalog(texts, "texts.json")
