package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

type sample struct {
	Addr    string        `cfg:"T_ADDR" default:"127.0.0.1:8080" help:"listen address"`
	Workers int           `cfg:"T_WORKERS" default:"4" help:"workers"`
	Debug   bool          `cfg:"T_DEBUG" default:"false" help:"debug"`
	TTL     time.Duration `cfg:"T_TTL" default:"12h" help:"ttl"`
	Inner   struct {
		Ratio float64 `cfg:"T_RATIO" default:"0.5" help:"ratio"`
	}
}

func TestLoadOrder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "incuchain.env")
	if err := os.WriteFile(file, []byte("# comment\nT_WORKERS=8\nINCUCHAIN_T_DEBUG=true\nT_RATIO=0.25\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("INCUCHAIN_T_WORKERS", "16")
	var s sample
	if err := Load(file, &s); err != nil {
		t.Fatal(err)
	}
	if s.Addr != "127.0.0.1:8080" || s.Workers != 16 || !s.Debug || s.TTL != 12*time.Hour || s.Inner.Ratio != 0.25 {
		t.Fatalf("got %+v: want default addr, env workers 16, file debug and ratio, default ttl", s)
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	t.Setenv("INCUCHAIN_T_WORKERS", "many")
	var s sample
	err := Load("", &s)
	if err == nil || !strings.Contains(err.Error(), "INCUCHAIN_T_WORKERS") {
		t.Fatalf("want an error naming the variable, got %v", err)
	}
}

func TestLoadRejectsBadFileLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.env")
	_ = os.WriteFile(file, []byte("no equals sign\n"), 0o600)
	var s sample
	if err := Load(file, &s); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("want line error, got %v", err)
	}
}

func TestDescribeAndMarkdown(t *testing.T) {
	md := Markdown(Describe(&sample{}))
	for _, want := range []string{"| `INCUCHAIN_T_ADDR` | `127.0.0.1:8080` | listen address |", "`INCUCHAIN_T_RATIO`"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// Place is a group a component embeds: its keys take the group's prefix,
// its defaults and help the group's values.
type Place struct {
	DB   string `cfg:"DB" default:"sqlite://data/{name}.db" help:"{name} database"`
	Addr string `cfg:"ADDR" default:"{addr}" help:"listen address of {name}"`
}

type grouped struct {
	Parks struct {
		Place `cfg:"PARKS_" name:"parks" addr:"127.0.0.1:8081"`
		Quota int `cfg:"PARKS_QUOTA" default:"3" help:"quota"`
	}
	Gate struct {
		Place `cfg:"GATE_" name:"gate" addr:"127.0.0.1:8080" ADDR.help:"address the console listens on"`
	}
}

func TestGroupPrefixesKeysAndFillsPlaceholders(t *testing.T) {
	t.Setenv("INCUCHAIN_GATE_DB", "postgres://db/gate")
	var g grouped
	if err := Load("", &g); err != nil {
		t.Fatal(err)
	}
	if g.Parks.DB != "sqlite://data/parks.db" || g.Parks.Addr != "127.0.0.1:8081" || g.Parks.Quota != 3 ||
		g.Gate.DB != "postgres://db/gate" || g.Gate.Addr != "127.0.0.1:8080" {
		t.Fatalf("got %+v: want parks' defaults from its group, gate's DB from the environment", g)
	}
	got := Describe(&grouped{})
	want := []Setting{
		{Key: "INCUCHAIN_GATE_ADDR", Default: "127.0.0.1:8080", Help: "address the console listens on"},
		{Key: "INCUCHAIN_GATE_DB", Default: "sqlite://data/gate.db", Help: "gate database"},
		{Key: "INCUCHAIN_PARKS_ADDR", Default: "127.0.0.1:8081", Help: "listen address of parks"},
		{Key: "INCUCHAIN_PARKS_DB", Default: "sqlite://data/parks.db", Help: "parks database"},
		{Key: "INCUCHAIN_PARKS_QUOTA", Default: "3", Help: "quota"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Describe:\n got %+v\nwant %+v", got, want)
	}
}

func TestGroupWithoutAPlaceholderValueIsRefused(t *testing.T) {
	var c struct {
		Place `cfg:"PARKS_" name:"parks"`
	}
	if err := Load("", &c); err == nil || !strings.Contains(err.Error(), "INCUCHAIN_PARKS_ADDR") || !strings.Contains(err.Error(), "{addr}") {
		t.Fatalf("want an error naming the setting and the placeholder, got %v", err)
	}
}
