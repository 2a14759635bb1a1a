package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	file := filepath.Join(t.TempDir(), "aggregate.json")
	var out bytes.Buffer
	require.NoError(t, run(&out, 300, 1, file))
	assert.Contains(t, out.String(), "300 cases")
	assert.Contains(t, out.String(), "least followed recommendations:")

	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var a recommend.Aggregate
	require.NoError(t, json.Unmarshal(data, &a))
	assert.Equal(t, 300, a.Cases)
	assert.Equal(t, recommend.AggregateSchema, a.Schema)
}

func TestRunHTML(t *testing.T) {
	file := filepath.Join(t.TempDir(), "report.html")
	var out bytes.Buffer
	require.NoError(t, run(&out, 200, 2, file))
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(data), "<!DOCTYPE html>")
	assert.Contains(t, string(data), `id="chart-months"`)
}
