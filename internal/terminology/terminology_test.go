package terminology

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAvoided(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Et avvik i møtet", []string{"avvik"}},
		{"Lag en individuell plan", []string{"individuell plan"}},
		{"koordinator for forløpet", []string{"koordinator alone"}},
		{"forløpskoordinator og NAV-veileder", nil},
		{"Send tiltaksplanen", nil},
		{"Dialogmøte med arbeidsgiver", []string{"dialogmøte"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Avoided(tt.text), tt.text)
	}
}

func TestCheckBokmal(t *testing.T) {
	fsys := fstest.MapFS{
		"a.nb.json": {Data: []byte(`{"x": "Et avvik", "y": {"one": "{{.count}} ansvarsgruppemøte", "other": "{{.count}} møter"}, "z": "greit"}`)},
		"a.en.json": {Data: []byte(`{"x": "avvik is not Norwegian here"}`)},
	}
	got, err := CheckBokmal(fsys)
	require.NoError(t, err)
	assert.Equal(t, []string{"a.nb.json: x uses avvik: Et avvik", "a.nb.json: y uses ansvarsgruppemøte: {{.count}} ansvarsgruppemøte"}, got)
}
