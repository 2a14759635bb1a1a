package recommend

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Theme groups recommendations. Its title for people is a message (see
// Texts), keyed "theme." + the theme.
type Theme string

// The themes of the catalogue.
const (
	ThemePatientCentredness Theme = "patient_centredness"
	ThemeCommonActionPlan   Theme = "common_action_plan"
	ThemeMeetingClimate     Theme = "meeting_climate"
	ThemeCrossSector        Theme = "cross_sector"
	ThemePathway            Theme = "pathway"
)

// themeTable is the one table of themes: everything that lists, counts or
// scores themes reads it, in this order. Adding a theme is one row.
var themeTable = [...]struct {
	theme  Theme
	prefix string // the ID prefix of the catalogue's recommendations of the theme
}{
	{ThemePatientCentredness, "PC"},
	{ThemeCommonActionPlan, "AP"},
	{ThemeMeetingClimate, "MC"},
	{ThemeCrossSector, "CS"},
	{ThemePathway, "PW"},
}

// Themes returns every Theme in catalogue order (a fresh slice).
func Themes() []Theme {
	out := make([]Theme, len(themeTable))
	for i, row := range themeTable {
		out[i] = row.theme
	}
	return out
}

// Valid reports whether t is one of Themes.
func (t Theme) Valid() bool { return t.slot() >= 0 }

// Prefix returns the ID prefix of the built-in recommendations of the theme,
// such as "PC", or "" for an unknown theme.
func (t Theme) Prefix() string {
	if i := t.slot(); i >= 0 {
		return themeTable[i].prefix
	}
	return ""
}

// slot is the index of t in themeTable, or -1.
func (t Theme) slot() int {
	for i := range themeTable {
		if themeTable[i].theme == t {
			return i
		}
	}
	return -1
}

// ThemeScores holds the score of each theme, in the order of Themes. In JSON
// it is an object keyed by theme.
type ThemeScores [len(themeTable)]ThemeScore

// ThemeScore is how many applicable recommendations of a theme passed.
// Applicable counts pass, gap and error outcomes; Score is Passed/Applicable,
// 1 when nothing was applicable.
type ThemeScore struct {
	Applicable int     `json:"applicable"`
	Passed     int     `json:"passed"`
	Score      float64 `json:"score"`
}

// Of returns the score of theme t, or nil for an unknown theme.
func (s *ThemeScores) Of(t Theme) *ThemeScore {
	if i := t.slot(); i >= 0 {
		return &s[i]
	}
	return nil
}

// MarshalJSON writes the scores as an object keyed by theme, in theme order.
func (s ThemeScores) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(string(themeTable[i].theme)))
		b.WriteByte(':')
		v, err := json.Marshal(s[i])
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the object written by MarshalJSON; an unknown theme is
// an error.
func (s *ThemeScores) UnmarshalJSON(data []byte) error {
	var m map[Theme]jsontext.Value
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*s = ThemeScores{}
	for t, v := range m {
		ts := s.Of(t)
		if ts == nil {
			return fmt.Errorf("unknown theme %q", t)
		}
		if err := json.Unmarshal(v, ts, json.RejectUnknownMembers(true)); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	return nil
}
