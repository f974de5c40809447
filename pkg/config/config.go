// Package config loads a component's settings in one order everywhere:
// struct defaults, then a KEY=value file, then the environment. Every
// setting is declared once, on a struct field:
//
//	DSN string `cfg:"PARKS_DB" default:"sqlite://data/parks.db" help:"…"`
//
// and Describe lists them for the README's configuration table. Keys are
// used with the INCUCHAIN_ prefix in files and the environment.
//
// Settings that several components share in kind but not in name are
// declared once, on a struct that a component embeds as a group: a struct
// field with a cfg tag. The tag prefixes the keys of the struct's fields,
// and the group field's other tags fill the {placeholders} of their
// defaults and help, so
//
//	type Home struct {
//		DB string `cfg:"DB" default:"sqlite://data/{name}.db" help:"{name} database"`
//	}
//	type Config struct {
//		Home `cfg:"PARKS_" name:"parks"`
//	}
//
// declares PARKS_DB, default sqlite://data/parks.db, help "parks
// database". A group tag "KEY.default" or "KEY.help" (KEY the field's own
// key, DB above) replaces that field's default or help outright, for a
// component whose wording differs.
package config

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"regexp"
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
		key := f.Tag.Get("cfg")
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)) {
			inner := fn
			if key != "" {
				inner = func(v reflect.Value, s Setting) error {
					s, err := inGroup(f.Tag, key, s)
					if err != nil {
						return err
					}
					return fn(v, s)
				}
			}
			if err := walk(v.Field(i).Addr().Interface(), inner); err != nil {
				return err
			}
			continue
		}
		if key == "" {
			continue
		}
		if err := fn(v.Field(i), Setting{Key: key, Default: f.Tag.Get("default"), Help: f.Tag.Get("help")}); err != nil {
			return err
		}
	}
	return nil
}

// placeholder is a {name} in a grouped setting's default or help.
var placeholder = regexp.MustCompile(`\{[A-Za-z][A-Za-z0-9_-]*\}`)

// inGroup is s, declared in a group field with tag and key prefix: its key
// prefixed, its default and help overridden ("KEY.default", "KEY.help") or
// their placeholders filled from the group's tags. A placeholder the group
// does not fill is an error, not a default nobody meant.
func inGroup(tag reflect.StructTag, prefix string, s Setting) (Setting, error) {
	var missing string
	fill := func(attr, text string) string {
		if o, ok := tag.Lookup(s.Key + "." + attr); ok {
			return o
		}
		return placeholder.ReplaceAllStringFunc(text, func(p string) string {
			v, ok := tag.Lookup(p[1 : len(p)-1])
			if !ok {
				missing = p
				return p
			}
			return v
		})
	}
	s.Default, s.Help = fill("default", s.Default), fill("help", s.Help)
	s.Key = prefix + s.Key
	if missing != "" {
		return s, fmt.Errorf("config %s%s: the group gives no %s", Prefix, s.Key, missing)
	}
	return s, nil
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
