// Command conformancegen writes the FHIR conformance resources of package
// fhir (StructureDefinitions of its extensions, CodeSystems of its codes) to
// the folder conformance, as fhir.Conformance{}.Files gives them. Run it with
// `go generate ./fhir` from the module root; TestConformanceFilesUpToDate
// fails when the files are stale.
package main

import (
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/collabmeet/collabmeet/fhir"
)

func main() {
	files, err := fhir.Conformance{}.Files()
	if err != nil {
		log.Fatal(err)
	}
	dir := "conformance"
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range old { // a resource no longer defined goes away
		if _, ok := files[filepath.Base(f)]; !ok && strings.HasSuffix(f, ".json") {
			if err := os.Remove(f); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
