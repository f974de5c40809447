package httpx

import (
	"regexp"
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Path parameters are checked by their name before any handler runs, so no
// query ever sees a NUL byte, a control character or a 10 kB "id". A value
// that does not fit its format names no object: the answer is the same
// 404 problem as for an id that does not exist (or belongs to another
// tenant), so a malformed id teaches a caller nothing.
var paramFormats = map[string]*regexp.Regexp{
	// Entity ids are ULIDs (events.NewID); a checklist's id is
	// "<owner kind>:<owner id>".
	"id":   regexp.MustCompile(`^(?:[a-z][a-z_]{0,31}:)?[0-7][0-9A-HJKMNP-TV-Z]{25}$`),
	"user": regexp.MustCompile(`^[0-7][0-9A-HJKMNP-TV-Z]{25}$`),
	// Document versions are counted from 1.
	"version": regexp.MustCompile(`^[1-9][0-9]{0,8}$`),
}

// slugParam is the format of every other path parameter: codes, roles,
// steps, periods ("2026-Q3") and base64url tokens.
var slugParam = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._~:-]{0,127}$`)

// ValidPathParam reports whether value fits the format of the path
// parameter called name.
func ValidPathParam(name, value string) bool {
	if re, ok := paramFormats[name]; ok {
		return re.MatchString(value)
	}
	return slugParam.MatchString(value)
}

// checkInput refuses a request whose path parameters do not fit their
// formats (404) or whose query string holds text that is not single-line
// text (422 invalid-query naming each parameter, like ParseList's
// refusals); see TextProblem.
func checkInput() gin.HandlerFunc {
	return func(c *gin.Context) {
		for _, p := range c.Params {
			if !ValidPathParam(p.Key, p.Value) {
				Error(c, apperr.NotFoundErr("resource-not-found"))
				return
			}
		}
		if c.Request.URL.RawQuery != "" {
			if err := checkQuery(c); err != nil {
				Error(c, err)
				return
			}
		}
		c.Next()
	}
}

func checkQuery(c *gin.Context) error {
	q := c.Request.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	v := apperr.NewValidation("invalid-query")
	bad := false
	for _, k := range keys {
		name := k
		if TextProblem(k, false) != "" {
			name = "query"
		}
		for _, val := range append([]string{k}, q[k]...) {
			if code := TextProblem(val, false); code != "" {
				v.Add(name, code)
				bad = true
				break
			}
		}
	}
	if !bad {
		return nil
	}
	return v.Err()
}
