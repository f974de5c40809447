package domain

import (
	"regexp"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Kind is the kind of a carrier (载体).
type Kind string

// Carrier kinds; the first four form the chain in this order.
const (
	MakerSpace    Kind = "maker_space"    // 众创空间
	Incubator     Kind = "incubator"      // 孵化器
	Accelerator   Kind = "accelerator"    // 加速器
	SciencePark   Kind = "science_park"   // 科技园区
	ConceptCenter Kind = "concept_center" // 概念验证中心
	PilotBase     Kind = "pilot_base"     // 中试基地
)

// Kinds lists every kind, chain first.
var Kinds = []Kind{MakerSpace, Incubator, Accelerator, SciencePark, ConceptCenter, PilotBase}

// ChainOrder is the position of a kind in the incubation chain (1–4), or 0
// for service carriers outside the chain that any company may use.
func (k Kind) ChainOrder() int {
	switch k {
	case MakerSpace:
		return 1
	case Incubator:
		return 2
	case Accelerator:
		return 3
	case SciencePark:
		return 4
	}
	return 0
}

// Enum lists every kind (the OpenAPI document's closed set).
func (Kind) Enum() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = string(k)
	}
	return out
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Status of a carrier.
type Status string

const (
	Active    Status = "active"
	Suspended Status = "suspended"
	Closed    Status = "closed"
)

func (s Status) valid() bool { return s == Active || s == Suspended || s == Closed }

// Enum lists every status (the OpenAPI document's closed set).
func (Status) Enum() []string { return []string{string(Active), string(Suspended), string(Closed)} }

// Limits on carrier fields.
const (
	MaxNameLen    = 100
	MaxNameENLen  = 200
	MaxAddressLen = 200
	MaxAreaM2     = 10_000_000
	MaxCapacity   = 100_000
	MaxIndustries = 20
)

// industryCode matches GB/T 4754-2017 codes: a section letter A–T,
// optionally followed by a 2-digit division, 3-digit group or 4-digit class.
var industryCode = regexp.MustCompile(`^[A-T](\d{2}|\d{3}|\d{4})?$`)

// CarrierFields are the editable fields of a carrier.
type CarrierFields struct {
	Kind            Kind
	NameZH          string
	NameEN          string
	Address         string
	AreaM2          float64
	FocusIndustries []string
	Capacity        int
	Status          Status
}

// Carrier is a tenant unit inside a region: a maker space, incubator,
// accelerator, science park, concept-verification centre or pilot base.
type Carrier struct {
	id        string
	regionID  string
	f         CarrierFields
	createdAt time.Time
	updatedAt time.Time
}

// NewCarrier validates fields for a new carrier of region regionID.
func NewCarrier(id, regionID string, f CarrierFields, now time.Time) (*Carrier, error) {
	if f.Status == "" {
		f.Status = Active
	}
	f = normalize(f)
	if err := validateCarrier(f); err != nil {
		return nil, err
	}
	return &Carrier{id: id, regionID: regionID, f: f, createdAt: now, updatedAt: now}, nil
}

// CarrierFromDB rebuilds a carrier from stored values without validation.
func CarrierFromDB(id, regionID string, f CarrierFields, createdAt, updatedAt time.Time) *Carrier {
	return &Carrier{id: id, regionID: regionID, f: f, createdAt: createdAt, updatedAt: updatedAt}
}

// CarrierPatch holds the fields a caller wants to change; nil leaves a
// field as it is.
type CarrierPatch struct {
	Kind            *Kind
	NameZH          *string
	NameEN          *string
	Address         *string
	AreaM2          *float64
	FocusIndustries *[]string
	Capacity        *int
	Status          *Status
}

// Update applies p after validating the result as a whole.
func (c *Carrier) Update(p CarrierPatch, now time.Time) error {
	f := c.f
	patch(&f.Kind, p.Kind)
	patch(&f.NameZH, p.NameZH)
	patch(&f.NameEN, p.NameEN)
	patch(&f.Address, p.Address)
	patch(&f.AreaM2, p.AreaM2)
	patch(&f.FocusIndustries, p.FocusIndustries)
	patch(&f.Capacity, p.Capacity)
	patch(&f.Status, p.Status)
	f = normalize(f)
	if err := validateCarrier(f); err != nil {
		return err
	}
	c.f, c.updatedAt = f, now
	return nil
}

// patch sets *field to *v when the patch gives v.
func patch[T any](field *T, v *T) {
	if v != nil {
		*field = *v
	}
}

func normalize(f CarrierFields) CarrierFields {
	f.NameZH = strings.TrimSpace(f.NameZH)
	f.NameEN = strings.TrimSpace(f.NameEN)
	f.Address = strings.TrimSpace(f.Address)
	inds := make([]string, 0, len(f.FocusIndustries))
	seen := map[string]bool{}
	for _, code := range f.FocusIndustries {
		code = strings.ToUpper(strings.TrimSpace(code))
		if !seen[code] {
			seen[code] = true
			inds = append(inds, code)
		}
	}
	f.FocusIndustries = inds
	return f
}

func validateCarrier(f CarrierFields) error {
	v := apperr.NewValidation("invalid-carrier")
	v.Text("name_zh", f.NameZH, MaxNameLen, true)
	v.Text("name_en", f.NameEN, MaxNameENLen, false)
	v.Text("address", f.Address, MaxAddressLen, false)
	if f.Kind == "" {
		v.Add("kind", "required")
	} else if !f.Kind.Valid() {
		v.Add("kind", "one_of", "allowed", "maker_space, incubator, accelerator, science_park, concept_center, pilot_base")
	}
	v.Check(f.AreaM2 < 0, "area_m2", "not_negative")
	v.Check(f.AreaM2 > MaxAreaM2, "area_m2", "out_of_range", "min", 0, "max", MaxAreaM2)
	v.Check(f.Capacity < 0, "capacity", "not_negative")
	v.Check(f.Capacity > MaxCapacity, "capacity", "out_of_range", "min", 0, "max", MaxCapacity)
	v.Check(!f.Status.valid(), "status", "one_of", "allowed", "active, suspended, closed")
	v.Check(len(f.FocusIndustries) > MaxIndustries, "focus_industries", "out_of_range", "min", 0, "max", MaxIndustries)
	for _, code := range f.FocusIndustries {
		if !industryCode.MatchString(code) {
			v.Add("focus_industries", "industry_code", "value", code)
			break
		}
	}
	return v.Err()
}

// ID returns the carrier's id.
func (c *Carrier) ID() string { return c.id }

// RegionID returns the id of the carrier's region.
func (c *Carrier) RegionID() string { return c.regionID }

// Fields returns a copy of the editable fields.
func (c *Carrier) Fields() CarrierFields {
	f := c.f
	f.FocusIndustries = append([]string(nil), c.f.FocusIndustries...)
	return f
}

// ChainOrder returns the carrier's position in the chain.
func (c *Carrier) ChainOrder() int { return c.f.Kind.ChainOrder() }

// CreatedAt returns when the carrier was created.
func (c *Carrier) CreatedAt() time.Time { return c.createdAt }

// UpdatedAt returns when the carrier last changed.
func (c *Carrier) UpdatedAt() time.Time { return c.updatedAt }
