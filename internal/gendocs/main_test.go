package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocsAreCurrent fails when a generated document is stale: run
// go generate ./recommend/catalogue.
func TestDocsAreCurrent(t *testing.T) {
	files, err := generate()
	require.NoError(t, err)
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", "docs", name))
		require.NoError(t, err, "docs/%s is missing: run go generate ./recommend/catalogue", name)
		assert.Equal(t, string(want), string(got), "docs/%s is stale: run go generate ./recommend/catalogue", name)
	}
}
