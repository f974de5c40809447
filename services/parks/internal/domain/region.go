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

// Rename changes the region's names; the code never changes, since other
// systems may key on it.
func (r *Region) Rename(nameZH, nameEN *string) error {
	zh, en := r.NameZH, r.NameEN
	if nameZH != nil {
		zh = strings.TrimSpace(*nameZH)
	}
	if nameEN != nil {
		en = strings.TrimSpace(*nameEN)
	}
	v := apperr.NewValidation("invalid-region")
	v.Text("name_zh", zh, MaxNameLen, true)
	v.Text("name_en", en, MaxNameENLen, false)
	if err := v.Err(); err != nil {
		return err
	}
	r.NameZH, r.NameEN = zh, en
	return nil
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
	v.Text("name_zh", r.NameZH, MaxNameLen, true)
	v.Text("name_en", r.NameEN, MaxNameENLen, false)
	return r, v.Err()
}
