package domain

import (
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func TestKindChainOrder(t *testing.T) {
	for _, c := range []struct {
		kind  Kind
		order int
		valid bool
	}{
		{MakerSpace, 1, true}, {Incubator, 2, true}, {Accelerator, 3, true}, {SciencePark, 4, true},
		{ConceptCenter, 0, true}, {PilotBase, 0, true}, {"factory", 0, false}, {"", 0, false},
	} {
		if got := c.kind.ChainOrder(); got != c.order {
			t.Errorf("%q chain order %d, want %d", c.kind, got, c.order)
		}
		if got := c.kind.Valid(); got != c.valid {
			t.Errorf("%q valid %v, want %v", c.kind, got, c.valid)
		}
	}
}

func TestNewCarrier(t *testing.T) {
	valid := CarrierFields{Kind: Incubator, NameZH: " 历下科技企业孵化器 ", AreaM2: 15000, Capacity: 60, FocusIndustries: []string{"i65", "I65", "M"}}
	cases := []struct {
		name   string
		mutate func(f *CarrierFields)
		want   map[string]string // field -> code; empty means valid
	}{
		{"valid, normalized", func(f *CarrierFields) {}, nil},
		{"missing name and kind", func(f *CarrierFields) { f.NameZH, f.Kind = "  ", "" }, map[string]string{"name_zh": "required", "kind": "required"}},
		{"unknown kind", func(f *CarrierFields) { f.Kind = "factory" }, map[string]string{"kind": "one_of"}},
		{"name too long", func(f *CarrierFields) { f.NameZH = strings.Repeat("园", MaxNameLen+1) }, map[string]string{"name_zh": "too_long"}},
		{"name exactly at limit", func(f *CarrierFields) { f.NameZH = strings.Repeat("园", MaxNameLen) }, nil},
		{"control character", func(f *CarrierFields) { f.NameEN = "a\nb" }, map[string]string{"name_en": "invalid"}},
		{"negative area and capacity", func(f *CarrierFields) { f.AreaM2, f.Capacity = -1, -1 }, map[string]string{"area_m2": "not_negative", "capacity": "not_negative"}},
		{"absurd area", func(f *CarrierFields) { f.AreaM2 = MaxAreaM2 + 1 }, map[string]string{"area_m2": "out_of_range"}},
		{"bad status", func(f *CarrierFields) { f.Status = "open" }, map[string]string{"status": "one_of"}},
		{"bad industry code", func(f *CarrierFields) { f.FocusIndustries = []string{"I65", "Z1"} }, map[string]string{"focus_industries": "industry_code"}},
		{"industry codes of every length", func(f *CarrierFields) { f.FocusIndustries = []string{"A", "C27", "C271", "C2710"} }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := valid
			f.FocusIndustries = append([]string(nil), valid.FocusIndustries...)
			c.mutate(&f)
			car, err := NewCarrier("id1", "r1", f, now)
			got := apperr.FieldCodes(err)
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v (%v)", err, got)
				}
				if car.ChainOrder() != f.Kind.ChainOrder() || car.Fields().Status != Active {
					t.Errorf("carrier %+v", car.Fields())
				}
				return
			}
			if !apperr.Is(err, apperr.IncorrectInput) {
				t.Fatalf("want incorrect input, got %v", err)
			}
			for field, code := range c.want {
				if got[field] != code {
					t.Errorf("field %s: code %q, want %q (all: %v)", field, got[field], code, got)
				}
			}
		})
	}
	car, _ := NewCarrier("id1", "r1", valid, now)
	if f := car.Fields(); f.NameZH != "历下科技企业孵化器" || strings.Join(f.FocusIndustries, ",") != "I65,M" {
		t.Errorf("normalization: %+v", f)
	}
}

func TestCarrierUpdateIsAllOrNothing(t *testing.T) {
	car, err := NewCarrier("id1", "r1", CarrierFields{Kind: MakerSpace, NameZH: "创客空间", Capacity: 10}, now)
	if err != nil {
		t.Fatal(err)
	}
	name, capacity := "新名字", -5
	if err := car.Update(CarrierPatch{NameZH: &name, Capacity: &capacity}, now.Add(time.Hour)); err == nil {
		t.Fatal("want an error for negative capacity")
	}
	if f := car.Fields(); f.NameZH != "创客空间" || f.Capacity != 10 || !car.UpdatedAt().Equal(now) {
		t.Fatalf("a refused update changed the carrier: %+v", f)
	}
	k := Accelerator
	if err := car.Update(CarrierPatch{NameZH: &name, Kind: &k}, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if car.ChainOrder() != 3 || car.Fields().NameZH != name || !car.UpdatedAt().Equal(now.Add(time.Hour)) {
		t.Fatalf("update not applied: %+v", car.Fields())
	}
}

func TestNewRegion(t *testing.T) {
	for _, c := range []struct {
		code, name string
		want       map[string]string
	}{
		{"lixia", "历下区", nil},
		{" LiXia ", "历下区", nil},
		{"", "历下区", map[string]string{"code": "required"}},
		{"1lixia", "历下区", map[string]string{"code": "region_code"}},
		{"li xia", "历下区", map[string]string{"code": "region_code"}},
		{"lixia", "", map[string]string{"name_zh": "required"}},
	} {
		_, err := NewRegion("r1", c.code, c.name, "", now)
		got := apperr.FieldCodes(err)
		if len(c.want) == 0 && err != nil {
			t.Errorf("%q/%q: unexpected %v", c.code, c.name, err)
		}
		for f, code := range c.want {
			if got[f] != code {
				t.Errorf("%q/%q: field %s code %q, want %q", c.code, c.name, f, got[f], code)
			}
		}
	}
}

func TestEmailAndUsers(t *testing.T) {
	for _, c := range []struct {
		in, norm string
		ok       bool
	}{
		{" Park.Admin@LiXia.Demo ", "park.admin@lixia.demo", true},
		{"no-at-sign", "no-at-sign", false},
		{"Name <a@b.cn>", "name <a@b.cn>", false},
		{"", "", false},
	} {
		norm, ok := NormalizeEmail(c.in)
		if norm != c.norm || ok != c.ok {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, %v", c.in, norm, ok, c.norm, c.ok)
		}
	}
	if _, err := NewUser("u1", "x", strings.Repeat("名", 61), "h", now); apperr.FieldCodes(err)["email"] != "invalid_email" || apperr.FieldCodes(err)["display_name"] != "too_long" {
		t.Errorf("user errors: %v", apperr.FieldCodes(err))
	}
}

func TestCheckRole(t *testing.T) {
	for _, c := range []struct {
		role, kind, code string
	}{
		{"park_admin", "carrier", ""}, {"park_operator", "carrier", ""}, {"district_viewer", "region", ""},
		{"district_admin", "carrier", "one_of"}, {"park_admin", "region", "one_of"}, {"platform_admin", "region", "one_of"},
		{"startup_member", "carrier", "one_of"}, {"", "carrier", "required"},
	} {
		v := apperr.NewValidation("x")
		CheckRole(v, "role", c.role, c.kind)
		if got := apperr.FieldCodes(v.Err())["role"]; got != c.code {
			t.Errorf("role %q in %s: %q, want %q", c.role, c.kind, got, c.code)
		}
	}
}

func TestInvitationAcceptable(t *testing.T) {
	inv := Invitation{ExpiresAt: now.Add(InvitationTTL)}
	if !inv.Acceptable(now) || inv.Acceptable(now.Add(InvitationTTL)) {
		t.Error("acceptable until it expires")
	}
	at := now
	inv.AcceptedAt = &at
	if inv.Acceptable(now) {
		t.Error("an accepted invitation cannot be accepted again")
	}
}
