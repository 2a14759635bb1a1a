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
	assert.Contains(t, out.String(), "PC-05")
	assert.Contains(t, out.String(), "MC-10")
	assert.NotContains(t, out.String(), "Example Patient", "no names in reports")
}
