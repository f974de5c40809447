package blob

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxChunkSize bounds one aws-chunked chunk, and so the memory a request can
// make the server hold before its signature is checked. minio-go sends 64 KiB.
const maxChunkSize = 8 << 20

// chunkedReader decodes an aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)
// and, when sc is set, releases each chunk only after its signature checks
// out, so no unverified byte reaches the disk.
type chunkedReader struct {
	src       *bufio.Reader
	sc        *signingContext
	prevSig   string
	remaining int64 // decoded bytes still announced by x-amz-decoded-content-length
	buf       []byte
	off       int
	err       error
}

func newChunkedReader(body io.Reader, sc *signingContext, decodedLen int64) *chunkedReader {
	c := &chunkedReader{src: bufio.NewReaderSize(body, 16<<10), sc: sc, remaining: decodedLen}
	if sc != nil {
		c.prevSig = sc.seedSignature
	}
	return c
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	for c.off == len(c.buf) {
		if c.err != nil {
			return 0, c.err
		}
		if err := c.next(); err != nil {
			// Never hand out a chunk that failed its checks.
			c.buf, c.off, c.err = c.buf[:0], 0, err
		}
	}
	n := copy(p, c.buf[c.off:])
	c.off += n
	return n, nil
}

func errBadChunk(format string, args ...any) *s3Error {
	return newS3Error(http.StatusBadRequest, "IncompleteBody", "aws-chunked body: "+format, args...)
}

func (c *chunkedReader) next() error {
	line, err := c.src.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return errBadChunk("chunk header too long")
		}
		return errBadChunk("reading chunk header: %v", err)
	}
	header := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
	sizeHex, ext, _ := strings.Cut(header, ";")
	size, err := strconv.ParseInt(sizeHex, 16, 64)
	if err != nil || size < 0 || size > maxChunkSize {
		return errBadChunk("bad chunk size %q", sizeHex)
	}
	sig, ok := strings.CutPrefix(ext, "chunk-signature=")
	if !ok && c.sc != nil {
		return errBadChunk("chunk without signature")
	}
	if size > c.remaining {
		return errBadChunk("more data than x-amz-decoded-content-length announced")
	}
	if int64(cap(c.buf)) < size {
		c.buf = make([]byte, size)
	}
	c.buf, c.off = c.buf[:size], 0
	if _, err := io.ReadFull(c.src, c.buf); err != nil {
		return errBadChunk("reading chunk data: %v", err)
	}
	var crlf [2]byte
	if _, err := io.ReadFull(c.src, crlf[:]); err != nil || crlf != [2]byte{'\r', '\n'} {
		return errBadChunk("chunk not terminated by CRLF")
	}
	if c.sc != nil {
		sum := sha256.Sum256(c.buf)
		want := c.sc.chunkSignature(c.prevSig, sum[:])
		if !hmac.Equal([]byte(want), []byte(sig)) {
			return errSignatureMismatch("chunk")
		}
		c.prevSig = sig
	}
	c.remaining -= size
	if size == 0 {
		if c.remaining != 0 {
			return errBadChunk("body ended %d bytes short of x-amz-decoded-content-length", c.remaining)
		}
		return io.EOF
	}
	return nil
}

// digestReader checks a body against the SHA-256 its signature covers, and
// fails in place of io.EOF when they differ.
type digestReader struct {
	r    io.Reader
	h    hash.Hash
	want string
}

func newDigestReader(r io.Reader, wantHex string) *digestReader {
	return &digestReader{r: r, h: sha256.New(), want: strings.ToLower(wantHex)}
}

func (d *digestReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.h.Write(p[:n])
	if errors.Is(err, io.EOF) && hex.EncodeToString(d.h.Sum(nil)) != d.want {
		return n, newS3Error(http.StatusBadRequest, "XAmzContentSHA256Mismatch",
			"the body does not match x-amz-content-sha256")
	}
	return n, err
}
