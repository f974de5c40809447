package blob

import (
	"context"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"
)

// Server is an in-process S3-compatible object server for the embedded
// default and for tests. Objects live as files under its directory
// (gofakes3's afero backend: buckets/ and metadata/), in-flight uploads
// under staging/, which is emptied at start.
type Server struct {
	ln       net.Listener
	http     *http.Server
	fake     http.Handler
	backend  objectBackend
	verifier *sigV4Verifier // nil: requests are not authenticated
	uploads  *multipartUploads
	spoolDir string
	staging  string
	now      func() time.Time
	reqID    atomic.Uint64
	served   chan struct{}

	// Connections that never carried a request: http.Server.Shutdown
	// only counts them idle after 5 s, and clients dial spare ones.
	connMu  sync.Mutex
	fresh   map[net.Conn]struct{}
	closing bool

	close    sync.Once
	closeErr error
}

// objectBackend is the part of gofakes3's backend the server calls directly.
type objectBackend interface {
	BucketExists(name string) (bool, error)
	HeadObject(bucket, key string) (*gofakes3.Object, error)
	GetObject(bucket, key string, rng *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error)
	PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, cond *gofakes3.PutConditions) (gofakes3.PutObjectResult, error)
}

// ServerOption configures StartServer.
type ServerOption func(*serverOptions)

type serverOptions struct {
	accessKey, secretKey string
	now                  func() time.Time
}

// WithClock makes the server read the time from now: when signatures were
// made, whether presigned URLs have expired. Tests move it instead of
// waiting; the default is time.Now.
func WithClock(now func() time.Time) ServerOption {
	return func(o *serverOptions) { o.now = now }
}

// WithCredentials makes the server accept only requests signed (AWS
// Signature V4, header or presigned query) with this key pair. Without it
// the server accepts any request, signed or not: fine for a throwaway test
// server, never for one a browser can reach.
func WithCredentials(accessKey, secretKey string) ServerOption {
	return func(o *serverOptions) { o.accessKey, o.secretKey = accessKey, secretKey }
}

// StartServer serves an S3-compatible API over HTTP on addr ("127.0.0.1:0"
// picks a free port), keeping objects under dir.
func StartServer(dir, addr string, opts ...ServerOption) (*Server, error) {
	o := serverOptions{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if (o.accessKey == "") != (o.secretKey == "") {
		return nil, errors.New("blob: start server: access key and secret key go together")
	}
	if dir == "" {
		return nil, errors.New("blob: start server: empty directory")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob: start server: %w", err)
	}
	staging := filepath.Join(dir, "staging")
	// Uploads do not survive a restart; their leftovers would only take space.
	if err := os.RemoveAll(staging); err != nil {
		return nil, fmt.Errorf("blob: start server: clear %s: %w", staging, err)
	}
	spoolDir, mpuDir := filepath.Join(staging, "spool"), filepath.Join(staging, "multipart")
	for _, d := range []string{spoolDir, mpuDir, filepath.Join(staging, "objects")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("blob: start server: %w", err)
		}
	}
	root, err := s3afero.FsPath(dir, s3afero.FsPathCreateAll)
	if err != nil {
		return nil, fmt.Errorf("blob: start server in %s: %w", dir, err)
	}
	backend, err := s3afero.MultiBucket(&atomicFs{Fs: root, tmpDir: "staging/objects"})
	if err != nil {
		return nil, fmt.Errorf("blob: start server in %s: %w", dir, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("blob: start server on %s: %w", addr, err)
	}
	s := &Server{
		ln:       ln,
		backend:  backend,
		fake:     gofakes3.New(backend, gofakes3.WithoutVersioning()).Server(),
		spoolDir: spoolDir,
		staging:  staging,
		now:      o.now,
		served:   make(chan struct{}),
		fresh:    make(map[net.Conn]struct{}),
		uploads:  &multipartUploads{dir: mpuDir, backend: backend, now: o.now, uploads: map[string]*multipartUpload{}},
	}
	if o.accessKey != "" {
		s.verifier = &sigV4Verifier{accessKey: o.accessKey, secretKey: o.secretKey}
	} else {
		slog.Warn("blob: in-process S3 server accepts unauthenticated requests", "addr", ln.Addr().String())
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ConnState:         s.trackConn,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	go func() {
		defer close(s.served)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("blob: in-process S3 server stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	return s, nil
}

// Endpoint is the host:port the server listens on, for Config.Endpoint.
func (s *Server) Endpoint() string { return s.ln.Addr().String() }

// Close stops the server, giving in-flight requests a few seconds, and
// drops unfinished uploads. Stored objects stay on disk.
func (s *Server) Close() error {
	s.close.Do(func() {
		s.connMu.Lock()
		s.closing = true
		for c := range s.fresh {
			_ = c.Close()
		}
		s.connMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.http.Shutdown(ctx); err != nil {
			s.closeErr = errors.Join(fmt.Errorf("blob: shut down server: %w", err), s.http.Close())
		}
		<-s.served
		if err := os.RemoveAll(s.staging); err != nil && s.closeErr == nil {
			s.closeErr = fmt.Errorf("blob: clear staging: %w", err)
		}
	})
	return s.closeErr
}

func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if state != http.StateNew {
		delete(s.fresh, c)
		return
	}
	if s.closing {
		_ = c.Close()
		return
	}
	s.fresh[c] = struct{}{}
}

// ServeHTTP authenticates the request, turns its body into plain verified
// bytes, handles uploads and copies itself and hands the rest to gofakes3.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Amz-Request-Id", fmt.Sprintf("%016X", s.reqID.Add(1)))
	if r.Header.Get("Origin") != "" {
		// Presigned URLs are used straight from the console in a browser;
		// the signature, not the origin, is what grants access.
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Expose-Headers", "ETag, Content-Disposition, Content-Length, X-Amz-Request-Id")
	}
	if r.Method == http.MethodOptions {
		preflight(w, r)
		return
	}
	bucket, key := splitPath(r.URL.Path)
	if key != "" && !storableKey(key) {
		writeS3Error(w, r, errInvalidArgument("object keys with empty, . or .. segments or a trailing / are not supported"))
		return
	}
	payloadHash := r.Header.Get("X-Amz-Content-Sha256")
	var sc *signingContext
	if s.verifier != nil {
		var se *s3Error
		if payloadHash, sc, se = s.verifier.verify(r, s.now()); se != nil {
			writeS3Error(w, r, se)
			return
		}
	}
	if se := prepareBody(r, payloadHash, sc); se != nil {
		writeS3Error(w, r, se)
		return
	}
	stripAuthHeaders(r.Header)

	q := r.URL.Query()
	var se *s3Error
	switch {
	case q.Has("uploadId") && key != "":
		id := q.Get("uploadId")
		switch r.Method {
		case http.MethodPut:
			se = s.uploads.uploadPart(w, r, bucket, key, id)
		case http.MethodPost:
			se = s.uploads.complete(w, r, bucket, key, id)
		case http.MethodDelete:
			se = s.uploads.abort(w, bucket, key, id)
		default:
			se = newS3Error(http.StatusNotImplemented, "NotImplemented", "listing parts is not supported")
		}
	case q.Has("uploads"):
		if r.Method == http.MethodPost && key != "" {
			se = s.uploads.initiate(w, r, bucket, key)
		} else {
			se = newS3Error(http.StatusNotImplemented, "NotImplemented", "listing multipart uploads is not supported")
		}
	case r.Method == http.MethodPut && key != "" && r.Header.Get("X-Amz-Copy-Source") != "":
		se = s.copyObject(w, r, bucket, key)
	case r.Method == http.MethodPut && key != "":
		se = s.putObject(w, r, bucket, key)
	default:
		s.fake.ServeHTTP(w, r)
	}
	if se != nil {
		writeS3Error(w, r, se)
	}
}

func preflight(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") == "" || r.Header.Get("Access-Control-Request-Method") == "" {
		writeS3Error(w, r, newS3Error(http.StatusBadRequest, "BadRequest", "not a CORS preflight request"))
		return
	}
	w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, PUT, POST, DELETE")
	if h := r.Header.Get("Access-Control-Request-Headers"); h != "" {
		w.Header().Set("Access-Control-Allow-Headers", h)
	}
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusOK)
}

func splitPath(p string) (bucket, key string) {
	bucket, key, _ = strings.Cut(strings.TrimPrefix(p, "/"), "/")
	return bucket, key
}

// storableKey rejects keys the file backend would map onto another key's
// path ("a//b" and "a/./b" are "a/b" on disk, ".." climbs out).
func storableKey(key string) bool {
	if strings.HasSuffix(key, "/") || strings.ContainsRune(key, '\\') {
		return false
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// prepareBody replaces r.Body with a reader of the plain payload that fails
// unless it matches what the signature covers.
func prepareBody(r *http.Request, payloadHash string, sc *signingContext) *s3Error {
	switch {
	case payloadHash == streamingPayload:
		n, err := strconv.ParseInt(r.Header.Get("X-Amz-Decoded-Content-Length"), 10, 64)
		if err != nil || n < 0 {
			return newS3Error(http.StatusLengthRequired, "MissingContentLength", "aws-chunked body without x-amz-decoded-content-length")
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{newChunkedReader(r.Body, sc, n), r.Body}
		// The decoded length goes in the header only: net/http decides
		// from r.ContentLength whether the wire body still needs draining.
		r.Header.Set("Content-Length", strconv.FormatInt(n, 10))
		dropAWSChunkedEncoding(r.Header)
	case strings.HasPrefix(payloadHash, "STREAMING-"):
		return newS3Error(http.StatusNotImplemented, "NotImplemented", "payload mode %s is not supported", payloadHash)
	case payloadHash == "" || payloadHash == unsignedPayload:
	case isHexDigest(strings.ToLower(payloadHash)):
		r.Body = struct {
			io.Reader
			io.Closer
		}{newDigestReader(r.Body, payloadHash), r.Body}
	default:
		return errInvalidArgument("bad x-amz-content-sha256 %q", payloadHash)
	}
	return nil
}

// declaredLength is the payload length the client announced: the decoded
// length for aws-chunked bodies (prepareBody puts it in the header), -1 if
// unknown.
func declaredLength(r *http.Request) int64 {
	if v := r.Header.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			return n
		}
	}
	return r.ContentLength
}

func dropAWSChunkedEncoding(h http.Header) {
	var keep []string
	for _, v := range strings.Split(h.Get("Content-Encoding"), ",") {
		if v = strings.TrimSpace(v); v != "" && !strings.EqualFold(v, "aws-chunked") {
			keep = append(keep, v)
		}
	}
	if len(keep) == 0 {
		h.Del("Content-Encoding")
		return
	}
	h.Set("Content-Encoding", strings.Join(keep, ","))
}

// stripAuthHeaders removes signing and transport headers once they have
// been checked: gofakes3 stores every X-Amz-* header as object metadata.
func stripAuthHeaders(h http.Header) {
	for k := range h {
		if k == "Authorization" {
			h.Del(k)
			continue
		}
		if strings.HasPrefix(k, "X-Amz-") && !strings.HasPrefix(k, "X-Amz-Meta-") &&
			!strings.HasPrefix(k, "X-Amz-Copy-Source") && k != "X-Amz-Metadata-Directive" {
			h.Del(k)
		}
	}
}

// putObject spools the body to disk before gofakes3 sees it: its backend
// holds one lock for the whole write, and a slow client must not hold it.
func (s *Server) putObject(w http.ResponseWriter, r *http.Request, bucket, key string) *s3Error {
	f, err := os.CreateTemp(s.spoolDir, "put-*")
	if err != nil {
		return errInternal(err)
	}
	defer func() {
		_ = f.Close()
		_ = os.Remove(f.Name())
	}()
	n, se := spool(f, r.Body)
	if se != nil {
		return se
	}
	if want := declaredLength(r); want >= 0 && n != want {
		return newS3Error(http.StatusBadRequest, "IncompleteBody", "got %d of %d bytes", n, want)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return errInternal(err)
	}
	r.Body = io.NopCloser(f)
	r.Header.Set("Content-Length", strconv.FormatInt(n, 10))
	// S3 replaces all metadata on PUT; gofakes3 merges the old object's in.
	// Blank values shadow what must not survive (a stale sha256 above all).
	if old, err := s.backend.HeadObject(bucket, key); err == nil {
		for k := range old.Metadata {
			if isObjectMetaKey(k) && len(r.Header.Values(k)) == 0 {
				r.Header[k] = []string{""}
			}
		}
	}
	s.fake.ServeHTTP(w, r)
	return nil
}

type copyObjectResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	LastModified string
	ETag         string
}

// copyObject implements CopyObject itself because gofakes3's ignores the
// metadata directive and, on the file backend, truncates an object copied
// onto itself before reading it.
func (s *Server) copyObject(w http.ResponseWriter, r *http.Request, bucket, key string) *s3Error {
	srcBucket, srcKey, se := parseCopySource(r.Header.Get("X-Amz-Copy-Source"))
	if se != nil {
		return se
	}
	if ok, err := s.backend.BucketExists(bucket); err != nil {
		return asS3Error(err)
	} else if !ok {
		return asS3Error(gofakes3.BucketNotFound(bucket))
	}
	src, err := s.backend.GetObject(srcBucket, srcKey, nil)
	if err != nil {
		return asS3Error(err)
	}
	defer func() { _ = src.Contents.Close() }()
	srcETag := hex.EncodeToString(src.Hash)
	if want := strings.Trim(r.Header.Get("X-Amz-Copy-Source-If-Match"), `"`); want != "" && want != srcETag {
		return newS3Error(http.StatusPreconditionFailed, "PreconditionFailed", "source ETag does not match")
	}
	self := srcBucket == bucket && srcKey == key
	var meta map[string]string
	if strings.EqualFold(r.Header.Get("X-Amz-Metadata-Directive"), "REPLACE") {
		meta = objectMetadata(r.Header)
	} else {
		if self {
			return newS3Error(http.StatusBadRequest, "InvalidRequest", "copying an object onto itself needs x-amz-metadata-directive: REPLACE")
		}
		meta = make(map[string]string)
		for k, v := range src.Metadata {
			if isObjectMetaKey(k) {
				meta[k] = v
			}
		}
	}
	now := s.now()
	meta["Last-Modified"] = formatHTTPTime(now)

	var body io.Reader = src.Contents
	if self {
		f, err := os.CreateTemp(s.spoolDir, "copy-*")
		if err != nil {
			return errInternal(err)
		}
		defer func() {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}()
		if _, err := io.Copy(f, src.Contents); err != nil {
			return errInternal(err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return errInternal(err)
		}
		body = f
	}
	blankStaleMetadata(s.backend, bucket, key, meta)
	if _, err := s.backend.PutObject(bucket, key, meta, body, src.Size, nil); err != nil {
		return asS3Error(err)
	}
	writeXML(w, copyObjectResult{LastModified: now.UTC().Format("2006-01-02T15:04:05.000Z"), ETag: `"` + srcETag + `"`})
	return nil
}

// isObjectMetaKey matches the headers gofakes3 keeps as object metadata
// that a client sets (Last-Modified is the server's).
func isObjectMetaKey(k string) bool {
	switch k {
	case "Content-Type", "Content-Disposition", "Content-Encoding":
		return true
	}
	return strings.HasPrefix(k, "X-Amz-Meta-")
}

func objectMetadata(h http.Header) map[string]string {
	meta := make(map[string]string)
	for k, v := range h {
		if isObjectMetaKey(k) && len(v) > 0 {
			meta[k] = v[0]
		}
	}
	return meta
}

// blankStaleMetadata shadows metadata of the object being replaced that
// meta does not set, since the backend would otherwise carry it over.
func blankStaleMetadata(b objectBackend, bucket, key string, meta map[string]string) {
	old, err := b.HeadObject(bucket, key)
	if err != nil {
		return
	}
	for k := range old.Metadata {
		if _, ok := meta[k]; !ok && isObjectMetaKey(k) {
			meta[k] = ""
		}
	}
}

func cloneMeta(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func formatHTTPTime(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// taggedReader remembers read errors so spool can tell a bad request body
// from a failing disk.
type taggedReader struct {
	r   io.Reader
	err error
}

func (t *taggedReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		t.err = err
	}
	return n, err
}

func spool(dst io.Writer, body io.Reader) (int64, *s3Error) {
	tr := &taggedReader{r: body}
	n, err := io.Copy(dst, tr)
	if tr.err != nil {
		var se *s3Error
		if errors.As(tr.err, &se) {
			return n, se
		}
		return n, newS3Error(http.StatusBadRequest, "IncompleteBody", "reading request body: %v", tr.err)
	}
	if err != nil {
		return n, errInternal(err)
	}
	return n, nil
}
