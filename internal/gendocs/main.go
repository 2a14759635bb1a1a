// Command gendocs writes the documents generated from the built-in
// catalogue in code: docs/catalogue.md, and the FHIR CodeSystem of finding
// codes, docs/fhir/CodeSystem-finding-code.json, that OperationOutcomes
// name. It is run by go generate in package recommend/catalogue:
//
//	go generate ./recommend/catalogue
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/internal/cataloguedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

func main() {
	out := flag.String("o", "docs", "directory to write catalogue.md and fhir/ into")
	flag.Parse()
	files, err := generate()
	if err == nil {
		for name, data := range files {
			path := filepath.Join(*out, name)
			if err = os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				break
			}
			if err = os.WriteFile(path, data, 0o644); err != nil {
				break
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

// generate returns the generated documents by path below docs/.
func generate() (map[string][]byte, error) {
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	if err != nil {
		return nil, err
	}
	var md bytes.Buffer
	if err := cataloguedoc.Markdown(&md, engine, recommend.English); err != nil {
		return nil, err
	}
	var concepts []fhir.Concept
	for _, r := range engine.Recommendations() {
		title := engine.Text(recommend.English, r.ID+".title", nil)
		for _, reason := range r.Reasons {
			concepts = append(concepts, fhir.Concept{Code: r.Code(reason), Display: r.ID + " " + title + " (" + reason + ")"})
		}
	}
	cs := fhir.Conformance{Version: catalogue.Version}.NewCodeSystem(report.FindingCodeSystem, "collabmeet finding codes",
		"The codes of the findings of the collabmeet recommendation catalogue "+catalogue.Version+
			": the recommendation ID and a reason. OperationOutcomes of collabmeet name them in issue.details.", concepts)
	data, err := json.Marshal(cs, json.Deterministic(true), jsontext.WithIndent("  "))
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		"catalogue.md": md.Bytes(),
		filepath.Join("fhir", "CodeSystem-"+report.FindingCodeSystem+".json"): append(data, '\n'),
	}, nil
}
