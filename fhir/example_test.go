package fhir_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"reflect"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/validation"
)

// Convert a case to a FHIR R4 Bundle and back.
func Example() {
	c, err := casedoc.ReadFile("../examples/cases/compliant-digital-meeting.json")
	if err != nil {
		log.Fatal(err)
	}
	b, err := fhir.FromCase(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Bundle type:", b.Type)
	for _, e := range b.Entry[:3] {
		fmt.Println(e.Resource.TypeName(), e.FullURL)
	}
	a := b.Entry[0].Resource.(*fhir.Appointment)
	fmt.Println("status:", a.Status, "start:", a.Start, "end:", a.End)

	back, err := fhir.ToCase(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("round trip equal:", reflect.DeepEqual(c, back))
	// Output:
	// Bundle type: collection
	// Appointment urn:uuid:0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5
	// Patient urn:uuid:7d89225d-2d53-52fa-aad8-57b002628bc3
	// RelatedPerson urn:uuid:776bfd06-4c5f-5076-a5c7-d022bdf0512c
	// status: booked start: 2026-05-04T09:00:00+02:00 end: 2026-05-04T10:00:00+02:00
	// round trip equal: true
}

// Read a Bundle sent by an EHR. A problem names the FHIR element.
func ExampleUnmarshalCase() {
	c, err := casedoc.ReadFile("../examples/cases/compliant-digital-meeting.json")
	if err != nil {
		log.Fatal(err)
	}
	data, err := fhir.MarshalCase(c)
	if err != nil {
		log.Fatal(err)
	}

	got, err := fhir.UnmarshalCase(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Meeting.Kind, got.Meeting.Status, len(got.Meeting.Participants), "participants")

	// The same Bundle with the reference to the meeting leader broken.
	broken := bytes.Replace(data, []byte(`"reference": "urn:uuid:f2da45f4`), []byte(`"reference": "urn:uuid:00000000`), 1)
	_, err = fhir.UnmarshalCase(broken)
	fmt.Println(err)
	// Output:
	// collaboration planned 7 participants
	// Bundle.entry[0].resource.extension[2].valueReference.reference: refers to no entry
}

// Read a Bundle with an extra resource: it is skipped with a warning, and the
// Source points from case paths back at the Bundle.
func ExampleReader_Read() {
	c, err := casedoc.ReadFile("../examples/cases/compliant-digital-meeting.json")
	if err != nil {
		log.Fatal(err)
	}
	data, err := fhir.MarshalCase(c)
	if err != nil {
		log.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"entry": [`), []byte(`"entry": [{"resource": {"resourceType": "Observation", "id": "pain"}},`), 1)

	got, src, err := fhir.Reader{}.Read(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(src.Warnings())
	fmt.Println(src.Reference(got.Meeting.ID))
	fmt.Println(src.Expression("meeting.participants[2].role"))

	_, _, err = fhir.Reader{Strict: true}.Read(data)
	fmt.Println(err != nil)
	// Output:
	// [Bundle.entry[0].resource: "Observation" is not used by the mapping to a case, and was skipped]
	// Appointment/0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5
	// Bundle.entry[1].resource.participant[2].type
	// true
}

// An OperationOutcome of one gap, as a renderer builds it.
func ExampleNewOperationOutcome() {
	o := fhir.NewOperationOutcome([]fhir.Issue{{
		Severity:    fhir.SeverityWarning,
		Details:     fhir.Coding{System: fhir.DefaultCanonical + "/CodeSystem/finding", Code: "MC-05", Display: "Video service named"},
		Diagnostics: "The meeting is digital but names no video service.",
		Expression:  []string{"Bundle.entry[0].resource"},
	}})
	data, err := fhir.MarshalOperationOutcome(o)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(data))
	// Output:
	// {
	//   "resourceType": "OperationOutcome",
	//   "issue": [
	//     {
	//       "severity": "warning",
	//       "code": "business-rule",
	//       "details": {
	//         "coding": [
	//           {
	//             "system": "https://collabmeet.example/fhir/CodeSystem/finding",
	//             "code": "MC-05",
	//             "display": "Video service named"
	//           }
	//         ]
	//       },
	//       "diagnostics": "The meeting is digital but names no video service.",
	//       "expression": [
	//         "Bundle.entry[0].resource"
	//       ]
	//     }
	//   ]
	// }
}

// Write and read a Bundle under a hospital network's own canonical base, at
// which it publishes the StructureDefinitions and CodeSystems of
// Conformance{Canonical: base}. A Reader of another base refuses the
// extensions, each at its path.
func ExampleWriter() {
	c, err := casedoc.ReadFile("../examples/cases/compliant-digital-meeting.json")
	if err != nil {
		log.Fatal(err)
	}
	const base = "https://fhir.sykehus.example/collab"
	b, err := fhir.Writer{Canonical: base}.Bundle(c)
	if err != nil {
		log.Fatal(err)
	}
	a := b.Entry[0].Resource.(*fhir.Appointment)
	fmt.Println(a.Extension[0].URL)
	fmt.Println(a.ServiceType[0].Coding[0].System)
	fmt.Println(fhir.Conformance{Canonical: base}.ExtensionURL(fhir.ExtAgendaItem))

	back, _, err := fhir.Reader{Canonical: base}.ReadBundle(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("round trip equal:", reflect.DeepEqual(c, back))

	_, _, err = fhir.Reader{}.ReadBundle(b)
	var ve *validation.Error
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if p.Path == "Bundle.entry[0].resource.extension[0].url" {
				fmt.Println(p.Path, p.Message)
			}
		}
	}
	// Output:
	// https://fhir.sykehus.example/collab/StructureDefinition/meeting-format
	// https://fhir.sykehus.example/collab/CodeSystem/meeting-kind
	// https://fhir.sykehus.example/collab/StructureDefinition/agenda-item
	// round trip equal: true
	// Bundle.entry[0].resource.extension[0].url is the extension meeting-format of collabmeet under another canonical base than https://collabmeet.example/fhir, the one the Bundle is read with: the sender and the reader must be configured with the same canonical base
}
