package main

import (
	"bytes"
	"testing"

	"github.com/collabmeet/collabmeet/recommend/catalogue"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	if _, ok := catalogue.Lookup("PC-04"); !ok {
		t.Skip("!!! PC-04 is not in the built-in catalogue yet (theme PC still being converted): the example's refusal cannot be shown !!!")
	}
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Contains(t, out.String(), "booked meeting")
	assert.Contains(t, out.String(), "not booked:\n  PC-04 ")
	assert.Contains(t, out.String(), "[PC-04.")
}
