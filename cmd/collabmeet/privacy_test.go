package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/validation"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// canary is put into every free-text field. It has capitals and a space, so
// it never looks like a code that an error message may quote; canaryTrace is
// what is searched for, case-insensitively, in everything collabmeet writes.
const (
	canary      = "Kari CANARY-Zq9x"
	canaryTrace = "canary-zq9x"
)

func leaks(s string) bool { return strings.Contains(strings.ToLower(s), canaryTrace) }

// assertNoCanary fails when out carries the canary, showing where.
func assertNoCanary(t *testing.T, out, what string) {
	t.Helper()
	if i := strings.Index(strings.ToLower(out), canaryTrace); i >= 0 {
		from, to := max(0, i-120), min(len(out), i+60)
		t.Errorf("%s carries free text of a case: …%s…", what, out[from:to])
	}
}

// markCase puts the canary, with the field's name, into every free-text
// field of c: the platform, each participant's name, organization and
// purpose, each agenda title, each patient goal and action description.
func markCase(c *casedoc.Case) {
	m := &c.Meeting
	m.Platform = canary + " platform"
	for i := range m.Participants {
		p := &m.Participants[i]
		p.Name = fmt.Sprintf("%s name %d", canary, i)
		p.Organization = fmt.Sprintf("%s organization %d", canary, i)
		p.Purpose = fmt.Sprintf("%s purpose %d", canary, i)
	}
	for i := range m.Agenda {
		m.Agenda[i].Title = fmt.Sprintf("%s title %d", canary, i)
	}
	if c.Plan != nil {
		c.Plan.PatientGoals = append(c.Plan.PatientGoals, canary+" goal")
		for i := range c.Plan.PatientGoals {
			c.Plan.PatientGoals[i] = fmt.Sprintf("%s goal %d", canary, i)
		}
		for i := range c.Plan.Actions {
			c.Plan.Actions[i].Description = fmt.Sprintf("%s action %d", canary, i)
		}
	}
}

// brokenEverywhere breaks as many recommendations as a valid case can, so
// that reports hold many findings about every kind of subject.
func brokenEverywhere(c *casedoc.Case) {
	m := &c.Meeting
	for k := range m.Participants {
		p := &m.Participants[k]
		p.JoinsAtItem, p.LeavesAfterItem = m.Agenda[len(m.Agenda)-1].ID, uuid.Nil
		p.ChangingSoon, p.ChoseLocation, p.PriorContact = true, false, false
	}
	for i := range m.Agenda {
		m.Agenda[i].Sensitive, m.Agenda[i].Minutes = true, 1
	}
	m.Kind, m.Format, m.DurationMinutes, m.Status = meeting.KindCollaboration, meeting.FormatHybrid, 5, meeting.StatusHeld
	if c.Plan != nil {
		for i := range c.Plan.Actions {
			c.Plan.Actions[i].Due = time.Time{}
		}
		c.Plan.Recipients = []uuid.UUID{m.Participants[len(m.Participants)-1].ID}
		c.Plan.DistributedAt = m.Start.AddDate(0, 1, 0)
	}
	c.Consents = nil
}

// privacyCorpus writes the valid cases of the canary test to dir, marked:
// the example cases, each also broken everywhere, generated cases, and
// FHIR Bundles of some of them. It returns the files and the cases' JSON.
func privacyCorpus(t *testing.T, dir string) (files []string, docs [][]byte) {
	t.Helper()
	var cases []*casedoc.Case
	examples, err := filepath.Glob(casesDir + "*.json")
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	for _, ex := range examples {
		for _, broken := range []bool{false, true} {
			c, err := casedoc.ReadFile(ex)
			require.NoError(t, err)
			if broken {
				brokenEverywhere(c)
			}
			cases = append(cases, c)
		}
	}
	g := casegen.New(2718)
	for range 12 {
		cases = append(cases, g.Case())
	}
	for i, c := range cases {
		markCase(c)
		require.NoError(t, c.Validate(), "case %d stays valid", i)
		data, err := jsonv2.Marshal(c)
		require.NoError(t, err)
		require.True(t, leaks(string(data)), "the case carries the canary")
		name := filepath.Join(dir, fmt.Sprintf("case-%02d.json", i))
		require.NoError(t, os.WriteFile(name, data, 0o600))
		files, docs = append(files, name), append(docs, data)
		if i%3 == 0 {
			bundle, err := fhir.MarshalCase(c)
			require.NoError(t, err)
			require.True(t, leaks(string(bundle)), "the Bundle carries the canary")
			name := filepath.Join(dir, fmt.Sprintf("case-%02d.fhir.json", i))
			require.NoError(t, os.WriteFile(name, bundle, 0o600))
			files = append(files, name)
		}
	}
	return files, docs
}

// replaceOnce replaces the first old in doc by new, and fails when doc has no old.
func replaceOnce(t *testing.T, doc []byte, old, new string) []byte {
	t.Helper()
	require.Contains(t, string(doc), old)
	return bytes.Replace(doc, []byte(old), []byte(new), 1)
}

// invalidCases are marked case documents made invalid in every way that puts
// the canary, or the text around it, near an error: free text beside
// problems, the canary where a code, an ID, a time, a number, a key or a
// list of sectors belongs, a truncated or oversized document.
func invalidCases(t *testing.T, doc []byte) map[string][]byte {
	t.Helper()
	c, err := casedoc.Unmarshal(doc)
	require.NoError(t, err)
	p := c.Meeting.Participants[0]
	name := `"name":` + string(must(jsonv2.Marshal(p.Name)))
	q := func(s string) string { return string(must(jsonv2.Marshal(s))) }
	variants := map[string][]byte{
		"problems beside free text":  replaceOnce(t, replaceOnce(t, doc, `"duration_minutes":`, `"duration_minutes":0,"x_duration":`), `"role":"patient"`, `"role":"gp"`),
		"canary as a role":           replaceOnce(t, doc, `"role":"patient"`, `"role":`+q(canary)),
		"canary as a sector":         replaceOnce(t, doc, `"sector":"patient"`, `"sector":`+q(canary)),
		"canary as a kind":           replaceOnce(t, doc, `"kind":"`+string(c.Meeting.Kind)+`"`, `"kind":`+q(canary)),
		"canary as a status":         replaceOnce(t, doc, `"status":"`+string(c.Meeting.Status)+`"`, `"status":`+q(canary)),
		"canary as a location":       replaceOnce(t, doc, `"location":"`, `"location":`+q(canary)+`,"x":"`),
		"canary as an ID":            replaceOnce(t, doc, `"id":"`+p.ID.String()+`"`, `"id":`+q(canary)),
		"canary as a reference":      replaceOnce(t, doc, `"leader_id":"`, `"leader_id":`+q(canary)+`,"x":"`),
		"canary in a list of IDs":    replaceOnce(t, doc, `"sent_to":[`, `"sent_to":[`+q(canary)+`,`),
		"canary as a time":           replaceOnce(t, doc, `"start":"`, `"start":`+q(canary)+`,"x":"`),
		"canary as minutes":          replaceOnce(t, doc, `"duration_minutes":`, `"duration_minutes":`+q(canary)+`,"x":`),
		"canary as a key":            replaceOnce(t, doc, name, name+`,`+q(canary)+`:1`),
		"canary as a top-level key":  replaceOnce(t, doc, `{"meeting":`, `{`+q(canary)+`:1,"meeting":`),
		"name repeated":              replaceOnce(t, doc, name, `"name":"Kari",`+name),
		"name of the wrong type":     replaceOnce(t, doc, name, `"name":{`+q(canary)+`:`+q(canary)+`}`),
		"name a list":                replaceOnce(t, doc, name, `"name":[`+q(canary)+`]`),
		"name with invalid UTF-8":    replaceOnce(t, doc, name, `"name":"`+canary+"\xff\xfe"+`"`),
		"canary unquoted":            replaceOnce(t, doc, name, `"name":`+canary),
		"canary as a sector named":   replaceOnce(t, doc, `"plan":{`, `"plan":{"informed_only_sectors":[`+q(canary)+`],`),
		"truncated in free text":     doc[:bytes.Index(doc, []byte(canary))+len(canary)+3],
		"over the size limit":        replaceOnce(t, doc, name, `"name":"`+strings.Repeat(canary+" ", casedoc.DefaultMaxBytes/len(canary))+`"`),
		"trailing free text":         append(bytes.Clone(doc), []byte(" "+canary)...),
		"trailing document":          append(bytes.Clone(doc), []byte(`{"name":`+q(canary)+`}`)...),
		"byte-order mark":            append([]byte("\xef\xbb\xbf"), doc...),
		"free text, no meeting data": []byte(`{"meeting":{"platform":` + q(canary) + `,"participants":[{"name":` + q(canary) + `,"purpose":` + q(canary) + `}]}}`),
	}
	if len(c.Consents) > 0 {
		patient := `"patient_id":"` + c.Meeting.PatientID.String() + `","grantee_id"`
		variants["consent of another patient"] = replaceOnce(t, doc, patient, `"patient_id":"`+uuid.NewSHA1(uuid.Nil, []byte("other")).String()+`","grantee_id"`)
	}
	return variants
}

// invalidBundles are marked FHIR Bundles made invalid with the canary near
// or in the broken place.
func invalidBundles(t *testing.T, bundle []byte) map[string][]byte {
	t.Helper()
	q := func(s string) string { return string(must(jsonv2.Marshal(s))) }
	return map[string][]byte{
		"canary as a resource type": replaceOnce(t, bundle, `"resourceType": "Appointment"`, `"resourceType": `+q(canary)),
		"canary as a code":          replaceOnce(t, bundle, `"valueCode": "home"`, `"valueCode": `+q(canary)),
		"canary as a role code":     replaceOnce(t, bundle, `"code": "patient"`, `"code": `+q(canary)),
		"canary as a reference":     replaceOnce(t, bundle, `"reference": "urn:uuid:`, `"reference": `+q(canary)+`, "display": "urn:uuid:`),
		"canary as an extension":    replaceOnce(t, bundle, `"url": "title"`, `"url": `+q(canary)),
		"canary as a time":          replaceOnce(t, bundle, `"start": "`, `"start": `+q(canary)+`, "x": "`),
		"canary as minutes":         replaceOnce(t, bundle, `"valueUnsignedInt": `, `"valueUnsignedInt": `+q(canary)+`, "x": `),
		"canary as a key":           replaceOnce(t, bundle, `"type": "collection",`, `"type": "collection", `+q(canary)+`: 1,`),
		"truncated in free text":    bundle[:bytes.Index(bundle, []byte(canary))+len(canary)+3],
		"no start":                  replaceOnce(t, bundle, `"start": "`, `"x_start": "`),
	}
}

// TestPrivacyCanary puts a canary into every free-text field of many cases
// (the example cases, the same broken everywhere, generated cases, FHIR
// Bundles of them, and invalid variants of all) and fails if it appears in
// any report format of check, any aggregate format of report, any error
// message of the library (decoding, validation, policy, FHIR), or anything
// the command line writes to stderr.
func TestPrivacyCanary(t *testing.T) {
	dir := t.TempDir()
	files, docs := privacyCorpus(t, dir)

	// A policy that exercises waivers (expired and applying), severities
	// and parameters, so that reports carry every kind of result.
	policy := filepath.Join(dir, "policy.json")
	require.NoError(t, os.WriteFile(policy, []byte(`{"profile": "thorough",
		"severity": {"MC-06": "required"}, "params": {"notice_days": 5},
		"waivers": [{"id": "AP-04", "meeting_id": "*", "reason": "agreed by the clinic", "expires": "2100-01-01T00:00:00Z"},
		            {"id": "MC-08", "meeting_id": "*", "reason": "agreed by the clinic", "expires": "2000-01-01T00:00:00Z"}]}`), 0o600))

	// Every report format of check.
	for _, format := range reportFormats() {
		for _, withPolicy := range []bool{false, true} {
			args := []string{"check", "--format", format, "--fail-on", "advisory"}
			if withPolicy {
				args = append(args, "--policy", policy)
			}
			code, stdout, stderr := cli(t, append(args, files...)...)
			assert.Equal(t, exitGaps, code, "%s: %s", format, stderr)
			require.NotEmpty(t, stdout)
			assertNoCanary(t, stdout, "check --format "+format)
			assert.Empty(t, stderr, "check --format %s", format)
		}
	}

	// Invalid case documents: library errors and the command line's stderr.
	var badFiles []string
	var ndjson strings.Builder
	for _, doc := range docs {
		ndjson.Write(doc)
		ndjson.WriteByte('\n')
	}
	for i, doc := range docs[:4] {
		for name, bad := range invalidCases(t, doc) {
			require.True(t, leaks(string(bad)), "%s: the input carries the canary", name)
			_, err := casedoc.Unmarshal(bad)
			require.Error(t, err, name)
			assertNoCanary(t, err.Error(), "casedoc error ("+name+")")
			var verr *validation.Error
			if errors.As(err, &verr) {
				for _, p := range verr.Problems {
					assertNoCanary(t, p.Path+p.Message, "casedoc problem ("+name+")")
				}
			}
			_, err = casedoc.Decoder{SkipValidation: true, MaxBytes: 64 << 20}.Unmarshal(bad)
			if err != nil {
				assertNoCanary(t, err.Error(), "casedoc error, validation skipped ("+name+")")
			}
			if c, err := (casedoc.Decoder{SkipValidation: true, MaxBytes: 64 << 20}).Unmarshal(bad); err == nil {
				assertNoCanary(t, fmt.Sprint(c.Validate()), "Validate ("+name+")")
			}
			file := filepath.Join(dir, fmt.Sprintf("invalid-%d-%s.json", i, strings.ReplaceAll(name, " ", "-")))
			require.NoError(t, os.WriteFile(file, bad, 0o600))
			badFiles = append(badFiles, file)
			if !bytes.Contains(bad, []byte("\n")) && len(bad) < casedoc.DefaultMaxBytes {
				ndjson.Write(bad)
				ndjson.WriteByte('\n')
			}
		}
	}

	// Invalid FHIR Bundles.
	bundle, err := fhir.MarshalCase(must(casedoc.Unmarshal(docs[0])))
	require.NoError(t, err)
	for name, bad := range invalidBundles(t, bundle) {
		require.True(t, leaks(string(bad)), "%s: the input carries the canary", name)
		_, err := fhir.UnmarshalCase(bad)
		if name == "canary as a key" {
			require.NoError(t, err, "FHIR readers ignore members they do not know")
			continue
		}
		require.Error(t, err, name)
		assertNoCanary(t, err.Error(), "fhir error ("+name+")")
		file := filepath.Join(dir, "invalid-"+strings.ReplaceAll(name, " ", "-")+".fhir.json")
		require.NoError(t, os.WriteFile(file, bad, 0o600))
		badFiles = append(badFiles, file)
	}

	// The command line on the bad files: check (each format), convert.
	for _, format := range []string{"text", "json"} {
		code, stdout, stderr := cli(t, append([]string{"check", "--format", format}, append(badFiles, files[0])...)...)
		assert.Equal(t, exitBadInput, code)
		assert.GreaterOrEqual(t, strings.Count(stderr, "\n"), len(badFiles), "every bad file is reported")
		assertNoCanary(t, stderr, "check stderr")
		assertNoCanary(t, stdout, "check stdout")
	}
	for _, file := range badFiles {
		for _, to := range []string{"fhir", "case"} {
			code, _, stderr := cli(t, "convert", "--to", to, file)
			if code != exitOK {
				assertNoCanary(t, stderr, "convert stderr")
			}
		}
	}

	// Every aggregate format of report, over the valid and invalid lines.
	// The corpus holds invalid lines, so report exits 2, as check does on a
	// bad file, and still writes the aggregate of the valid ones.
	for _, format := range aggregateFormats() {
		for _, args := range [][]string{{"report", "--format", format}, {"report", "--format", format, "--policy", policy, "--workers", "3"}} {
			code, stdout, stderr := runCommand(t, ndjson.String(), args...)
			assert.Equal(t, exitBadInput, code, "%v: %s", args, stderr)
			require.NotEmpty(t, stdout)
			require.NotEmpty(t, stderr, "the invalid lines are reported")
			assertNoCanary(t, stdout, "report --format "+format)
			assertNoCanary(t, stderr, "report stderr")
		}
	}

	// Policy errors: a policy whose waiver reasons carry the canary and that
	// is refused, in the library and on the command line.
	q := string(must(jsonv2.Marshal(canary)))
	badPolicies := map[string]string{
		"protected waived":   `{"waivers": [{"id": "CS-08", "meeting_id": "*", "reason": ` + q + `, "expires": "2100-01-01T00:00:00Z"}]}`,
		"no expiry":          `{"waivers": [{"id": "MC-08", "meeting_id": "*", "reason": ` + q + `}]}`,
		"bad meeting":        `{"waivers": [{"id": "MC-08", "meeting_id": "x", "reason": ` + q + `, "expires": "2100-01-01T00:00:00Z"}]}`,
		"bad expiry":         `{"waivers": [{"id": "MC-08", "meeting_id": "*", "reason": ` + q + `, "expires": ` + q + `}]}`,
		"reason wrong type":  `{"waivers": [{"id": "MC-08", "meeting_id": "*", "reason": {"text": ` + q + `}}]}`,
		"unknown and reason": `{"disable": ["XX-01"], "waivers": [{"id": "MC-08", "meeting_id": "*", "reason": ` + q + `, "expires": "2100-01-01T00:00:00Z"}]}`,
		"truncated":          `{"waivers": [{"id": "MC-08", "meeting_id": "*", "reason": ` + q[:10],
	}
	for name, doc := range badPolicies {
		p, err := recommend.UnmarshalPolicy([]byte(doc))
		if err == nil {
			_, err = recommend.New(catalogue.Builtin(), p)
		}
		require.Error(t, err, name)
		assertNoCanary(t, err.Error(), "policy error ("+name+")")
		file := filepath.Join(dir, "policy-"+strings.ReplaceAll(name, " ", "-")+".json")
		require.NoError(t, os.WriteFile(file, []byte(doc), 0o600))
		for _, args := range [][]string{{"check", "--policy", file, files[0]}, {"report", "--policy", file}} {
			code, stdout, stderr := runCommand(t, ndjson.String(), args...)
			assert.Equal(t, exitBadInput, code, "%s: %v", name, args)
			assertNoCanary(t, stderr+stdout, "policy error on the command line ("+name+")")
		}
	}
}
