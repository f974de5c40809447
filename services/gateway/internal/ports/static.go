package ports

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Cache-Control values of the console's files. Vite names everything under
// /assets/ by its content hash, so a browser may keep those for a year
// without asking; index.html (and any other unhashed file) names the current
// hashes and must be revalidated on every load.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// minCompressSize is the size below which gzip's header and dictionary cost
// more than they save.
const minCompressSize = 1024

// compressible lists the extensions worth gzipping: text formats. Images,
// fonts (woff2 is already compressed) and archives are sent as they are.
var compressible = map[string]bool{
	".html": true, ".js": true, ".mjs": true, ".css": true, ".json": true,
	".svg": true, ".txt": true, ".map": true, ".xml": true, ".ico": true, ".wasm": true,
}

// staticFiles serves the built console from a directory, gzipped for
// clients that accept it. A file is compressed once, on its first request,
// and kept in memory until its size or modification time changes (a
// rebuilt console replaces files in place); the console is a few MB, so the
// cache is bounded by the directory itself.
type staticFiles struct {
	dir string

	mu sync.Mutex
	gz map[string]gzipped
}

type gzipped struct {
	size    int64
	modTime time.Time
	body    []byte // nil when compression does not pay
}

func newStaticFiles(dir string) *staticFiles {
	return &staticFiles{dir: dir, gz: map[string]gzipped{}}
}

// lookup maps a URL path to a regular file inside dir. filepath.Clean on a
// rooted path removes every "..", so nothing outside dir is reachable.
func (s *staticFiles) lookup(urlPath string) (string, os.FileInfo, bool) {
	clean := filepath.Clean("/" + urlPath)
	file := filepath.Join(s.dir, clean)
	st, err := os.Stat(file)
	if err != nil || st.IsDir() {
		return "", nil, false
	}
	return clean, st, true
}

// serve writes the file at clean (a path from lookup) with its caching
// headers, compressed when the client accepts gzip and it pays.
func (s *staticFiles) serve(w http.ResponseWriter, r *http.Request, clean string, st os.FileInfo) {
	h := w.Header()
	if strings.HasPrefix(clean, "/assets/") {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheRevalidate)
	}
	ext := strings.ToLower(filepath.Ext(clean))
	if ct := mime.TypeByExtension(ext); ct != "" {
		h.Set("Content-Type", ct)
	}
	file := filepath.Join(s.dir, clean)
	if compressible[ext] {
		// Caches between us and the browser must keep the two encodings apart.
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if body, err := s.gzipOf(clean, file, st); err == nil && body != nil {
				h.Set("Content-Encoding", "gzip")
				// The encoded bytes are another representation: a weak
				// validator of the original would wrongly match them.
				h.Set("ETag", etag(st, "gz"))
				http.ServeContent(w, r, clean, st.ModTime(), bytes.NewReader(body))
				return
			}
		}
	}
	f, err := os.Open(file)
	if err != nil {
		http.Error(w, http.StatusText(http.StatusNotFound), http.StatusNotFound)
		return
	}
	defer func() { _ = f.Close() }()
	h.Set("ETag", etag(st, ""))
	http.ServeContent(w, r, clean, st.ModTime(), f)
}

// gzipOf returns the gzipped bytes of file, from the cache while the file is
// unchanged; nil when the file is too small or does not shrink.
func (s *staticFiles) gzipOf(clean, file string, st os.FileInfo) ([]byte, error) {
	s.mu.Lock()
	c, ok := s.gz[clean]
	s.mu.Unlock()
	if ok && c.size == st.Size() && c.modTime.Equal(st.ModTime()) {
		return c.body, nil
	}
	var body []byte
	if st.Size() >= minCompressSize {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", clean, err)
		}
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, fmt.Errorf("gzip %s: %w", clean, err)
		}
		if _, err := zw.Write(raw); err != nil {
			return nil, fmt.Errorf("gzip %s: %w", clean, err)
		}
		if err := zw.Close(); err != nil {
			return nil, fmt.Errorf("gzip %s: %w", clean, err)
		}
		if buf.Len() < len(raw) {
			body = buf.Bytes()
		}
	}
	s.mu.Lock()
	s.gz[clean] = gzipped{size: st.Size(), modTime: st.ModTime(), body: body}
	s.mu.Unlock()
	return body, nil
}

// etag is a strong validator from the file's size and modification time;
// encoding tells the gzipped representation apart from the plain one.
func etag(st os.FileInfo, encoding string) string {
	tag := strconv.FormatInt(st.ModTime().UnixNano(), 36) + "-" + strconv.FormatInt(st.Size(), 36)
	if encoding != "" {
		tag += "-" + encoding
	}
	return `"` + tag + `"`
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}
