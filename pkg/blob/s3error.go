package blob

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	"github.com/johannesboyne/gofakes3"
)

// s3Error is an S3 error response produced by the in-process server itself
// (auth, multipart, body spooling); gofakes3 renders its own.
type s3Error struct {
	Status  int
	Code    string
	Message string
}

func (e *s3Error) Error() string { return e.Code + ": " + e.Message }

func newS3Error(status int, code, format string, args ...any) *s3Error {
	return &s3Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func errAccessDenied(format string, args ...any) *s3Error {
	return newS3Error(http.StatusForbidden, "AccessDenied", format, args...)
}

func errSignatureMismatch(what string) *s3Error {
	return newS3Error(http.StatusForbidden, "SignatureDoesNotMatch",
		"the %s signature does not match the one computed with the secret key", what)
}

func errInvalidArgument(format string, args ...any) *s3Error {
	return newS3Error(http.StatusBadRequest, "InvalidArgument", format, args...)
}

func errInternal(err error) *s3Error {
	return newS3Error(http.StatusInternalServerError, "InternalError", "%v", err)
}

// asS3Error turns backend errors into responses, keeping gofakes3's codes.
func asS3Error(err error) *s3Error {
	var se *s3Error
	if errors.As(err, &se) {
		return se
	}
	var ge gofakes3.Error
	if errors.As(err, &ge) {
		code := ge.ErrorCode()
		return &s3Error{Status: code.Status(), Code: string(code), Message: ge.Error()}
	}
	return errInternal(err)
}

type xmlError struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string
	Message   string
	Resource  string `xml:",omitempty"`
	RequestID string `xml:"RequestId,omitempty"`
}

func writeS3Error(w http.ResponseWriter, r *http.Request, e *s3Error) {
	w.Header().Del("ETag")
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(xmlError{
		Code:      e.Code,
		Message:   e.Message,
		Resource:  r.URL.Path,
		RequestID: w.Header().Get("X-Amz-Request-Id"),
	})
}

func writeXML(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(v)
}
