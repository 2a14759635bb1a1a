package cdshooks_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks JSON against the JSON Schemas in testdata/schema, written
// from the CDS Hooks 2.0 specification and the CDSHooksResponse and
// CDSHooksServices logical models of HL7's FHIR tooling IG. The validator is
// the subset of JSON Schema 2020-12 those schemas use; a keyword outside the
// subset is an error, so a schema cannot silently ask for more than is
// checked.

const (
	responseSchema = "testdata/schema/cds-hooks-response.schema.json"
	servicesSchema = "testdata/schema/cds-hooks-services.schema.json"
)

var schemas sync.Map // file → map[string]any

func loadSchema(t testing.TB, file string) map[string]any {
	t.Helper()
	if s, ok := schemas.Load(file); ok {
		return s.(map[string]any)
	}
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var s map[string]any
	require.NoError(t, json.Unmarshal(data, &s))
	schemas.Store(file, s)
	return s
}

// validateJSON fails the test when data does not follow the schema in file.
func validateJSON(t testing.TB, file string, data []byte) {
	t.Helper()
	errs, err := schemaErrors(loadSchema(t, file), data)
	require.NoError(t, err)
	assert.Empty(t, errs, "%s: %s", file, data)
}

// schemaErrors returns where data breaks the schema; err is a broken schema
// or JSON.
func schemaErrors(schema map[string]any, data []byte) ([]string, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	vd := &validator{root: schema}
	vd.check(schema, v, "$")
	return vd.errs, vd.broken
}

type validator struct {
	root   map[string]any
	errs   []string
	broken error
}

func (vd *validator) fail(path, format string, args ...any) {
	vd.errs = append(vd.errs, path+": "+fmt.Sprintf(format, args...))
}

// valid reports whether v follows s, without recording errors.
func (vd *validator) valid(s any, v any, path string) bool {
	sub := &validator{root: vd.root}
	sub.check(s, v, path)
	if sub.broken != nil {
		vd.broken = sub.broken
	}
	return len(sub.errs) == 0
}

func (vd *validator) check(schema any, v any, path string) {
	s, ok := schema.(map[string]any)
	if !ok {
		if b, ok := schema.(bool); ok {
			if !b {
				vd.fail(path, "is not allowed")
			}
			return
		}
		vd.broken = fmt.Errorf("schema at %s is not an object", path)
		return
	}
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kw := s[k]
		switch k {
		case "$schema", "$id", "title", "description", "$defs":
		case "$ref":
			ref, _ := kw.(string)
			name, ok := strings.CutPrefix(ref, "#/$defs/")
			defs, _ := vd.root["$defs"].(map[string]any)
			target, found := defs[name]
			if !ok || !found {
				vd.broken = fmt.Errorf("unresolved $ref %q", ref)
				return
			}
			vd.check(target, v, path)
		case "type":
			if !hasType(v, kw.(string)) {
				vd.fail(path, "is not of type %s", kw)
			}
		case "enum":
			if !slices.ContainsFunc(kw.([]any), func(x any) bool { return equal(x, v) }) {
				vd.fail(path, "is not one of %v", kw)
			}
		case "const":
			if !equal(kw, v) {
				vd.fail(path, "is not %v", kw)
			}
		case "minLength", "maxLength", "pattern":
			str, ok := v.(string)
			if !ok {
				continue
			}
			switch k {
			case "minLength":
				if utf8.RuneCountInString(str) < int(kw.(float64)) {
					vd.fail(path, "is shorter than %v characters", kw)
				}
			case "maxLength":
				if utf8.RuneCountInString(str) > int(kw.(float64)) {
					vd.fail(path, "is longer than %v characters (%d)", kw, utf8.RuneCountInString(str))
				}
			case "pattern":
				if !regexp.MustCompile(kw.(string)).MatchString(str) {
					vd.fail(path, "does not match %s", kw)
				}
			}
		case "required":
			obj, ok := v.(map[string]any)
			if !ok {
				continue
			}
			for _, name := range kw.([]any) {
				if _, ok := obj[name.(string)]; !ok {
					vd.fail(path, "needs %s", name)
				}
			}
		case "properties":
			obj, ok := v.(map[string]any)
			if !ok {
				continue
			}
			for name, sub := range kw.(map[string]any) {
				if x, ok := obj[name]; ok {
					vd.check(sub, x, path+"."+name)
				}
			}
		case "additionalProperties":
			obj, ok := v.(map[string]any)
			if !ok {
				continue
			}
			props, _ := s["properties"].(map[string]any)
			for name, x := range obj {
				if _, known := props[name]; !known {
					vd.check(kw, x, path+"."+name)
				}
			}
		case "minProperties":
			if obj, ok := v.(map[string]any); ok && len(obj) < int(kw.(float64)) {
				vd.fail(path, "has fewer than %v members", kw)
			}
		case "dependentRequired":
			obj, ok := v.(map[string]any)
			if !ok {
				continue
			}
			for name, needs := range kw.(map[string]any) {
				if _, ok := obj[name]; !ok {
					continue
				}
				for _, n := range needs.([]any) {
					if _, ok := obj[n.(string)]; !ok {
						vd.fail(path, "has %s, so it needs %s", name, n)
					}
				}
			}
		case "items":
			arr, ok := v.([]any)
			if !ok {
				continue
			}
			for i, x := range arr {
				vd.check(kw, x, fmt.Sprintf("%s[%d]", path, i))
			}
		case "minItems", "maxItems":
			arr, ok := v.([]any)
			if !ok {
				continue
			}
			if k == "minItems" && len(arr) < int(kw.(float64)) || k == "maxItems" && len(arr) > int(kw.(float64)) {
				vd.fail(path, "has %d items (%s %v)", len(arr), k, kw)
			}
		case "contains":
			arr, ok := v.([]any)
			if !ok {
				continue
			}
			n := 0
			for i, x := range arr {
				if vd.valid(kw, x, fmt.Sprintf("%s[%d]", path, i)) {
					n++
				}
			}
			lo, hi := 1, len(arr)
			if m, ok := s["minContains"].(float64); ok {
				lo = int(m)
			}
			if m, ok := s["maxContains"].(float64); ok {
				hi = int(m)
			}
			if n < lo || n > hi {
				vd.fail(path, "has %d items that match contains (want %d to %d)", n, lo, hi)
			}
		case "minContains", "maxContains":
			if _, ok := s["contains"]; !ok {
				vd.broken = fmt.Errorf("%s without contains at %s", k, path)
			}
		case "allOf":
			for _, sub := range kw.([]any) {
				vd.check(sub, v, path)
			}
		case "not":
			if vd.valid(kw, v, path) {
				vd.fail(path, "matches a schema it must not match")
			}
		case "if":
			if vd.valid(kw, v, path) {
				if then, ok := s["then"]; ok {
					vd.check(then, v, path)
				}
			} else if els, ok := s["else"]; ok {
				vd.check(els, v, path)
			}
		case "then", "else":
			if _, ok := s["if"]; !ok {
				vd.broken = fmt.Errorf("%s without if at %s", k, path)
			}
		default:
			vd.broken = fmt.Errorf("keyword %q at %s is not supported by this validator", k, path)
		}
	}
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "null":
		return v == nil
	}
	return false
}

func equal(a, b any) bool {
	x, err1 := json.Marshal(a, json.Deterministic(true))
	y, err2 := json.Marshal(b, json.Deterministic(true))
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// TestCDSSchemaValidator shows that the validator and the response schema
// catch what CDS Hooks forbids, so that a passing check means something.
func TestCDSSchemaValidator(t *testing.T) {
	source := `"source":{"label":"collabmeet"}`
	for _, tc := range []struct {
		name, doc string
		valid     bool
	}{
		{"no cards", `{"cards":[]}`, true},
		{"a minimal card", `{"cards":[{"summary":"s","indicator":"info",` + source + `}]}`, true},
		{"cards missing", `{}`, false},
		{"cards null", `{"cards":null}`, false},
		{"unknown member", `{"cards":[],"card":[]}`, false},
		{"summary missing", `{"cards":[{"indicator":"info",` + source + `}]}`, false},
		{"summary of 139 characters", `{"cards":[{"summary":"` + strings.Repeat("é", 139) + `","indicator":"info",` + source + `}]}`, true},
		{"summary of 140 characters", `{"cards":[{"summary":"` + strings.Repeat("é", 140) + `","indicator":"info",` + source + `}]}`, false},
		{"indicator hard-stop (CDS Hooks 1.0)", `{"cards":[{"summary":"s","indicator":"hard-stop",` + source + `}]}`, false},
		{"source without label", `{"cards":[{"summary":"s","indicator":"info","source":{}}]}`, false},
		{"uuid not a UUID", `{"cards":[{"uuid":"card-1","summary":"s","indicator":"info",` + source + `}]}`, false},
		{"suggestions without selectionBehavior (cds-resp-6)", `{"cards":[{"summary":"s","indicator":"info",` + source +
			`,"suggestions":[{"label":"l","actions":[{"type":"update","description":"d","resource":{"resourceType":"Appointment"}}]}]}]}`, false},
		{"suggestions with selectionBehavior", `{"cards":[{"summary":"s","indicator":"info",` + source + `,"selectionBehavior":"at-most-one",` +
			`"suggestions":[{"label":"l","actions":[{"type":"update","description":"d","resource":{"resourceType":"Appointment"}}]}]}]}`, true},
		{"two recommended of at-most-one (cds-resp-1)", `{"cards":[{"summary":"s","indicator":"info",` + source + `,"selectionBehavior":"at-most-one",` +
			`"suggestions":[{"label":"a","isRecommended":true},{"label":"b","isRecommended":true}]}]}`, false},
		{"action without description (cds-resp-5)", `{"cards":[{"summary":"s","indicator":"info",` + source + `,"selectionBehavior":"any",` +
			`"suggestions":[{"label":"l","actions":[{"type":"update","resource":{"resourceType":"Appointment"}}]}]}]}`, false},
		{"update without resource", `{"cards":[{"summary":"s","indicator":"info",` + source + `,"selectionBehavior":"any",` +
			`"suggestions":[{"label":"l","actions":[{"type":"update","description":"d"}]}]}]}`, false},
		{"delete with a resource (cds-resp-2)", `{"cards":[{"summary":"s","indicator":"info",` + source + `,"selectionBehavior":"any",` +
			`"suggestions":[{"label":"l","actions":[{"type":"delete","description":"d","resourceId":"Appointment/1","resource":{"resourceType":"Appointment"}}]}]}]}`, false},
		{"override reason without display (cds-resp-4)", `{"cards":[{"summary":"s","indicator":"info",` + source + `,"overrideReasons":[{"code":"x"}]}]}`, false},
		{"empty override reasons", `{"cards":[{"summary":"s","indicator":"info",` + source + `,"overrideReasons":[]}]}`, false},
		{"appContext of an absolute link (cds-resp-3)", `{"cards":[{"summary":"s","indicator":"info",` + source +
			`,"links":[{"label":"l","url":"https://example.org","type":"absolute","appContext":"x"}]}]}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs, err := schemaErrors(loadSchema(t, responseSchema), []byte(tc.doc))
			require.NoError(t, err)
			assert.Equal(t, tc.valid, len(errs) == 0, "%v", errs)
		})
	}
	t.Run("an unsupported keyword is an error", func(t *testing.T) {
		_, err := schemaErrors(map[string]any{"format": "uri"}, []byte(`"x"`))
		assert.ErrorContains(t, err, `"format"`)
	})
}
