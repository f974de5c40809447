package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// ErrNotFound is returned (wrapped) by Stat and Get when no object has the key.
var ErrNotFound = errors.New("blob: object not found")

// ErrChecksumMismatch is returned by a reader from Get, in place of io.EOF,
// when the bytes read do not hash to the SHA-256 recorded at Put.
var ErrChecksumMismatch = errors.New("blob: object content does not match its recorded sha256")

const (
	// DefaultPartSize is the multipart part size when Config.PartSize is zero.
	DefaultPartSize uint64 = 16 << 20
	// MaxPresignTTL caps presigned URLs: they reach browsers and get copied
	// around, so they must stop working soon.
	MaxPresignTTL = 15 * time.Minute

	minPartSize     uint64 = 5 << 20 // S3's minimum for every part but the last
	maxPartSize     uint64 = 5 << 30 // S3's maximum part and single-copy size
	maxPartCount           = 10000
	metaSHA256             = "sha256" // user metadata key, sent as X-Amz-Meta-Sha256
	stagingPrefix          = ".incoming/"
	defaultMIMEType        = "application/octet-stream"
)

// Config says where the object store is and how to talk to it.
type Config struct {
	Endpoint  string // host:port, no scheme
	AccessKey string
	SecretKey string
	Bucket    string
	Region    string // empty lets minio-go ask the server
	UseSSL    bool
	// PartSize is the multipart part size and so the most Put buffers per
	// call; zero means DefaultPartSize. Must be 5 MiB..5 GiB.
	PartSize uint64
	// PublicURL, when set (scheme://host[:port]), is where browsers reach
	// the store: presigned URLs are signed for it instead of Endpoint,
	// which may be a cluster-internal name. Signing needs no request, so
	// the region must be known (Region, or us-east-1).
	PublicURL string
}

// Info describes a stored object.
type Info struct {
	Key          string
	Size         int64
	SHA256       string // hex; empty when the object was not written by Put (e.g. a presigned PUT)
	ContentType  string
	ETag         string
	LastModified time.Time
}

// Store reads and writes objects of one bucket.
type Store struct {
	client   *minio.Client
	core     minio.Core
	probe    *minio.Client // no retries: readiness must answer now, not after back-off
	signer   *minio.Client // signs presigned URLs: client, or one for the public URL
	bucket   string
	partSize uint64
}

// Open connects to the object store and creates the bucket if it is missing.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Endpoint == "" {
		return nil, errors.New("blob: open: endpoint is required")
	}
	if cfg.Bucket == "" {
		return nil, errors.New("blob: open: bucket is required")
	}
	partSize := cfg.PartSize
	if partSize == 0 {
		partSize = DefaultPartSize
	}
	if partSize < minPartSize || partSize > maxPartSize {
		return nil, fmt.Errorf("blob: open: part size %d outside %d..%d", partSize, minPartSize, maxPartSize)
	}
	transport, err := minio.DefaultTransport(cfg.UseSSL)
	if err != nil {
		return nil, fmt.Errorf("blob: open: transport: %w", err)
	}
	opts := minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.UseSSL,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
		Transport:    transport,
	}
	client, err := minio.New(cfg.Endpoint, &opts)
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", cfg.Endpoint, err)
	}
	opts.MaxRetries = 1
	probe, err := minio.New(cfg.Endpoint, &opts)
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", cfg.Endpoint, err)
	}
	signer := client
	if cfg.PublicURL != "" {
		if signer, err = publicSigner(cfg); err != nil {
			return nil, err
		}
	}
	s := &Store{client: client, core: minio.Core{Client: client}, probe: probe, signer: signer, bucket: cfg.Bucket, partSize: partSize}
	if err := s.ensureBucket(ctx, cfg.Region); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) ensureBucket(ctx context.Context, region string) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blob: check bucket %s: %w", s.bucket, err)
	}
	if exists {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	if err == nil {
		return nil
	}
	// Another replica may have created it between our check and our create.
	switch minio.ToErrorResponse(err).Code {
	case "BucketAlreadyOwnedByYou", "BucketAlreadyExists":
		if exists, err2 := s.client.BucketExists(ctx, s.bucket); err2 == nil && exists {
			return nil
		}
	}
	return fmt.Errorf("blob: create bucket %s: %w", s.bucket, err)
}

// Put streams size bytes from r into key. It hashes what it streams and
// stores the SHA-256 in the object's user metadata. Objects up to PartSize
// go up in one request; larger ones go up in parts to a staging key and are
// then copied server-side to key with their digest, so key never holds an
// object without one. r must yield exactly size bytes.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (Info, error) {
	if err := validateKey(key); err != nil {
		return Info{}, fmt.Errorf("blob: put: %w", err)
	}
	if size < 0 {
		return Info{}, fmt.Errorf("blob: put %q: size must be known, got %d", key, size)
	}
	if contentType == "" {
		contentType = defaultMIMEType
	}
	var (
		info Info
		err  error
	)
	if uint64(size) <= s.partSize {
		info, err = s.putSingle(ctx, key, r, size, contentType)
	} else {
		info, err = s.putStaged(ctx, key, r, size, contentType)
	}
	if err != nil {
		return Info{}, err
	}
	return s.completeInfo(ctx, info)
}

// completeInfo reads back what the upload's answer did not say.
func (s *Store) completeInfo(ctx context.Context, info Info) (Info, error) {
	if info.LastModified.IsZero() {
		st, err := s.Stat(ctx, info.Key)
		if err != nil {
			return Info{}, fmt.Errorf("blob: put %q: read back: %w", info.Key, err)
		}
		info.LastModified, info.ETag = st.LastModified, st.ETag
	}
	return info, nil
}

// PutSHA256 streams size bytes from r into key when the caller already
// knows their SHA-256 (digest, hex), as an upload spooled and hashed on the
// way in does. The object goes up in one signed PUT straight to key, the
// digest as its x-amz-content-sha256 and its metadata: the store hashes
// the body as it takes it and refuses it unless it matches, so key holds
// exactly those bytes or nothing. No staging key, no server-side copy, no
// client-side hashing and no MD5 (the in-process server and MinIO both
// check the signed payload digest; minio-go's streaming signature, which
// would hash every 64 KiB chunk on both ends again, is off). Objects over
// S3's 5 GiB single-PUT limit go up as Put does, and their digest must
// match too. A seekable r is retried from where it stood.
func (s *Store) PutSHA256(ctx context.Context, key string, r io.Reader, size int64, contentType, digest string) (Info, error) {
	if err := validateKey(key); err != nil {
		return Info{}, fmt.Errorf("blob: put: %w", err)
	}
	digest = strings.ToLower(digest)
	if !isHexDigest(digest) {
		return Info{}, fmt.Errorf("blob: put %q: %q is not a hex SHA-256", key, digest)
	}
	if size < 0 {
		return Info{}, fmt.Errorf("blob: put %q: size must be known, got %d", key, size)
	}
	if uint64(size) > maxPartSize {
		info, err := s.Put(ctx, key, r, size, contentType)
		if err == nil && info.SHA256 != digest {
			s.removeQuietly(ctx, key)
			return Info{}, fmt.Errorf("blob: put %q: stored sha256 %s, want %s", key, info.SHA256, digest)
		}
		return info, err
	}
	if contentType == "" {
		contentType = defaultMIMEType
	}
	body, rest, err := exactly(r, size)
	if err != nil {
		return Info{}, fmt.Errorf("blob: put %q: %w", key, err)
	}
	up, err := s.core.PutObject(ctx, s.bucket, key, body, size, "", digest, minio.PutObjectOptions{
		ContentType:          contentType,
		UserMetadata:         map[string]string{metaSHA256: digest},
		DisableContentSha256: true, // the whole body's digest is signed instead
	})
	if err != nil {
		return Info{}, fmt.Errorf("blob: put %q: %w", key, err)
	}
	if err := rest(); err != nil {
		s.removeQuietly(ctx, key)
		return Info{}, fmt.Errorf("blob: put %q: %w", key, err)
	}
	return s.completeInfo(ctx, Info{Key: key, Size: size, SHA256: digest, ContentType: contentType, ETag: up.ETag, LastModified: up.LastModified})
}

// exactly returns a reader of the next size bytes of r, seekable (so
// minio-go can retry it) when r is a file or the like, and a check, for
// after the upload, that r had nothing more: a longer reader means the
// caller's size is wrong, and storing a prefix would hide it.
func exactly(r io.Reader, size int64) (io.Reader, func() error, error) {
	ra, isAt := r.(io.ReaderAt)
	sk, isSeeker := r.(io.Seeker)
	if !isAt || !isSeeker {
		return &hashingReader{r: io.LimitReader(r, size), size: size}, func() error { return expectEOF(r) }, nil
	}
	off, err := sk.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, nil, fmt.Errorf("find the reader's offset: %w", err)
	}
	return io.NewSectionReader(ra, off, size), func() error {
		if _, err := sk.Seek(off+size, io.SeekStart); err != nil {
			return fmt.Errorf("seek past the object: %w", err)
		}
		return expectEOF(r)
	}, nil
}

func (s *Store) removeQuietly(ctx context.Context, key string) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_ = s.client.RemoveObject(cctx, s.bucket, key, minio.RemoveObjectOptions{})
}

// putSingle holds the object in memory: it is at most one part, the same
// buffer minio-go would allocate for a multipart upload, and knowing the
// digest up front lets it go up in one request with its metadata.
func (s *Store) putSingle(ctx context.Context, key string, r io.Reader, size int64, contentType string) (Info, error) {
	buf := make([]byte, size)
	if _, err := io.ReadFull(r, buf); err != nil {
		return Info{}, fmt.Errorf("blob: put %q: read %d bytes: %w", key, size, err)
	}
	if err := expectEOF(r); err != nil {
		return Info{}, fmt.Errorf("blob: put %q: %w", key, err)
	}
	sum := sha256.Sum256(buf)
	digest := hex.EncodeToString(sum[:])
	up, err := s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(buf), size, minio.PutObjectOptions{
		ContentType:  contentType,
		UserMetadata: map[string]string{metaSHA256: digest},
		PartSize:     s.partSize,
	})
	if err != nil {
		return Info{}, fmt.Errorf("blob: put %q: %w", key, err)
	}
	return Info{Key: key, Size: size, SHA256: digest, ContentType: contentType, ETag: up.ETag, LastModified: up.LastModified}, nil
}

func (s *Store) putStaged(ctx context.Context, key string, r io.Reader, size int64, contentType string) (info Info, err error) {
	staging, err := stagingKey()
	if err != nil {
		return Info{}, fmt.Errorf("blob: put %q: %w", key, err)
	}
	defer func() {
		// The staging object must go whatever happened, even if ctx is done.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if rerr := s.client.RemoveObject(cctx, s.bucket, staging, minio.RemoveObjectOptions{}); rerr != nil && err == nil {
			err = fmt.Errorf("blob: put %q: remove staging object %s: %w", key, staging, rerr)
		}
	}()

	h := &hashingReader{r: io.LimitReader(r, size), h: sha256.New(), size: size}
	_, err = s.client.PutObject(ctx, s.bucket, staging, h, size, minio.PutObjectOptions{
		ContentType: contentType,
		PartSize:    s.partSizeFor(size),
	})
	if err != nil {
		return Info{}, fmt.Errorf("blob: put %q: upload: %w", key, err)
	}
	if err := expectEOF(r); err != nil {
		return Info{}, fmt.Errorf("blob: put %q: %w", key, err)
	}
	digest := hex.EncodeToString(h.h.Sum(nil))

	dst := minio.CopyDestOptions{
		Bucket:          s.bucket,
		Object:          key,
		ReplaceMetadata: true,
		// Content-Type travels in UserMetadata because a multipart copy
		// (objects over 5 GiB) only forwards UserMetadata.
		UserMetadata: map[string]string{metaSHA256: digest, "Content-Type": contentType},
	}
	src := minio.CopySrcOptions{Bucket: s.bucket, Object: staging}
	var up minio.UploadInfo
	if uint64(size) <= maxPartSize {
		up, err = s.client.CopyObject(ctx, dst, src)
	} else {
		up, err = s.client.ComposeObject(ctx, dst, src)
	}
	if err != nil {
		return Info{}, fmt.Errorf("blob: put %q: copy from staging: %w", key, err)
	}
	return Info{Key: key, Size: size, SHA256: digest, ContentType: contentType, ETag: up.ETag, LastModified: up.LastModified}, nil
}

// partSizeFor grows the part size for objects that would otherwise need
// more than S3's 10 000 parts.
func (s *Store) partSizeFor(size int64) uint64 {
	ps := s.partSize
	if need := (uint64(size) + maxPartCount - 1) / maxPartCount; need > ps {
		const mib = 1 << 20
		ps = (need + mib - 1) / mib * mib
	}
	return ps
}

// Get opens key for streaming. The reader returns ErrChecksumMismatch
// instead of io.EOF if the content does not match the recorded SHA-256.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := validateKey(key); err != nil {
		return nil, Info{}, fmt.Errorf("blob: get: %w", err)
	}
	// Core.GetObject: one GET whose headers describe its body. Client's
	// Object would HEAD first and GET later, and an overwrite in between
	// pairs the old metadata with the new bytes.
	obj, oi, _, err := s.core.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, mapError("get", key, err)
	}
	info := infoFrom(key, oi)
	if info.SHA256 == "" {
		return obj, info, nil
	}
	return &verifyingReader{rc: obj, h: sha256.New(), want: info.SHA256, size: info.Size}, info, nil
}

// Copy copies the object at src to dst inside the store, bytes and
// metadata (content type, recorded SHA-256) alike: nothing passes through
// the caller. It is one CopyObject, so src must be at most 5 GiB; a
// missing src is ErrNotFound.
func (s *Store) Copy(ctx context.Context, src, dst string) (Info, error) {
	for _, k := range []string{src, dst} {
		if err := validateKey(k); err != nil {
			return Info{}, fmt.Errorf("blob: copy: %w", err)
		}
	}
	_, err := s.client.CopyObject(ctx, minio.CopyDestOptions{Bucket: s.bucket, Object: dst}, minio.CopySrcOptions{Bucket: s.bucket, Object: src})
	if err != nil {
		return Info{}, mapError("copy", src, err)
	}
	return s.Stat(ctx, dst)
}

// Stat describes key, or returns ErrNotFound.
func (s *Store) Stat(ctx context.Context, key string) (Info, error) {
	if err := validateKey(key); err != nil {
		return Info{}, fmt.Errorf("blob: stat: %w", err)
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, mapError("stat", key, err)
	}
	return infoFrom(key, oi), nil
}

// Delete removes key; deleting a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := validateKey(key); err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return mapError("delete", key, err)
	}
	return nil
}

// List returns every object whose key starts with prefix, in key order.
// Listings do not carry user metadata, so SHA256 and ContentType are empty;
// Stat an object to get them.
func (s *Store) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := validatePrefix(prefix); err != nil {
		return nil, fmt.Errorf("blob: list: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops minio-go's listing goroutine if we return early
	var out []Info
	for oi := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if oi.Err != nil {
			return nil, fmt.Errorf("blob: list %q: %w", prefix, oi.Err)
		}
		if strings.HasPrefix(oi.Key, stagingPrefix) || strings.HasSuffix(oi.Key, "/") {
			continue
		}
		out = append(out, Info{Key: oi.Key, Size: oi.Size, ETag: oi.ETag, LastModified: oi.LastModified})
	}
	return out, nil
}

// PresignPut returns a URL a browser can PUT exactly size bytes of
// contentType to, valid for ttl (at most MaxPresignTTL), and the headers
// that PUT must carry. Both headers are signed (X-Amz-SignedHeaders
// content-length;content-type;host), so the object store itself refuses a
// body of another length or type instead of the service finding out when
// the upload is completed. A browser sets Content-Length from the body on
// its own. Objects uploaded this way carry no SHA-256 (Info.SHA256 is
// empty): hash them while reading them back.
func (s *Store) PresignPut(ctx context.Context, key string, ttl time.Duration, size int64, contentType string) (*url.URL, http.Header, error) {
	if err := validateKey(key); err != nil {
		return nil, nil, fmt.Errorf("blob: presign put: %w", err)
	}
	ttl, err := capTTL(ttl)
	if err != nil {
		return nil, nil, fmt.Errorf("blob: presign put %q: %w", key, err)
	}
	if size < 0 {
		return nil, nil, fmt.Errorf("blob: presign put %q: size must be known, got %d", key, size)
	}
	if contentType == "" {
		contentType = defaultMIMEType
	}
	header := http.Header{"Content-Length": {strconv.FormatInt(size, 10)}, "Content-Type": {contentType}}
	u, err := s.signer.PresignHeader(ctx, http.MethodPut, s.bucket, key, ttl, nil, header)
	if err != nil {
		return nil, nil, fmt.Errorf("blob: presign put %q: %w", key, err)
	}
	return u, header, nil
}

// PresignGet returns a URL that downloads key as an attachment named
// downloadName (RFC 6266, with an RFC 8187 UTF-8 filename*), valid for ttl
// (at most MaxPresignTTL). An empty downloadName leaves the name to the browser.
func (s *Store) PresignGet(ctx context.Context, key string, ttl time.Duration, downloadName string) (*url.URL, error) {
	if err := validateKey(key); err != nil {
		return nil, fmt.Errorf("blob: presign get: %w", err)
	}
	ttl, err := capTTL(ttl)
	if err != nil {
		return nil, fmt.Errorf("blob: presign get %q: %w", key, err)
	}
	params := url.Values{"response-content-disposition": {AttachmentDisposition(downloadName)}}
	u, err := s.signer.PresignedGetObject(ctx, s.bucket, key, ttl, params)
	if err != nil {
		return nil, fmt.Errorf("blob: presign get %q: %w", key, err)
	}
	return u, nil
}

// publicSigner is a client that only signs, for the URL browsers use.
func publicSigner(cfg Config) (*minio.Client, error) {
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("blob: open: public URL %q must be http(s)://host[:port]", cfg.PublicURL)
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: u.Scheme == "https",
		Region: region, BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: open: public URL %s: %w", cfg.PublicURL, err)
	}
	return c, nil
}

// Endpoint is the host:port the store talks to.
func (s *Store) Endpoint() string { return s.client.EndpointURL().Host }

// Ready reports whether the bucket is reachable now, for /readyz.
func (s *Store) Ready(ctx context.Context) error {
	exists, err := s.probe.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blob: bucket %s unreachable: %w", s.bucket, err)
	}
	if !exists {
		return fmt.Errorf("blob: bucket %s does not exist", s.bucket)
	}
	return nil
}

func capTTL(ttl time.Duration) (time.Duration, error) {
	if ttl < time.Second {
		return 0, fmt.Errorf("ttl %s is shorter than 1s", ttl)
	}
	return min(ttl, MaxPresignTTL), nil
}

func mapError(op, key string, err error) error {
	resp := minio.ToErrorResponse(err)
	if resp.Code == "NoSuchKey" || (resp.StatusCode == http.StatusNotFound && resp.Code != "NoSuchBucket") {
		return fmt.Errorf("blob: %s %q: %w", op, key, ErrNotFound)
	}
	return fmt.Errorf("blob: %s %q: %w", op, key, err)
}

func infoFrom(key string, oi minio.ObjectInfo) Info {
	digest := strings.ToLower(oi.Metadata.Get("X-Amz-Meta-" + metaSHA256))
	if digest == "" {
		for k, v := range oi.UserMetadata {
			if strings.EqualFold(k, metaSHA256) {
				digest = strings.ToLower(v)
			}
		}
	}
	if !isHexDigest(digest) {
		digest = ""
	}
	return Info{
		Key:          key,
		Size:         oi.Size,
		SHA256:       digest,
		ContentType:  oi.ContentType,
		ETag:         strings.Trim(oi.ETag, `"`),
		LastModified: oi.LastModified,
	}
}

func isHexDigest(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func stagingKey() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("staging key: %w", err)
	}
	return stagingPrefix + hex.EncodeToString(b[:]), nil
}

// expectEOF fails if r still has data: a reader longer than the declared
// size means the caller's size is wrong, and storing a prefix would hide it.
func expectEOF(r io.Reader) error {
	var one [1]byte
	for {
		n, err := r.Read(one[:])
		if n > 0 {
			return errors.New("reader has more bytes than the declared size")
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read past declared size: %w", err)
		}
	}
}

// hashingReader hashes what minio-go reads and reports a source that ends
// early as an error of its own: minio-go takes io.ErrUnexpectedEOF for a
// short last part and would send, and retry, a request that cannot succeed.
// With no hash it only counts.
type hashingReader struct {
	r    io.Reader
	h    hash.Hash
	n    int64
	size int64
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if h.h != nil {
		h.h.Write(p[:n])
	}
	h.n += int64(n)
	if errors.Is(err, io.EOF) && h.n < h.size {
		return n, fmt.Errorf("reader ended after %d of %d bytes", h.n, h.size)
	}
	return n, err
}

// verifyingReader hashes what the caller reads and turns the final io.EOF
// into ErrChecksumMismatch when the bytes are not the ones Put recorded.
type verifyingReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	want string
	size int64
	n    int64
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.rc.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if errors.Is(err, io.EOF) {
		if got := hex.EncodeToString(v.h.Sum(nil)); v.n != v.size || got != v.want {
			return n, fmt.Errorf("%w: read %d of %d bytes, sha256 %s, want %s", ErrChecksumMismatch, v.n, v.size, got, v.want)
		}
	}
	return n, err
}

func (v *verifyingReader) Close() error { return v.rc.Close() }
