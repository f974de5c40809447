// Package config loads a component's settings in one order everywhere:
// struct defaults, then a KEY=value file, then the environment. Every
// setting is declared once, on a struct field:
//
//	DSN string `cfg:"PARKS_DB" default:"sqlite://data/parks.db" help:"…"`
//
// and Describe lists them for the README's configuration table. Keys are
// used with the INCUCHAIN_ prefix in files and the environment.
package config

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Prefix starts every environment variable name.
const Prefix = "INCUCHAIN_"

// Setting describes one configuration key.
type Setting struct {
	Key     string
	Default string
	Help    string
}

// Load fills every tagged field of the structs pointed to by dst: defaults,
// then values from file (if non-empty), then the environment.
func Load(file string, dst ...any) error {
	fileVals := map[string]string{}
	if file != "" {
		var err error
		if fileVals, err = readFile(file); err != nil {
			return err
		}
	}
	for _, d := range dst {
		if err := walk(d, func(f reflect.Value, s Setting) error {
			raw := s.Default
			if v, found := fileVals[Prefix+s.Key]; found {
				raw = v
			}
			if v, found := os.LookupEnv(Prefix + s.Key); found {
				raw = v
			}
			if err := set(f, raw); err != nil {
				return fmt.Errorf("config %s%s=%q: %w", Prefix, s.Key, raw, err)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// Describe lists the settings of the given structs, sorted by key.
func Describe(dst ...any) []Setting {
	var out []Setting
	for _, d := range dst {
		_ = walk(d, func(_ reflect.Value, s Setting) error {
			s.Key = Prefix + s.Key
			out = append(out, s)
			return nil
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Markdown renders settings as the README's table.
func Markdown(settings []Setting) string {
	var b strings.Builder
	b.WriteString("| variable | default | meaning |\n| --- | --- | --- |\n")
	for _, s := range settings {
		def := s.Default
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", s.Key, def, s.Help)
	}
	return b.String()
}

func walk(dst any, fn func(reflect.Value, Setting) error) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("config: want pointer to struct, got %T", dst)
	}
	v = v.Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)) && f.Tag.Get("cfg") == "" {
			if err := walk(v.Field(i).Addr().Interface(), fn); err != nil {
				return err
			}
			continue
		}
		key := f.Tag.Get("cfg")
		if key == "" {
			continue
		}
		if err := fn(v.Field(i), Setting{Key: key, Default: f.Tag.Get("default"), Help: f.Tag.Get("help")}); err != nil {
			return err
		}
	}
	return nil
}

func set(f reflect.Value, raw string) error {
	if f.Type() == reflect.TypeOf(time.Duration(0)) {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		f.SetInt(int64(d))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(raw)
	case reflect.Int, reflect.Int64:
		if raw == "" {
			f.SetInt(0)
			return nil
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return err
		}
		f.SetInt(n)
	case reflect.Bool:
		if raw == "" {
			f.SetBool(false)
			return nil
		}
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case reflect.Float64:
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return err
		}
		f.SetFloat(n)
	default:
		return fmt.Errorf("unsupported kind %s", f.Kind())
	}
	return nil
}

func readFile(path string) (map[string]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open config file: %w", err)
	}
	defer fh.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(fh)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("config file %s line %d: want KEY=value", path, n)
		}
		k = strings.TrimSpace(k)
		if !strings.HasPrefix(k, Prefix) {
			k = Prefix + k
		}
		out[k] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return out, sc.Err()
}
