// Command clinic-catalogue checks a case against a clinic's own catalogue,
// with nothing of the built-in one: two themes of its own, its own rules,
// its own documentation URL, and its texts in English and German. A German
// message file is all it takes for German reports; recommend.New,
// recommendtest and every renderer of package recommend/report read the
// themes, titles and links from the catalogue (recommend.Catalogue).
//
// The catalogue brings its German whole: besides its rules' texts
// (messages/clinic.*.json) its message directory translates what the
// engine, the renderers, recommendtest and the catalogue's documentation
// say (de.json for the engine's en.json, report.de.json, recommendtest.de.json,
// catalogue.de.json). A catalogue's message comes before the built-in one,
// and one missing in a language falls back to the catalogue's default
// language, then to English (recommend.Texts.Label);
// recommendtest.CheckLang, in the tests, fails while any is missing, and
// the tests find no English of collabmeet's own in any German output.
//
// The command line (collabmeet) checks against the built-in catalogue only:
// rules are Go functions, so a clinic's catalogue is a Go program such as
// this one.
//
//	go run ./examples/clinic-catalogue
package main

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"golang.org/x/text/language"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "clinic-catalogue:", err)
		os.Exit(1)
	}
}

// messages holds the clinic's texts (clinic.en.json, clinic.de.json) and
// its German for the labels of the engine and of the packages that write
// for people.
//
//go:embed messages/*.json
var messages embed.FS

// The clinic's themes.
const (
	ThemeRooms  recommend.Theme = "rooms"
	ThemeRecord recommend.Theme = "record"
)

// DocURL is where the clinic documents its catalogue.
const DocURL = "https://intranet.example-klinik.de/kollaboration/katalog"

// Catalogue returns the clinic's catalogue: version, themes, rules, message
// files, documentation and languages.
func Catalogue() (recommend.Catalogue, error) {
	msgs, err := fs.Sub(messages, "messages")
	if err != nil {
		return recommend.Catalogue{}, err
	}
	return recommend.Catalogue{
		Version: "klinik.1",
		Themes:  []recommend.ThemeDef{{ID: ThemeRooms, Prefix: "ROOM"}, {ID: ThemeRecord, Prefix: "REC"}},
		Rules: []recommend.Rule{
			{
				Recommendation: recommend.Recommendation{
					ID: "ROOM-01", Source: "KLINIK 4.2", Theme: ThemeRooms,
					Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
					Reasons: []string{"no_platform"},
				},
				Check: func(p *recommend.Pass) error {
					if p.Meeting.Format != meeting.FormatInPerson && p.Meeting.Platform == "" {
						p.ReportCase("meeting.platform", "no_platform", nil)
					}
					return nil
				},
			},
			{
				Recommendation: recommend.Recommendation{
					ID: "REC-01", Source: "KLINIK 7.1", Theme: ThemeRecord,
					Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
					Params:  []recommend.Param{recommend.ParamMinutes("klinik_max_minutes", 60)},
					Reasons: []string{"too_long"},
					// A rule may link to a page of its own.
					Doc: "https://intranet.example-klinik.de/kollaboration/dauer",
				},
				Check: func(p *recommend.Pass) error {
					if limit := p.Int("klinik_max_minutes"); p.Meeting.DurationMinutes > limit {
						p.ReportCase("meeting.duration_minutes", "too_long", recommend.Args{"minutes": limit})
					}
					return nil
				},
			},
		},
		Messages: msgs,
		DocURL:   DocURL,
		Langs:    []recommend.Lang{language.German, recommend.English},
	}, nil
}

// Case is a meeting the clinic's rules find two gaps in: a digital meeting
// with no platform, longer than an hour.
func Case() *casedoc.Case {
	c := casegen.Typical()
	c.Meeting.Format = meeting.FormatDigital
	c.Meeting.Platform = ""
	c.Meeting.DurationMinutes = 75
	return c
}

func run(w io.Writer) error {
	cat, err := Catalogue()
	if err != nil {
		return err
	}
	for _, lang := range []recommend.Lang{language.German, recommend.English} {
		e, err := recommend.New(cat, recommend.Policy{}, recommend.WithLang(lang))
		if err != nil {
			return err
		}
		if err := report.Text(w, report.Options{Engine: e}, e.Check(Case())); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return nil
}
