package fhir_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	gojson "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Synthetic Norwegian identity numbers (month or day shifted as the Norwegian
// tax administration does for test numbers, with valid check digits): no
// person has them.
const (
	canaryFnr     = "31929910020" // fødselsnummer shape
	canaryDNummer = "41809910073" // D-nummer shape
)

// ehrBundle rewrites the Bundle of c the way an EHR sends it: string ids
// ("ehr-N"), RESTful fullUrls, relative "Type/id" references, Norwegian
// identifiers on every person and organisation (fødselsnummer-shaped values
// in all), an Observation and an Encounter. It returns the Bundle, the case
// UUID each resource UUID becomes, and the "Type/id" of each.
func ehrBundle(t *testing.T, c *casedoc.Case) (object, map[uuid.UUID]uuid.UUID, map[uuid.UUID]string) {
	t.Helper()
	data, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	var b object
	require.NoError(t, json.Unmarshal(data, &b))
	newID := map[uuid.UUID]uuid.UUID{}
	refOf := map[uuid.UUID]string{}
	relative := map[string]string{} // urn:uuid:… → Type/ehr-N
	for n, e := range list(b["entry"]) {
		r := obj(obj(e)["resource"])
		typ := r["resourceType"].(string)
		old := uuid.MustParse(r["id"].(string))
		id := fmt.Sprintf("ehr-%d", n)
		full := "https://ehr.example/fhir/" + typ + "/" + id
		relative[obj(e)["fullUrl"].(string)] = typ + "/" + id
		obj(e)["fullUrl"] = full
		r["id"] = id
		newID[old] = uuid.NewSHA1(fhir.IDNamespace, []byte(full))
		refOf[newID[old]] = typ + "/" + id
		switch typ {
		case "Patient", "Practitioner", "RelatedPerson":
			ids, _ := r["identifier"].([]any)
			r["identifier"] = append(ids,
				object{"system": fhir.SystemFodselsnummer, "value": canaryFnr},
				object{"system": fhir.SystemDNummer, "value": canaryDNummer},
				object{"system": fhir.SystemHPRNummer, "value": canaryFnr},
				object{"system": "urn:oid:2.16.578.1.12.4.1.4.3", "value": canaryFnr})
		case "Organization":
			r["identifier"] = []any{
				object{"system": fhir.SystemOrganisasjonsnummer, "value": canaryFnr},
				object{"system": fhir.SystemHERID, "value": canaryFnr},
				object{"system": fhir.SystemRESHID, "value": canaryFnr}}
		}
	}
	var rewrite func(v any) any
	rewrite = func(v any) any {
		switch x := v.(type) {
		case object:
			for k, val := range x {
				if s, ok := val.(string); ok && k == "reference" && relative[s] != "" {
					x[k] = relative[s]
				} else {
					x[k] = rewrite(val)
				}
			}
		case []any:
			for i := range x {
				x[i] = rewrite(x[i])
			}
		}
		return v
	}
	rewrite(b)
	b["entry"] = append(list(b["entry"]),
		object{"fullUrl": "https://ehr.example/fhir/Observation/pain-1", "resource": object{"resourceType": "Observation", "id": "pain-1", "status": "final",
			"code": object{"text": "Pain score"}, "subject": object{"reference": "Patient/ehr-1"}, "valueString": canaryFnr}},
		object{"fullUrl": "https://ehr.example/fhir/Encounter/enc-1", "resource": object{"resourceType": "Encounter", "id": "enc-1", "status": "planned",
			"class": object{"code": "VR"}, "identifier": []any{object{"system": fhir.SystemFodselsnummer, "value": canaryFnr}}}})
	return b, newID, refOf
}

// remapUUIDs replaces, in place, every UUID reachable from v that is a key of m.
func remapUUIDs(v reflect.Value, m map[uuid.UUID]uuid.UUID) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			remapUUIDs(v.Elem(), m)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				remapUUIDs(v.Field(i), m)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			remapUUIDs(v.Index(i), m)
		}
	case reflect.Array:
		if u, ok := v.Interface().(uuid.UUID); ok {
			if n, ok := m[u]; ok && v.CanSet() {
				v.Set(reflect.ValueOf(n))
			}
		}
	}
}

func TestReadBundleAsEHRsSendIt(t *testing.T) {
	c := everyField()
	b, newID, refOf := ehrBundle(t, c)
	data, err := json.Marshal(b)
	require.NoError(t, err)

	got, src, err := fhir.Reader{}.Read(data)
	require.NoError(t, err)
	want := everyField()
	remapUUIDs(reflect.ValueOf(want), newID)
	assert.Equal(t, want, got, "the case is the case put in, with the UUIDs of the EHR's ids")

	t.Run("warnings name the type and entry only", func(t *testing.T) {
		n := len(list(b["entry"]))
		assert.Equal(t, []string{
			fmt.Sprintf(`Bundle.entry[%d].resource: "Observation" is not used by the mapping to a case, and was skipped`, n-2),
			fmt.Sprintf(`Bundle.entry[%d].resource: "Encounter" is not used by the mapping to a case, and was skipped`, n-1),
		}, problemStrings(src.Warnings()))
	})
	t.Run("original references", func(t *testing.T) {
		for _, id := range newID {
			if typ, _, _ := strings.Cut(refOf[id], "/"); typ != "Organization" && typ != "CareTeam" { // no UUID of the case
				assert.Equal(t, refOf[id], src.Reference(id))
			}
		}
		assert.Equal(t, "Appointment/ehr-0", src.Reference(got.Meeting.ID))
		assert.Equal(t, "Patient/ehr-1", src.Reference(got.Meeting.PatientID))
		assert.Equal(t, "Patient/ehr-1", src.Reference(got.Meeting.Participants[0].ID), "the patient participant shares the Patient")
		assert.Empty(t, src.Reference(got.Meeting.MinuteTakerID), "a participant outside the Bundle has no resource")
		assert.Empty(t, src.Reference(uuid.New()))
		var none *fhir.Source
		assert.Empty(t, none.Reference(got.Meeting.ID))
		assert.Empty(t, none.Expression("meeting"))
		assert.Empty(t, none.Warnings())
	})
	t.Run("expressions", func(t *testing.T) {
		tests := map[string]string{
			"meeting":                               "Bundle.entry[0].resource",
			"meeting.start":                         "Bundle.entry[0].resource.start",
			"meeting.duration_minutes":              "Bundle.entry[0].resource.minutesDuration",
			"meeting.format":                        "Bundle.entry[0].resource.extension[0]",
			"meeting.leader_id":                     "Bundle.entry[0].resource.extension[2]",
			"meeting.participants[3]":               "Bundle.entry[0].resource.participant[3]",
			"meeting.participants[3].role":          "Bundle.entry[0].resource.participant[3].type",
			"meeting.participants[3].sector":        "Bundle.entry[16].resource.participant[3].role",
			"meeting.participants[3].organization":  "Bundle.entry[16].resource.participant[3].onBehalfOf",
			"meeting.participants[1].organization":  "Bundle.entry[16].resource.participant[1].extension[0]",
			"meeting.participants[0].name":          "Bundle.entry[1].resource.name",
			"meeting.participants[4].joins_at_item": "Bundle.entry[0].resource.participant[4].extension[2]",
			"meeting.participants[2].successor_id":  "Bundle.entry[0].resource.participant[2].extension[3]",
			"meeting.participants[6].prior_contact": "Bundle.entry[0].resource.participant[6]",
			"meeting.agenda[2]":                     "Bundle.entry[0].resource.extension[8]",
			"meeting.agenda[2].minutes":             "Bundle.entry[0].resource.extension[8].extension[3]",
			"meeting.agenda[0].lead_id":             "Bundle.entry[0].resource.extension[6].extension[4]",
			"meeting.preparation.sent_to[1]":        "Bundle.entry[0].resource.extension[11].extension[3]",
			"meeting.pathway.referral_received_at":  "Bundle.entry[0].resource.extension[5].extension[0]",
			"consents[0]":                           "Bundle.entry[17].resource",
			"consents[1].expires_at":                "Bundle.entry[18].resource.provision.period.end",
			"consents[1].withdrawn_at":              "Bundle.entry[18].resource.extension[0]",
			"consents[0].grantee_id":                "Bundle.entry[17].resource.provision.actor[0].reference",
			"consents[0].scopes[1]":                 "Bundle.entry[17].resource.provision.action[1]",
			"plan":                                  "Bundle.entry[20].resource",
			"plan.patient_goals[1]":                 "Bundle.entry[20].resource.goal[1]",
			"plan.follow_up.contact_person_id":      "Bundle.entry[20].resource.extension[2].extension[3]",
			"plan.recipients[2]":                    "Bundle.entry[20].resource.extension[7]",
			"plan.actions[1]":                       "Bundle.entry[22].resource",
			"plan.actions[1].owner_id":              "Bundle.entry[22].resource.owner",
			"plan.actions[0].due":                   "Bundle.entry[21].resource.restriction.period.end",
			"plan.actions[2].kind":                  "Bundle.entry[23].resource.code",
			"no.such.path":                          "",
			"":                                      "",
		}
		for path, want := range tests {
			assert.Equal(t, want, src.Expression(path), path)
		}
	})
	t.Run("strict refuses the resources it does not use", func(t *testing.T) {
		_, src, err := fhir.Reader{Strict: true}.Read(data)
		require.ErrorIs(t, err, fhir.ErrMapping)
		assert.Contains(t, err.Error(), `"Observation" is not mapped to the case`)
		assert.Contains(t, err.Error(), `"Encounter" is not mapped to the case`)
		assert.Empty(t, src.Warnings())
	})
	t.Run("the same Bundle gives the same case", func(t *testing.T) {
		again, _, err := fhir.Reader{}.Read(data)
		require.NoError(t, err)
		assert.Equal(t, got, again)
	})
}

// TestReferencesByBundleRules resolves relative references against the
// RESTful fullUrl of the entry that holds them, as FHIR's Bundle rules say,
// before falling back to the type and id.
func TestReferencesByBundleRules(t *testing.T) {
	c := everyField()
	b, newID, _ := ehrBundle(t, c)
	// A second server's Practitioner with the same Type/id as the leader's:
	// the Appointment's references are relative to its own server's base.
	leader, _ := entry(b, "Practitioner", 1)
	twin := object{}
	for k, v := range leader {
		twin[k] = v
	}
	b["entry"] = append(list(b["entry"]), object{"fullUrl": "https://other.example/fhir/Practitioner/" + leader["id"].(string), "resource": twin})
	data, err := json.Marshal(b)
	require.NoError(t, err)
	got, _, err := fhir.Reader{}.Read(data)
	require.NoError(t, err)
	assert.Equal(t, newID[c.Meeting.LeaderID], got.Meeting.LeaderID)

	// With urn:uuid fullUrls there is no base: by type and id, and a versioned reference too.
	data, err = fhir.MarshalCase(c)
	require.NoError(t, err)
	b = object{}
	require.NoError(t, json.Unmarshal(data, &b))
	a, _ := entry(b, "Appointment", 0)
	actor := obj(obj(list(a["participant"])[2])["actor"])
	actor["reference"] = "Practitioner/" + c.Meeting.Participants[2].ID.String() + "/_history/3"
	data, err = json.Marshal(b)
	require.NoError(t, err)
	got, _, err = fhir.Reader{}.Read(data)
	require.NoError(t, err)
	assert.Equal(t, c, got)
}

// TestIdentifiersNeverLeave is the canary of Norwegian identifiers: a
// fødselsnummer-shaped value in every identifier of a Bundle (and in an
// Observation) never reaches the case, its JSON, the Source, any error or any
// warning — for the good Bundle and for broken variants of it.
func TestIdentifiersNeverLeave(t *testing.T) {
	c := everyField()
	b, _, _ := ehrBundle(t, c)
	data, err := json.Marshal(b)
	require.NoError(t, err)
	require.Contains(t, string(data), canaryFnr, "the canary is in the Bundle")

	check := func(t *testing.T, what string) {
		t.Helper()
		assert.NotContains(t, what, canaryFnr)
		assert.NotContains(t, what, canaryDNummer)
	}
	got, src, err := fhir.Reader{}.Read(data)
	require.NoError(t, err)
	caseJSON, err := gojson.Marshal(got)
	require.NoError(t, err)
	check(t, string(caseJSON))
	check(t, fmt.Sprintf("%+v", got))
	check(t, fmt.Sprint(problemStrings(src.Warnings())))
	back, err := fhir.MarshalCase(got)
	require.NoError(t, err)
	check(t, string(back))

	// Broken variants: every error and warning, lenient and strict.
	variants := map[string]func(b object){
		"identifier value where a participant id belongs": func(b object) {
			p, _ := entry(b, "Patient", 0)
			p["identifier"] = append(list(p["identifier"]), object{"system": fhir.SystemParticipantID, "value": canaryFnr})
		},
		"fødselsnummer as an id": func(b object) { p, _ := entry(b, "Practitioner", 0); p["id"] = canaryFnr },
		"D-nummer in a fullUrl": func(b object) {
			obj(list(b["entry"])[3])["fullUrl"] = "urn:oid:2.16.578.1.12.4.1.4.2:" + canaryDNummer
		},
		"logical reference by fødselsnummer": func(b object) {
			a, _ := entry(b, "Appointment", 0)
			obj(list(a["participant"])[2])["actor"] = object{"identifier": object{"system": fhir.SystemFodselsnummer, "value": canaryFnr}}
		},
		"reference to a fødselsnummer": func(b object) {
			a, _ := entry(b, "Appointment", 0)
			obj(list(a["participant"])[2])["actor"] = object{"reference": "Patient/" + canaryFnr}
		},
		"fødselsnummer as a code": func(b object) {
			a, _ := entry(b, "Appointment", 0)
			a["status"] = canaryFnr
		},
		"fødselsnummer as a time": func(b object) { a, _ := entry(b, "Appointment", 0); a["start"] = canaryFnr },
		"fødselsnummer as a resource type": func(b object) {
			b["entry"] = append(list(b["entry"]), object{"resource": object{"resourceType": canaryFnr}})
		},
		"fødselsnummer as an organisation's name": func(b object) {
			o, _ := entry(b, "Organization", 0)
			delete(o, "name")
		},
	}
	for name, edit := range variants {
		t.Run(name, func(t *testing.T) {
			b, _, _ := ehrBundle(t, everyField())
			edit(b)
			data, err := json.Marshal(b)
			require.NoError(t, err)
			for _, strict := range []bool{false, true} {
				got, src, err := fhir.Reader{Strict: strict}.Read(data)
				require.Error(t, err, "strict %v", strict)
				assert.Nil(t, got)
				check(t, err.Error())
				check(t, fmt.Sprint(problemStrings(src.Warnings())))
			}
		})
	}
}

func problemStrings[P fmt.Stringer](ps []P) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
