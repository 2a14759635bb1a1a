package fhir_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/validation"
	gojson "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withRoles rewrites a Bundle of FromCase as EHRs that refer to people by
// PractitionerRole send it: every reference to a Practitioner becomes one to
// a PractitionerRole, whose organization is the one CareTeam.participant.
// onBehalfOf gave (R4 allows onBehalfOf for a Practitioner member only). With
// keep, the PractitionerRole (id "role-N") refers to the Practitioner, which
// stays in the Bundle; without, the PractitionerRole takes the Practitioner's
// place (its fullUrl and id) and carries the name as practitioner.display. It
// returns the Bundle and the "PractitionerRole/id" of each Practitioner's
// case UUID.
func withRoles(t testing.TB, bundle []byte, keep bool) (object, map[uuid.UUID]string) {
	t.Helper()
	var b object
	require.NoError(t, json.Unmarshal(bundle, &b))
	roleURL := map[string]string{}  // Practitioner fullUrl → PractitionerRole fullUrl
	roles := map[string]object{}    // Practitioner fullUrl → PractitionerRole
	refOf := map[uuid.UUID]string{} // case UUID → PractitionerRole/id
	entries := list(b["entry"])
	for n, e := range entries {
		res := obj(obj(e)["resource"])
		if res["resourceType"] != "Practitioner" {
			continue
		}
		full := obj(e)["fullUrl"].(string)
		caseID := uuid.MustParse(res["id"].(string))
		role := object{"resourceType": "PractitionerRole"}
		if keep {
			role["id"] = fmt.Sprintf("role-%d", n)
			role["practitioner"] = object{"reference": full}
			roleURL[full] = "https://ehr.example/fhir/PractitionerRole/" + role["id"].(string)
			b["entry"] = append(list(b["entry"]), object{"fullUrl": roleURL[full], "resource": role})
		} else {
			role["id"] = res["id"]
			if names, ok := res["name"].([]any); ok {
				role["practitioner"] = object{"display": obj(names[0])["text"]}
			}
			obj(e)["resource"] = role
		}
		roles[full] = role
		refOf[caseID] = "PractitionerRole/" + role["id"].(string)
	}
	ct, _ := entry(b, "CareTeam", 0)
	for _, p := range list(ct["participant"]) {
		m := obj(obj(p)["member"])
		if role := roles[m["reference"].(string)]; role != nil && obj(p)["onBehalfOf"] != nil {
			role["organization"] = obj(p)["onBehalfOf"]
			delete(obj(p), "onBehalfOf")
		}
	}
	var rewrite func(v any)
	rewrite = func(v any) {
		switch x := v.(type) {
		case object:
			if x["resourceType"] == "PractitionerRole" {
				return
			}
			if s, ok := x["reference"].(string); ok && roleURL[s] != "" {
				x["reference"] = roleURL[s]
			}
			for _, val := range x {
				rewrite(val)
			}
		case []any:
			for _, val := range x {
				rewrite(val)
			}
		}
	}
	rewrite(b)
	return b, refOf
}

func marshalObject(t *testing.T, b object) []byte {
	t.Helper()
	data, err := json.Marshal(b)
	require.NoError(t, err)
	return data
}

// TestPractitionerRoleAsPractitioner: every example case, with every
// Practitioner reference replaced by a PractitionerRole (with and without its
// Practitioner in the Bundle), reads as the same case and gives the same gaps,
// also when the Bundle is then rewritten as an EHR sends it (string ids,
// relative references, resources the mapping does not use).
func TestPractitionerRoleAsPractitioner(t *testing.T) {
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	for name, c := range exampleCases(t) {
		for _, keep := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/practitioner in the Bundle %v", name, keep), func(t *testing.T) {
				bundle, err := fhir.MarshalCase(c)
				require.NoError(t, err)
				b, refOf := withRoles(t, bundle, keep)
				data := marshalObject(t, b)
				require.Contains(t, string(data), `"PractitionerRole"`)

				got, src, err := fhir.Reader{Strict: true}.Read(data)
				require.NoError(t, err)
				assert.Equal(t, c, got, "the same participants, roles, sectors, organisations and attendance")
				assert.Equal(t, findingsOf(engine.Check(c)), findingsOf(engine.Check(got)))
				for _, p := range got.Meeting.Participants {
					if ref, ok := refOf[p.ID]; ok {
						assert.Equal(t, ref, src.Reference(p.ID), "the EHR's own record of the participant")
					}
				}

				indented, err := json.MarshalIndent(b, "", "  ") // as asAnEHRSendsIt expects
				require.NoError(t, err)
				ehr := asAnEHRSendsIt(t, indented)
				fromEHR, src, err := fhir.Reader{}.Read(ehr)
				require.NoError(t, err)
				assert.Len(t, src.Warnings(), 2)
				assert.Equal(t, findingsOf(engine.Check(c)), findingsOf(engine.Check(fromEHR)))
				require.Len(t, fromEHR.Meeting.Participants, len(c.Meeting.Participants))
				for i, p := range fromEHR.Meeting.Participants {
					want := c.Meeting.Participants[i]
					assert.Equal(t, []any{want.Role, want.Sector, want.Organization, want.Name}, []any{p.Role, p.Sector, p.Organization, p.Name})
					if _, ok := refOf[want.ID]; ok {
						assert.Regexp(t, `^PractitionerRole/(ehr|role)-\d+$`, src.Reference(p.ID))
					}
				}
			})
		}
	}
}

// TestPractitionerRoleOneParticipant: a PractitionerRole referred to more than
// once, or two PractitionerRoles of one Practitioner, are one participant.
func TestPractitionerRoleOneParticipant(t *testing.T) {
	c := everyField()
	data, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	tests := []struct {
		name string
		keep bool
		edit func(t *testing.T, b object) // after withRoles
	}{
		{name: "without practitioner, by fullUrl and by type and id", keep: false, edit: func(t *testing.T, b object) {
			p, _ := entry(b, "PractitionerRole", 0)
			ct, _ := entry(b, "CareTeam", 0)
			for _, m := range list(ct["participant"]) {
				member := obj(obj(m)["member"])
				if member["reference"] == "urn:uuid:"+p["id"].(string) {
					member["reference"] = "PractitionerRole/" + p["id"].(string)
				}
			}
		}},
		{name: "two PractitionerRoles of one Practitioner", keep: true, edit: func(t *testing.T, b object) {
			p, _ := entry(b, "PractitionerRole", 0)
			twin := object{"resourceType": "PractitionerRole", "id": "twin", "practitioner": p["practitioner"]}
			if org, ok := p["organization"]; ok {
				twin["organization"] = org
			}
			b["entry"] = append(list(b["entry"]), object{"fullUrl": "https://ehr.example/fhir/PractitionerRole/twin", "resource": twin})
			ct, _ := entry(b, "CareTeam", 0)
			for _, m := range list(ct["participant"]) {
				member := obj(obj(m)["member"])
				if member["reference"] == "https://ehr.example/fhir/PractitionerRole/"+p["id"].(string) {
					member["reference"] = "PractitionerRole/twin"
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := withRoles(t, data, tt.keep)
			tt.edit(t, b)
			got, _, err := fhir.Reader{}.Read(marshalObject(t, b))
			require.NoError(t, err)
			assert.Equal(t, c, got)
		})
	}

	t.Run("one PractitionerRole twice in the Appointment", func(t *testing.T) {
		b, _ := withRoles(t, data, false)
		a, _ := entry(b, "Appointment", 0)
		parts := list(a["participant"])
		var roleParts []int
		for k, p := range parts {
			actor, _ := obj(p)["actor"].(object)
			if ref, _ := actor["reference"].(string); ref != "" {
				if _, i := entryByURL(b, ref); i >= 0 && obj(obj(list(b["entry"])[i])["resource"])["resourceType"] == "PractitionerRole" {
					roleParts = append(roleParts, k)
				}
			}
		}
		require.GreaterOrEqual(t, len(roleParts), 2)
		obj(parts[roleParts[1]])["actor"] = obj(parts[roleParts[0]])["actor"]
		_, _, err := fhir.Reader{}.Read(marshalObject(t, b))
		require.ErrorIs(t, err, fhir.ErrMapping)
		assert.Contains(t, err.Error(), fmt.Sprintf("Bundle.entry[0].resource.participant[%d].actor.reference: refers to the actor of participant[%d] too", roleParts[1], roleParts[0]))
	})
}

// entryByURL returns the resource of the entry with fullUrl u, and its index (-1 when none).
func entryByURL(b object, u string) (object, int) {
	for i, e := range list(b["entry"]) {
		if obj(e)["fullUrl"] == u {
			return obj(obj(e)["resource"]), i
		}
	}
	return nil, -1
}

// TestPractitionerRoleIdentifiersNeverLeave: the Norwegian identifiers of a
// PractitionerRole (and of the reference to its practitioner) reach neither
// the case, nor its JSON, nor any error or warning.
func TestPractitionerRoleIdentifiersNeverLeave(t *testing.T) {
	data, err := fhir.MarshalCase(everyField())
	require.NoError(t, err)
	canaried := func(keep bool) object {
		b, _ := withRoles(t, data, keep)
		for n := 0; ; n++ {
			r, i := entryOrNone(b, "PractitionerRole", n)
			if i < 0 {
				break
			}
			r["identifier"] = []any{
				object{"system": fhir.SystemFodselsnummer, "value": canaryFnr},
				object{"system": fhir.SystemHPRNummer, "value": canaryFnr},
				object{"system": fhir.SystemHERID, "value": canaryDNummer},
			}
			if p, ok := r["practitioner"].(object); ok {
				p["identifier"] = object{"system": fhir.SystemHPRNummer, "value": canaryFnr}
			} else {
				r["practitioner"] = object{"identifier": object{"system": fhir.SystemFodselsnummer, "value": canaryFnr}}
			}
		}
		return b
	}
	check := func(t *testing.T, what string) {
		t.Helper()
		assert.NotContains(t, what, canaryFnr)
		assert.NotContains(t, what, canaryDNummer)
	}
	for _, keep := range []bool{true, false} {
		b := canaried(keep)
		in := marshalObject(t, b)
		require.Contains(t, string(in), canaryFnr)
		got, src, err := fhir.Reader{}.Read(in)
		require.NoError(t, err, "practitioner in the Bundle %v", keep)
		caseJSON, err := gojson.Marshal(got)
		require.NoError(t, err)
		check(t, string(caseJSON))
		check(t, fmt.Sprintf("%+v", got))
		check(t, fmt.Sprint(problemStrings(src.Warnings())))
	}

	variants := map[string]func(b object){
		"fødselsnummer as the PractitionerRole's id": func(b object) {
			r, _ := entry(b, "PractitionerRole", 0)
			r["id"] = canaryFnr
		},
		"practitioner referred to by fødselsnummer, to no entry": func(b object) {
			r, _ := entry(b, "PractitionerRole", 0)
			r["practitioner"] = object{"reference": "Practitioner/" + canaryFnr}
		},
		"HPR-nummer in the fullUrl": func(b object) {
			_, i := entry(b, "PractitionerRole", 0)
			obj(list(b["entry"])[i])["fullUrl"] = "https://ehr.example/fhir/PractitionerRole/hpr-" + canaryFnr
		},
		"organisation referred to by a fødselsnummer": func(b object) {
			r, _ := entry(b, "PractitionerRole", 0)
			r["organization"] = object{"reference": "Organization/" + canaryFnr}
		},
	}
	for name, edit := range variants {
		t.Run(name, func(t *testing.T) {
			b := canaried(true)
			edit(b)
			in := marshalObject(t, b)
			for _, strict := range []bool{false, true} {
				got, src, err := fhir.Reader{Strict: strict}.Read(in)
				require.Error(t, err, "strict %v", strict)
				assert.Nil(t, got)
				check(t, err.Error())
				check(t, fmt.Sprint(problemStrings(src.Warnings())))
			}
		})
	}
}

// entryOrNone is entry, with index -1 when there is no n-th resource of type typ.
func entryOrNone(b object, typ string, n int) (object, int) {
	for i, e := range list(b["entry"]) {
		if r := obj(obj(e)["resource"]); r["resourceType"] == typ {
			if n == 0 {
				return r, i
			}
			n--
		}
	}
	return nil, -1
}

// TestHostilePractitionerRoles: a PractitionerRole that stands for no
// Practitioner gives an error naming its element, never a panic.
func TestHostilePractitionerRoles(t *testing.T) {
	data, err := fhir.MarshalCase(everyField())
	require.NoError(t, err)
	tests := []struct {
		name string
		edit func(b object, role object, at string) // role is the first PractitionerRole, at its element path
		want func(at string) validation.Problem
	}{
		{name: "practitioner is a Patient",
			edit: func(b object, role object, at string) {
				_, pi := entry(b, "Patient", 0)
				role["practitioner"] = object{"reference": obj(list(b["entry"])[pi])["fullUrl"]}
			},
			want: func(at string) validation.Problem {
				return validation.Problem{Path: at + ".practitioner.reference", Message: "refers to a Patient, want Practitioner"}
			}},
		{name: "practitioner is the PractitionerRole itself",
			edit: func(b object, role object, at string) {
				role["practitioner"] = object{"reference": "PractitionerRole/" + role["id"].(string)}
			},
			want: func(at string) validation.Problem {
				return validation.Problem{Path: at + ".practitioner.reference", Message: "refers to a PractitionerRole, want Practitioner"}
			}},
		{name: "practitioner is another PractitionerRole",
			edit: func(b object, role object, at string) {
				other, _ := entry(b, "PractitionerRole", 1)
				role["practitioner"] = object{"reference": "PractitionerRole/" + other["id"].(string)}
			},
			want: func(at string) validation.Problem {
				return validation.Problem{Path: at + ".practitioner.reference", Message: "refers to a PractitionerRole, want Practitioner"}
			}},
		{name: "practitioner is a missing entry",
			edit: func(b object, role object, at string) {
				role["practitioner"] = object{"reference": "Practitioner/gone"}
			},
			want: func(at string) validation.Problem {
				return validation.Problem{Path: at + ".practitioner.reference", Message: "refers to no entry"}
			}},
		{name: "practitioner with an empty reference and nothing else",
			edit: func(b object, role object, at string) {
				role["practitioner"] = object{"reference": ""}
				role["modifierExtension"] = []any{object{"url": "https://ehr.example/x", "valueBoolean": true}}
			},
			want: func(at string) validation.Problem {
				return validation.Problem{Path: at + ".modifierExtension", Message: "is not understood"}
			}},
		{name: "organization is a Patient",
			edit: func(b object, role object, at string) {
				role["organization"] = object{"reference": "Patient/" + obj(obj(list(b["entry"])[1])["resource"])["id"].(string)}
			},
			want: func(at string) validation.Problem {
				return validation.Problem{Path: at + ".organization.reference", Message: "refers to a Patient, want Organization"}
			}},
		{name: "organization is a missing entry",
			edit: func(b object, role object, at string) {
				role["organization"] = object{"reference": "Organization/gone"}
			},
			want: func(at string) validation.Problem {
				return validation.Problem{Path: at + ".organization.reference", Message: "refers to no entry"}
			}},
		{name: "organization contradicts onBehalfOf",
			edit: func(b object, role object, at string) {
				ct, _ := entry(b, "CareTeam", 0)
				_, o0 := entry(b, "Organization", 0)
				_, o1 := entry(b, "Organization", 1)
				for _, p := range list(ct["participant"]) {
					if strings.HasSuffix(obj(obj(p)["member"])["reference"].(string), "/"+role["id"].(string)) {
						obj(p)["onBehalfOf"] = object{"reference": obj(list(b["entry"])[o0])["fullUrl"]}
						role["organization"] = object{"reference": obj(list(b["entry"])[o1])["fullUrl"]}
					}
				}
			},
			want: func(at string) validation.Problem {
				return validation.Problem{Message: "contradicts " + at + ".organization"}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := withRoles(t, data, true)
			role, ri := entry(b, "PractitionerRole", 0)
			at := fmt.Sprintf("Bundle.entry[%d].resource", ri)
			tt.edit(b, role, at)
			in := marshalObject(t, b)
			var c *casedoc.Case
			require.NotPanics(t, func() { c, _, err = fhir.Reader{}.Read(in) })
			require.Error(t, err)
			assert.Nil(t, c)
			require.ErrorIs(t, err, fhir.ErrMapping)
			var ve *validation.Error
			require.True(t, errors.As(err, &ve))
			want := tt.want(at)
			found := false
			for _, p := range ve.Problems {
				found = found || (want.Path == "" || p.Path == want.Path) && strings.HasPrefix(p.Message, want.Message)
			}
			assert.True(t, found, "want %v among:\n%v", want, err)
			if want.Path != "" {
				assert.Equal(t, 1, strings.Count(err.Error(), want.Path+":"), "reported once, however often the PractitionerRole is referred to")
			}
		})
	}
}

// practitionerRoleSeed is a Bundle of the every-field case whose people are
// PractitionerRoles, for the fuzz corpus.
func practitionerRoleSeed(f *testing.F) []byte {
	data, err := fhir.MarshalCase(everyField())
	require.NoError(f, err)
	b, _ := withRoles(f, data, true)
	// Half of them without their Practitioner: standing for the participant.
	for n := 0; ; n += 2 {
		r, i := entryOrNone(b, "PractitionerRole", n)
		if i < 0 {
			break
		}
		r["practitioner"] = object{"display": "Role " + fmt.Sprint(n)}
	}
	out, err := json.Marshal(b)
	require.NoError(f, err)
	return out
}
