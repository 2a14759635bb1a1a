package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Contains(t, out.String(), " results, ACME-01 The meeting starts within opening hours: gap (meeting.start: starts at 15:30, outside opening hours; start between 08:00 and 14:59); compliant: false")
	assert.Regexp(t, `late opening on Mondays: \d+ results, ACME-01 The meeting starts within opening hours: pass; compliant: true`, out.String())
	assert.Contains(t, out.String(), "a rule named MC-99: ")
}
