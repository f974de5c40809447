package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// MaxJSONBody caps request bodies decoded by Bind.
const MaxJSONBody = 1 << 20

// Bind decodes the JSON body into dst strictly: unknown fields, trailing
// data, wrong types and oversized bodies are errors naming the field, so a
// client never has part of its input silently ignored.
func Bind(c *gin.Context, dst any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.TooLarge, "body-too-large").With("max", MaxJSONBody)
		}
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "unreadable body").Wrap(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "empty body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	// dec.More is not enough: it reports false for a stray '}' or ']'.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "trailing data after the JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", fmt.Sprintf("syntax error at byte %d", syn.Offset)).Wrap(err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		v := apperr.NewValidation("malformed-json").Add(field, "wrong_type", "want", typ.Type.String())
		e, _ := apperr.As(v.Err())
		e.Category = apperr.Malformed
		return e.With("reason", "field "+field+" has the wrong type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		v := apperr.NewValidation("unknown-field").Add(field, "unknown")
		e, _ := apperr.As(v.Err())
		e.Category = apperr.Malformed
		return e
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "unexpected end of input").Wrap(err)
	default:
		return apperr.New(apperr.Malformed, "malformed-json").With("reason", "cannot decode").Wrap(err)
	}
}
