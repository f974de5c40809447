package blob

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// gofakes3 keeps multipart parts in memory and then concatenates them into a
// second buffer (twice the object size), and it does not decode aws-chunked
// part bodies. The in-process server therefore runs multipart uploads
// itself: parts go to files under the staging directory, and completion
// streams them, in order, into the backend.

const (
	maxPartNumber   = 10000
	maxCompleteBody = 4 << 20 // 10 000 parts of XML stay well below this
)

type multipartUploads struct {
	dir     string
	backend objectBackend
	now     func() time.Time

	mu      sync.Mutex
	uploads map[string]*multipartUpload
}

type multipartUpload struct {
	id, bucket, key string
	meta            map[string]string
	dir             string

	mu         sync.Mutex
	parts      map[int]uploadedPart
	completing bool // set once; no part may change after it
}

type uploadedPart struct {
	size int64
	etag string // hex MD5 of the part, no quotes
}

func (u *multipartUpload) partPath(n int) string {
	return filepath.Join(u.dir, fmt.Sprintf("part-%05d", n))
}

type initiateResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string
	Key      string
	UploadID string `xml:"UploadId"`
}

type completeRequest struct {
	Parts []struct {
		PartNumber int
		ETag       string
	} `xml:"Part"`
}

type completeResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location string
	Bucket   string
	Key      string
	ETag     string
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	ETag         string
	LastModified string
}

func (m *multipartUploads) initiate(w http.ResponseWriter, r *http.Request, bucket, key string) *s3Error {
	if ok, err := m.backend.BucketExists(bucket); err != nil {
		return asS3Error(err)
	} else if !ok {
		return asS3Error(gofakes3.BucketNotFound(bucket))
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return errInternal(err)
	}
	u := &multipartUpload{
		id:     hex.EncodeToString(raw[:]),
		bucket: bucket,
		key:    key,
		meta:   objectMetadata(r.Header),
		parts:  make(map[int]uploadedPart),
	}
	u.dir = filepath.Join(m.dir, u.id)
	if err := os.Mkdir(u.dir, 0o700); err != nil {
		return errInternal(err)
	}
	m.mu.Lock()
	m.uploads[u.id] = u
	m.mu.Unlock()
	writeXML(w, initiateResult{Bucket: bucket, Key: key, UploadID: u.id})
	return nil
}

func (m *multipartUploads) lookup(id, bucket, key string) (*multipartUpload, *s3Error) {
	m.mu.Lock()
	u := m.uploads[id]
	m.mu.Unlock()
	if u == nil || u.bucket != bucket || u.key != key {
		return nil, newS3Error(http.StatusNotFound, "NoSuchUpload", "upload %s does not exist", id)
	}
	return u, nil
}

func (m *multipartUploads) forget(u *multipartUpload) {
	m.mu.Lock()
	delete(m.uploads, u.id)
	m.mu.Unlock()
	_ = os.RemoveAll(u.dir)
}

// uploadPart handles UploadPart and UploadPartCopy.
func (m *multipartUploads) uploadPart(w http.ResponseWriter, r *http.Request, bucket, key, id string) *s3Error {
	n, err := strconv.Atoi(r.URL.Query().Get("partNumber"))
	if err != nil || n < 1 || n > maxPartNumber {
		return errInvalidArgument("partNumber must be 1..%d", maxPartNumber)
	}
	u, se := m.lookup(id, bucket, key)
	if se != nil {
		return se
	}
	f, err := os.CreateTemp(u.dir, "incoming-*")
	if err != nil {
		// The upload was aborted or completed while this part was on its way.
		return newS3Error(http.StatusNotFound, "NoSuchUpload", "upload %s does not exist", id)
	}
	tmp := f.Name()
	defer func() { _ = os.Remove(tmp) }()

	h := md5.New()
	var size int64
	copySource := r.Header.Get("X-Amz-Copy-Source")
	if copySource != "" {
		size, se = m.copyRange(io.MultiWriter(f, h), r, copySource)
	} else {
		size, se = spool(io.MultiWriter(f, h), r.Body)
		if want := declaredLength(r); se == nil && want >= 0 && size != want {
			se = newS3Error(http.StatusBadRequest, "IncompleteBody", "got %d of %d bytes", size, want)
		}
	}
	if cerr := f.Close(); cerr != nil && se == nil {
		se = errInternal(cerr)
	}
	if se != nil {
		return se
	}
	sum := h.Sum(nil)
	if want := r.Header.Get("Content-Md5"); want != "" && want != base64.StdEncoding.EncodeToString(sum) {
		return newS3Error(http.StatusBadRequest, "BadDigest", "the part does not match Content-MD5")
	}
	etag := hex.EncodeToString(sum)

	u.mu.Lock()
	defer u.mu.Unlock()
	if u.completing {
		return newS3Error(http.StatusNotFound, "NoSuchUpload", "upload %s is completing", id)
	}
	if err := os.Rename(tmp, u.partPath(n)); err != nil {
		return errInternal(err)
	}
	u.parts[n] = uploadedPart{size: size, etag: etag}
	if copySource != "" {
		writeXML(w, copyPartResult{ETag: `"` + etag + `"`, LastModified: m.now().UTC().Format("2006-01-02T15:04:05.000Z")})
		return nil
	}
	w.Header().Set("ETag", `"`+etag+`"`)
	w.WriteHeader(http.StatusOK)
	return nil
}

// copyRange writes the x-amz-copy-source object, or the range
// x-amz-copy-source-range names, to dst.
func (m *multipartUploads) copyRange(dst io.Writer, r *http.Request, source string) (int64, *s3Error) {
	srcBucket, srcKey, se := parseCopySource(source)
	if se != nil {
		return 0, se
	}
	var rng *gofakes3.ObjectRangeRequest
	if v := r.Header.Get("X-Amz-Copy-Source-Range"); v != "" {
		a, b, ok := strings.Cut(strings.TrimPrefix(v, "bytes="), "-")
		start, err1 := strconv.ParseInt(a, 10, 64)
		end, err2 := strconv.ParseInt(b, 10, 64)
		if !ok || err1 != nil || err2 != nil || start < 0 || end < start {
			return 0, errInvalidArgument("bad x-amz-copy-source-range %q", v)
		}
		rng = &gofakes3.ObjectRangeRequest{Start: start, End: end}
	}
	obj, err := m.backend.GetObject(srcBucket, srcKey, rng)
	if err != nil {
		return 0, asS3Error(err)
	}
	defer func() { _ = obj.Contents.Close() }()
	if want := strings.Trim(r.Header.Get("X-Amz-Copy-Source-If-Match"), `"`); want != "" && want != hex.EncodeToString(obj.Hash) {
		return 0, newS3Error(http.StatusPreconditionFailed, "PreconditionFailed", "source ETag does not match")
	}
	n, err := io.Copy(dst, obj.Contents)
	if err != nil {
		return n, errInternal(err)
	}
	return n, nil
}

func (m *multipartUploads) complete(w http.ResponseWriter, r *http.Request, bucket, key, id string) *s3Error {
	u, se := m.lookup(id, bucket, key)
	if se != nil {
		return se
	}
	var req completeRequest
	if err := xml.NewDecoder(io.LimitReader(r.Body, maxCompleteBody)).Decode(&req); err != nil {
		var bodyErr *s3Error
		if errors.As(err, &bodyErr) {
			return bodyErr
		}
		return newS3Error(http.StatusBadRequest, "MalformedXML", "complete request: %v", err)
	}
	if len(req.Parts) == 0 {
		return newS3Error(http.StatusBadRequest, "MalformedXML", "complete request lists no parts")
	}

	u.mu.Lock()
	if u.completing {
		u.mu.Unlock()
		return newS3Error(http.StatusNotFound, "NoSuchUpload", "upload %s is completing", id)
	}
	var (
		total int64
		paths = make([]string, 0, len(req.Parts))
		md5s  = md5.New()
	)
	for i, p := range req.Parts {
		if i > 0 && p.PartNumber <= req.Parts[i-1].PartNumber {
			u.mu.Unlock()
			return newS3Error(http.StatusBadRequest, "InvalidPartOrder", "parts must be listed in ascending order")
		}
		part, ok := u.parts[p.PartNumber]
		if !ok || strings.Trim(p.ETag, `"`) != part.etag {
			u.mu.Unlock()
			return newS3Error(http.StatusBadRequest, "InvalidPart", "part %d was not uploaded or its ETag differs", p.PartNumber)
		}
		if i < len(req.Parts)-1 && part.size < int64(minPartSize) {
			u.mu.Unlock()
			return newS3Error(http.StatusBadRequest, "EntityTooSmall", "part %d is %d bytes; all but the last must be at least %d", p.PartNumber, part.size, minPartSize)
		}
		raw, _ := hex.DecodeString(part.etag)
		md5s.Write(raw)
		total += part.size
		paths = append(paths, u.partPath(p.PartNumber))
	}
	u.completing = true
	u.mu.Unlock()

	meta := cloneMeta(u.meta)
	meta["Last-Modified"] = formatHTTPTime(m.now())
	blankStaleMetadata(m.backend, bucket, key, meta)
	body := &partFilesReader{paths: paths}
	_, err := m.backend.PutObject(bucket, key, meta, body, total, nil)
	_ = body.Close()
	if err != nil {
		u.mu.Lock()
		u.completing = false // let the client retry
		u.mu.Unlock()
		return asS3Error(err)
	}
	m.forget(u)
	writeXML(w, completeResult{
		Location: "/" + bucket + "/" + key,
		Bucket:   bucket,
		Key:      key,
		ETag:     fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(md5s.Sum(nil)), len(req.Parts)),
	})
	return nil
}

func (m *multipartUploads) abort(w http.ResponseWriter, bucket, key, id string) *s3Error {
	u, se := m.lookup(id, bucket, key)
	if se != nil {
		return se
	}
	u.mu.Lock()
	completing := u.completing
	u.completing = true
	u.mu.Unlock()
	if completing {
		return newS3Error(http.StatusNotFound, "NoSuchUpload", "upload %s is completing", id)
	}
	m.forget(u)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// partFilesReader reads part files back to back, opening one at a time.
type partFilesReader struct {
	paths []string
	cur   *os.File
}

func (p *partFilesReader) Read(b []byte) (int, error) {
	for {
		if p.cur == nil {
			if len(p.paths) == 0 {
				return 0, io.EOF
			}
			f, err := os.Open(p.paths[0])
			if err != nil {
				return 0, err
			}
			p.cur, p.paths = f, p.paths[1:]
		}
		n, err := p.cur.Read(b)
		if errors.Is(err, io.EOF) {
			_ = p.cur.Close()
			p.cur = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

func (p *partFilesReader) Close() error {
	if p.cur != nil {
		return p.cur.Close()
	}
	return nil
}

func parseCopySource(source string) (bucket, key string, se *s3Error) {
	source, _, _ = strings.Cut(source, "?") // versionId: the server keeps no versions
	decoded, err := url.PathUnescape(source)
	if err != nil {
		return "", "", errInvalidArgument("bad x-amz-copy-source %q", source)
	}
	bucket, key, ok := strings.Cut(strings.TrimPrefix(decoded, "/"), "/")
	if !ok || bucket == "" || key == "" {
		return "", "", errInvalidArgument("x-amz-copy-source must be bucket/key, got %q", source)
	}
	if !storableKey(key) {
		return "", "", errInvalidArgument("unsupported source key %q", key)
	}
	return bucket, key, nil
}
