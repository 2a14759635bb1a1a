package recommend

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Theme groups recommendations: the ID of one of a catalogue's themes
// (Catalogue.Themes), in snake_case, such as "patient_centredness". Its
// title for people is a message of the catalogue (see Texts), keyed
// "theme." + the theme.
type Theme string

// ThemeDef declares one theme of a catalogue: its ID and the ID prefix of
// its recommendations. Its title is the message "theme.<ID>" of the
// catalogue's message files, in every language of the catalogue.
type ThemeDef struct {
	// ID is the theme that rules name (Recommendation.Theme).
	ID Theme
	// Prefix is the ID prefix of the catalogue's recommendations of the
	// theme, such as "PC"; empty when the theme has no prefix of its own.
	// Custom rules (WithRules) may not use the prefix of a catalogue theme.
	Prefix string
}

// ThemeScores holds the score of each theme of a catalogue, in the order of
// its themes (Catalogue.Themes). In JSON it is an object keyed by theme, in
// that order.
type ThemeScores []ThemeScore

// ThemeScore is how many applicable recommendations of a theme passed.
// Applicable counts pass, gap and error outcomes; Score is Passed/Applicable,
// 1 when nothing was applicable.
type ThemeScore struct {
	// Theme is the theme scored: the key of the score in JSON.
	Theme      Theme   `json:"-"`
	Applicable int     `json:"applicable"`
	Passed     int     `json:"passed"`
	Score      float64 `json:"score"`
}

// Of returns the score of theme t, or nil for a theme not scored.
func (s ThemeScores) Of(t Theme) *ThemeScore {
	for i := range s {
		if s[i].Theme == t {
			return &s[i]
		}
	}
	return nil
}

// MarshalJSON writes the scores as an object keyed by theme, in order.
func (s ThemeScores) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(string(s[i].Theme)))
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

// UnmarshalJSON reads the object written by MarshalJSON, keeping the order of
// its members; a theme given twice is an error.
func (s *ThemeScores) UnmarshalJSON(data []byte) error {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() == 'n' {
		*s = nil
		return nil
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("theme scores: want an object, not %s", tok.Kind())
	}
	out := ThemeScores{}
	for dec.PeekKind() != '}' {
		k, err := dec.ReadToken()
		if err != nil {
			return err
		}
		theme := Theme(k.String())
		if out.Of(theme) != nil {
			return fmt.Errorf("theme %q given twice", theme)
		}
		v, err := dec.ReadValue()
		if err != nil {
			return fmt.Errorf("%s: %w", theme, err)
		}
		ts := ThemeScore{Theme: theme}
		if err := json.Unmarshal(v, &ts, json.RejectUnknownMembers(true)); err != nil {
			return fmt.Errorf("%s: %w", theme, err)
		}
		out = append(out, ts)
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*s = out
	return nil
}
