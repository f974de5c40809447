package blob

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// AWS Signature Version 4, server side: enough of it to check what minio-go
// and browsers holding presigned URLs send. The canonical forms mirror
// minio-go's signer (pkg/signer), which follows the AWS specification.

const (
	sigV4Algorithm      = "AWS4-HMAC-SHA256"
	sigV4ChunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD"
	amzDateFormat       = "20060102T150405Z"
	scopeDateFormat     = "20060102"
	unsignedPayload     = "UNSIGNED-PAYLOAD"
	streamingPayload    = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	emptySHA256         = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	maxClockSkew        = 15 * time.Minute
	maxPresignExpiry    = 7 * 24 * time.Hour // S3's limit for X-Amz-Expires
)

// signingContext is what a verified request hands to its chunk verifier:
// every chunk signature chains from the request's seed signature.
type signingContext struct {
	key           []byte
	amzDate       string
	scope         string
	seedSignature string
}

func (c *signingContext) chunkSignature(prev string, chunkSHA256 []byte) string {
	sts := sigV4ChunkAlgorithm + "\n" + c.amzDate + "\n" + c.scope + "\n" + prev + "\n" +
		emptySHA256 + "\n" + hex.EncodeToString(chunkSHA256)
	return hex.EncodeToString(hmacSHA256(c.key, sts))
}

// sigV4Verifier checks requests against one access key pair.
type sigV4Verifier struct {
	accessKey string
	secretKey string
}

// verify authenticates r by its Authorization header or its presigned query
// string. It returns the payload hash the signature covers and, for header
// auth, the context needed to check streamed chunk signatures.
func (v *sigV4Verifier) verify(r *http.Request, now time.Time) (payloadHash string, sc *signingContext, e *s3Error) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		return v.verifyHeader(r, auth, now)
	}
	if r.URL.Query().Has("X-Amz-Signature") {
		return v.verifyPresigned(r, now)
	}
	return "", nil, errAccessDenied("anonymous requests are not allowed")
}

func (v *sigV4Verifier) verifyHeader(r *http.Request, auth string, now time.Time) (string, *signingContext, *s3Error) {
	alg, rest, _ := strings.Cut(auth, " ")
	if alg != sigV4Algorithm {
		return "", nil, errInvalidArgument("unsupported authorization type %q; only %s is accepted", alg, sigV4Algorithm)
	}
	var credential, signedHeaders, signature string
	for _, part := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			credential = val
		case "SignedHeaders":
			signedHeaders = val
		case "Signature":
			signature = val
		}
	}
	if credential == "" || signedHeaders == "" || signature == "" {
		return "", nil, errInvalidArgument("malformed authorization header")
	}
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return "", nil, errAccessDenied("missing or malformed X-Amz-Date")
	}
	if d := now.Sub(t); d > maxClockSkew || d < -maxClockSkew {
		return "", nil, newS3Error(http.StatusForbidden, "RequestTimeTooSkewed",
			"request time %s differs from server time %s by more than %s", t.Format(time.RFC3339), now.UTC().Format(time.RFC3339), maxClockSkew)
	}
	payloadHash := r.Header.Get("X-Amz-Content-Sha256")
	if payloadHash == "" {
		return "", nil, newS3Error(http.StatusBadRequest, "InvalidRequest", "missing required header x-amz-content-sha256")
	}
	sc, e := v.check(r, r.URL.Query(), credential, signedHeaders, signature, amzDate, payloadHash)
	if e != nil {
		return "", nil, e
	}
	return payloadHash, sc, nil
}

func (v *sigV4Verifier) verifyPresigned(r *http.Request, now time.Time) (string, *signingContext, *s3Error) {
	q := r.URL.Query()
	if q.Get("X-Amz-Algorithm") != sigV4Algorithm {
		return "", nil, errInvalidArgument("unsupported X-Amz-Algorithm %q", q.Get("X-Amz-Algorithm"))
	}
	amzDate := q.Get("X-Amz-Date")
	t, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return "", nil, errAccessDenied("missing or malformed X-Amz-Date")
	}
	secs, err := strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > maxPresignExpiry {
		return "", nil, errAccessDenied("X-Amz-Expires must be 1..%d seconds", int64(maxPresignExpiry/time.Second))
	}
	if now.Before(t.Add(-maxClockSkew)) {
		return "", nil, errAccessDenied("request is not valid yet")
	}
	if now.After(t.Add(time.Duration(secs) * time.Second)) {
		return "", nil, errAccessDenied("Request has expired")
	}
	signature := q.Get("X-Amz-Signature")
	q.Del("X-Amz-Signature")
	signedHeaders := q.Get("X-Amz-SignedHeaders")
	payloadHash := unsignedPayload
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && containsHeader(signedHeaders, "x-amz-content-sha256") {
		payloadHash = h
	}
	sc, e := v.check(r, q, q.Get("X-Amz-Credential"), signedHeaders, signature, amzDate, payloadHash)
	if e != nil {
		return "", nil, e
	}
	return payloadHash, sc, nil
}

// check recomputes the signature over the canonical request.
func (v *sigV4Verifier) check(r *http.Request, query url.Values, credential, signedHeaders, signature, amzDate, payloadHash string) (*signingContext, *s3Error) {
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[3] != "s3" {
		return nil, errInvalidArgument("malformed credential %q", credential)
	}
	accessKey, date, region := parts[0], parts[1], parts[2]
	if !hmac.Equal([]byte(accessKey), []byte(v.accessKey)) {
		return nil, newS3Error(http.StatusForbidden, "InvalidAccessKeyId", "the access key id does not exist")
	}
	if !strings.HasPrefix(amzDate, date) || len(date) != len(scopeDateFormat) {
		return nil, errAccessDenied("credential date %s does not match X-Amz-Date %s", date, amzDate)
	}
	headers := strings.Split(signedHeaders, ";")
	if !sort.StringsAreSorted(headers) || !containsHeader(signedHeaders, "host") {
		return nil, errAccessDenied("signed headers must be sorted and include host")
	}
	var canon strings.Builder
	canon.WriteString(r.Method)
	canon.WriteByte('\n')
	canon.WriteString(s3utils.EncodePath(r.URL.Path))
	canon.WriteByte('\n')
	canon.WriteString(strings.ReplaceAll(query.Encode(), "+", "%20"))
	canon.WriteByte('\n')
	for _, h := range headers {
		canon.WriteString(h)
		canon.WriteByte(':')
		canon.WriteString(canonicalHeaderValue(r, h))
		canon.WriteByte('\n')
	}
	canon.WriteByte('\n')
	canon.WriteString(signedHeaders)
	canon.WriteByte('\n')
	canon.WriteString(payloadHash)

	scope := date + "/" + region + "/s3/aws4_request"
	crHash := sha256.Sum256([]byte(canon.String()))
	stringToSign := sigV4Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(crHash[:])
	key := signingKey(v.secretKey, date, region)
	want := hex.EncodeToString(hmacSHA256(key, stringToSign))
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return nil, errSignatureMismatch("request")
	}
	return &signingContext{key: key, amzDate: amzDate, scope: scope, seedSignature: signature}, nil
}

func canonicalHeaderValue(r *http.Request, name string) string {
	switch name {
	case "host":
		return r.Host
	case "content-length":
		if v := r.Header.Get("Content-Length"); v != "" {
			return v
		}
		return strconv.FormatInt(r.ContentLength, 10)
	case "transfer-encoding":
		return strings.Join(r.TransferEncoding, ",")
	}
	vals := r.Header.Values(name)
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, ",")
}

func containsHeader(signedHeaders, name string) bool {
	for _, h := range strings.Split(signedHeaders, ";") {
		if h == name {
			return true
		}
	}
	return false
}

func signingKey(secret, date, region string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, "s3")
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
