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
	assert.Contains(t, out.String(), "booked meeting")
	assert.Contains(t, out.String(), "not booked:\n  PC-04 ")
	assert.Contains(t, out.String(), "[PC-04.")
}
