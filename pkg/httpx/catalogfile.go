package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// LoadTexts reads a catalogue file of fsys: one JSON object of key →
// {"zh-CN": text, "en": text}, the data translators edit. A key given
// twice, a language other than those two or anything after the object is
// refused, so a slip in the file fails at start-up instead of silently
// dropping a text.
func LoadTexts(fsys fs.FS, name string) (map[string]Message, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	texts, err := decodeTexts(data)
	if err != nil {
		return nil, fmt.Errorf("httpx: texts %s: %w", name, err)
	}
	return texts, nil
}

func decodeTexts(data []byte) (map[string]Message, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("want one JSON object of texts")
	}
	texts := map[string]Message{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // inside an object the decoder yields names only
		if _, dup := texts[key]; dup {
			return nil, fmt.Errorf("%q given twice", key)
		}
		var m Message
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		texts[key] = m
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the object of texts")
	}
	return texts, nil
}

func mustLoadTexts(fsys fs.FS, name string) map[string]Message {
	texts, err := LoadTexts(fsys, name)
	if err != nil {
		panic(err)
	}
	return texts
}

// MustLoadCatalog returns a service's catalogue over Shared holding the
// texts of the file name in fsys (LoadTexts); a service embeds its file,
// so a malformed one panics at start-up and in every test of the service.
func MustLoadCatalog(fsys fs.FS, name string) *Catalog {
	return NewCatalog(mustLoadTexts(fsys, name))
}
