// Command gendocs writes the documents generated from the built-in
// catalogue in code: docs/catalogue.md, the FHIR CodeSystem of
// recommendations and their finding codes,
// docs/fhir/CodeSystem-finding-code.json, that OperationOutcomes and the
// topics of CDS Hooks cards name, and the CodeSystem of the cards' override
// reasons, docs/fhir/CodeSystem-override-reason.json, all at the default
// canonical base (fhir.DefaultCanonical). It is run by go generate in package recommend/catalogue:
//
//	go generate ./recommend/catalogue
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/collabmeet/collabmeet/cdshooks"
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
	cs := report.FindingCodes(engine, fhir.DefaultCanonical, catalogue.Version)
	data, err := json.Marshal(cs, json.Deterministic(true), jsontext.WithIndent("  "))
	if err != nil {
		return nil, err
	}
	svc, err := cdshooks.New(recommend.Policy{})
	if err != nil {
		return nil, err
	}
	override := svc.OverrideReasonCodeSystem()
	overrideData, err := json.Marshal(override, json.Deterministic(true), jsontext.WithIndent("  "))
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		"catalogue.md": md.Bytes(),
		filepath.Join("fhir", "CodeSystem-"+report.FindingCodeSystem+".json"): append(data, '\n'),
		filepath.Join("fhir", "CodeSystem-"+override.ID+".json"):              append(overrideData, '\n'),
	}, nil
}
