package domain

import (
	"regexp"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

var regionCode = regexp.MustCompile(`^[a-z][a-z0-9-]{1,31}$`)

// Region is a district: the top tenant. Nothing of one region is visible
// from another.
type Region struct {
	ID        string
	Code      string
	NameZH    string
	NameEN    string
	CreatedAt time.Time
}

// NewRegion validates a new region.
func NewRegion(id, code, nameZH, nameEN string, now time.Time) (*Region, error) {
	r := &Region{ID: id, Code: strings.ToLower(strings.TrimSpace(code)), NameZH: strings.TrimSpace(nameZH),
		NameEN: strings.TrimSpace(nameEN), CreatedAt: now}
	v := apperr.NewValidation("invalid-region")
	if r.Code == "" {
		v.Add("code", "required")
	} else {
		v.Check(!regionCode.MatchString(r.Code), "code", "region_code")
	}
	checkName(v, "name_zh", r.NameZH, MaxNameLen, true)
	checkName(v, "name_en", r.NameEN, MaxNameENLen, false)
	return r, v.Err()
}
