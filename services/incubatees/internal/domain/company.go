package domain

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// FounderType is how Torch classifies a founder.
type FounderType string

// Founder types of the Torch survey.
var FounderTypes = []string{"student", "researcher", "returnee", "ex_large_firm", "serial", "other"}

// Genders of the Torch survey.
var Genders = []string{"female", "male", "unspecified"}

// CompanyFields are a company's editable details.
type CompanyFields struct {
	NameZH        string
	NameEN        string
	IndustryCode  string // GB/T 4754-2017
	TechField     string
	FoundedOn     *time.Time // date; nil for a team not yet registered
	FounderType   string
	FounderGender string
	ContactName   string
	ContactPhone  string
	ContactEmail  string
}

// Company is one startup identity in a region: keyed by its USCC, or,
// before registration, by a provisional team id later linked to a USCC
// without losing history (the company id never changes).
type Company struct {
	ID            string
	RegionID      string
	USCC          USCC
	ProvisionalID string
	Fields        CompanyFields
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

var phone = regexp.MustCompile(`^\+?[0-9][0-9 -]{5,19}$`)

// NewCompany validates a new company; uscc may be empty for a team, which
// then gets a provisional id.
func NewCompany(id, regionID, uscc string, f CompanyFields, now time.Time) (*Company, error) {
	v := apperr.NewValidation("invalid-company")
	c := &Company{ID: id, RegionID: regionID, CreatedAt: now, UpdatedAt: now}
	if strings.TrimSpace(uscc) != "" {
		code, err := ParseUSCC(uscc)
		if err != nil {
			v.Add("uscc", err.Code, err.Params()...)
		}
		c.USCC = code
	} else {
		c.ProvisionalID = "T-" + id
	}
	c.Fields = normalizeCompany(f)
	validateCompany(v, c.Fields, now)
	return c, v.Err()
}

// Update replaces the details after validating them.
func (c *Company) Update(f CompanyFields, now time.Time) error {
	v := apperr.NewValidation("invalid-company")
	f = normalizeCompany(f)
	validateCompany(v, f, now)
	if err := v.Err(); err != nil {
		return err
	}
	c.Fields, c.UpdatedAt = f, now
	return nil
}

// LinkUSCC gives a team its registered code; a company that has one keeps
// it (changing a USCC is not a correction but a different company).
func (c *Company) LinkUSCC(uscc string, now time.Time) error {
	if c.USCC != "" {
		return apperr.ConflictErr("uscc-already-linked")
	}
	code, err := ParseUSCC(uscc)
	if err != nil {
		return apperr.NewValidation("invalid-company").Add("uscc", err.Code, err.Params()...).Err()
	}
	c.USCC, c.UpdatedAt = code, now
	return nil
}

// Key is how people refer to the company: its USCC, else its team id.
func (c *Company) Key() string {
	if c.USCC != "" {
		return string(c.USCC)
	}
	return c.ProvisionalID
}

func normalizeCompany(f CompanyFields) CompanyFields {
	f.NameZH = strings.TrimSpace(f.NameZH)
	f.NameEN = strings.TrimSpace(f.NameEN)
	f.IndustryCode = strings.ToUpper(strings.TrimSpace(f.IndustryCode))
	f.TechField = strings.TrimSpace(f.TechField)
	f.ContactName = strings.TrimSpace(f.ContactName)
	f.ContactPhone = strings.TrimSpace(f.ContactPhone)
	f.ContactEmail = strings.ToLower(strings.TrimSpace(f.ContactEmail))
	if f.FounderType == "" {
		f.FounderType = "other"
	}
	if f.FounderGender == "" {
		f.FounderGender = "unspecified"
	}
	return f
}

func validateCompany(v *apperr.Validation, f CompanyFields, now time.Time) {
	v.Text("name_zh", f.NameZH, 100, true)
	v.Text("name_en", f.NameEN, 200, false)
	v.Text("tech_field", f.TechField, 100, false)
	v.Text("contact_name", f.ContactName, 50, false)
	if f.IndustryCode == "" {
		v.Add("industry_code", "required")
	} else if !ValidIndustry(f.IndustryCode) {
		v.Add("industry_code", "industry_code", "value", f.IndustryCode)
	}
	if f.FoundedOn != nil && f.FoundedOn.After(now) {
		v.Add("founded_on", "in_future")
	}
	CheckOneOf(v, "founder_type", f.FounderType, FounderTypes)
	CheckOneOf(v, "founder_gender", f.FounderGender, Genders)
	v.Check(f.ContactPhone != "" && !phone.MatchString(f.ContactPhone), "contact_phone", "invalid")
	if f.ContactEmail != "" {
		if a, err := mail.ParseAddress(f.ContactEmail); err != nil || a.Address != f.ContactEmail {
			v.Add("contact_email", "invalid_email")
		}
	}
}
