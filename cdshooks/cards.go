package cdshooks

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

// cardContext is what the cards of one Appointment share.
type cardContext struct {
	hookInstance string
	appointment  string // "Appointment/id"
	multiple     bool   // the request books more than one Appointment
	fixed        *fixed // the fixes of the Appointment, if any

	// The code systems of the cards' topics and override reasons, under
	// the service's canonical base.
	topicSystem, overrideSystem string
	// texts keeps the texts of the language of the cards that are the same
	// on every request.
	texts *textCache
}

// textCache keeps, for one language, the texts of the cards that are the
// same on every request: a message without arguments, or whose arguments
// are those of a recommendation (its ID, title and severity). Rendering a
// message costs more than the rest of a card; the messages and
// recommendations are few, so the cache stays small.
type textCache struct{ m sync.Map }

// text is e.Text(lang, id, args), rendered once for each key: id and the
// values of args, which must be all that the text depends on. A nil cache
// renders every time.
func (c *textCache) text(e *recommend.Engine, lang recommend.Lang, id string, args recommend.Args, key ...string) string {
	return c.textOf(e, lang, id, func() recommend.Args { return args }, key...)
}

// textOf is text with the arguments made only when the text is rendered.
func (c *textCache) textOf(e *recommend.Engine, lang recommend.Lang, id string, args func() recommend.Args, key ...string) string {
	if c == nil {
		return e.Text(lang, id, args())
	}
	k := id
	for _, part := range key {
		k += "\x00" + part
	}
	if s, ok := c.m.Load(k); ok {
		return s.(string)
	}
	s := e.Text(lang, id, args())
	c.m.Store(k, s)
	return s
}

// indicator maps a severity to a card's indicator.
func indicator(s recommend.Severity) Indicator {
	switch s {
	case recommend.SeverityRequired:
		return IndicatorCritical
	case recommend.SeverityRecommended:
		return IndicatorWarning
	}
	return IndicatorInfo
}

// cardsOf returns one card per recommendation with a gap (or whose rule
// failed), in report order: none when the meeting follows the
// recommendations. The update that the fixes make is offered once, as the
// one suggestion of the card it goes on (suggestionCard); the other cards
// whose gaps it closes say in their detail which card holds it.
func cardsOf(e *recommend.Engine, rep *recommend.Report, cc cardContext) []Card {
	var cards []Card
	lang := rep.Lang
	holder := suggestionCard(rep, cc.fixed)
	for k, r := range rep.Results {
		if r.Outcome != recommend.OutcomeGap && r.Outcome != recommend.OutcomeError {
			continue
		}
		rec, _ := e.Recommendation(r.ID)
		detail := cardDetail(e, lang, &r, &rec, cc)
		if holder >= 0 && k != holder && r.Outcome == recommend.OutcomeGap && contains(cc.fixed.ids, r.ID) {
			id := rep.Results[holder].ID
			detail += "\n\n" + cc.texts.text(e, lang, "cdshooks.detail.fix_elsewhere", recommend.Args{
				"id": recommend.Code(id),
			}, id)
		}
		card := Card{
			UUID:      cardUUID(cc.hookInstance, cc.appointment, r.ID),
			Summary:   cardSummary(e, lang, &r, cc.texts),
			Detail:    detail,
			Indicator: indicator(r.Severity),
			Source: Source{
				Label: cc.texts.text(e, lang, "cdshooks.source.label", recommend.Args{"id": recommend.Code(r.ID)}, r.ID),
				URL:   rec.Doc,
				Topic: &Coding{System: cc.topicSystem, Code: r.ID, Display: oneLine(r.Title)},
			},
		}
		if k == holder {
			card.Suggestions = []Suggestion{{
				Label: cc.texts.text(e, lang, "cdshooks.suggestion.label", nil),
				UUID:  suggestionUUID(card.UUID),
				Actions: []Action{{
					Type: "update",
					Description: e.Text(lang, "cdshooks.action.description", recommend.Args{
						"ids": strings.Join(cc.fixed.ids, ", "),
					}),
					Resource: cc.fixed.resource,
				}},
			}}
			card.SelectionBehavior = "at-most-one"
		}
		if rec.Waivable() {
			for _, code := range overrideReasons {
				card.OverrideReasons = append(card.OverrideReasons, Coding{
					System: cc.overrideSystem, Code: code, Display: cc.texts.text(e, lang, "cdshooks.override."+code, nil),
				})
			}
		}
		cards = append(cards, card)
	}
	return cards
}

// suggestionCard returns the index in the report of the result whose card
// carries the update of the fixes: of the gaps the update closes, the most
// severe (required before recommended before advisory), the first in
// report order among equals; -1 when there is no update.
func suggestionCard(rep *recommend.Report, fx *fixed) int {
	if fx == nil {
		return -1
	}
	best := -1
	for k, r := range rep.Results {
		if r.Outcome != recommend.OutcomeGap || !contains(fx.ids, r.ID) {
			continue
		}
		if best < 0 || severityRank(r.Severity) > severityRank(rep.Results[best].Severity) {
			best = k
		}
	}
	return best
}

// severityRank orders severities: required highest.
func severityRank(s recommend.Severity) int {
	switch s {
	case recommend.SeverityRequired:
		return 2
	case recommend.SeverityRecommended:
		return 1
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cardSummary is the first finding of the result, with the recommendation
// ID and the subject when it is a participant or an item, and how many
// findings more there are; cut to MaxSummary characters.
func cardSummary(e *recommend.Engine, lang recommend.Lang, r *recommend.Result, texts *textCache) string {
	if r.Outcome == recommend.OutcomeError || len(r.Findings) == 0 {
		return truncate(oneLine(texts.text(e, lang, "report.rule_failed", recommend.Args{"id": recommend.Code(r.ID)}, r.ID)), MaxSummary)
	}
	f := r.Findings[0]
	args := recommend.Args{"id": recommend.Code(r.ID), "message": oneLine(f.Message), "subject": oneLine(f.Subject)}
	id := "cdshooks.summary"
	if f.SubjectID != uuid.Nil {
		id = "cdshooks.summary_subject"
	}
	s := capitalized(oneLine(e.Text(lang, id, args)))
	if more := len(r.Findings) - 1 + r.Omitted; more > 0 {
		// Cut the summary first, so that "(and 2 more)" always shows.
		tail := texts.text(e, lang, "cdshooks.summary_more", recommend.Args{"summary": "", "count": more}, strconv.Itoa(more))
		s = oneLine(e.Text(lang, "cdshooks.summary_more", recommend.Args{
			"summary": truncate(s, MaxSummary-utf8.RuneCountInString(tail)), "count": more,
		}))
	}
	return truncate(s, MaxSummary)
}

// capitalized starts s with a capital letter: a subject ("agenda item 4")
// may start the summary.
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// cardDetail is the card's Markdown: the recommendation, then each finding
// with what is missing, what would fix it, and its code.
func cardDetail(e *recommend.Engine, lang recommend.Lang, r *recommend.Result, rec *recommend.Recommendation, cc cardContext) string {
	var b strings.Builder
	b.WriteString(cc.texts.textOf(e, lang, "cdshooks.detail.heading", func() recommend.Args {
		return recommend.Args{
			"title":    markdown(r.Title),
			"id":       recommend.Code(r.ID),
			"severity": markdown(cc.texts.text(e, lang, "severity."+string(r.Severity), nil)),
		}
	}, r.Title, r.ID, string(r.Severity)))
	b.WriteString("\n\n")
	if r.Outcome == recommend.OutcomeError {
		b.WriteString(markdown(cc.texts.text(e, lang, "report.rule_failed", recommend.Args{"id": recommend.Code(r.ID)}, r.ID)))
		b.WriteString("\n")
	}
	for _, f := range r.Findings {
		b.WriteString("- ")
		if f.Subject != "" {
			b.WriteString("**" + markdown(f.Subject) + "**: ")
		}
		b.WriteString(markdown(f.Message))
		if f.Remedy != "" {
			b.WriteString(" " + markdown(f.Remedy))
		}
		for _, fx := range f.Fixes {
			b.WriteString(" " + markdown(e.Text(lang, "cdshooks.detail.fix", recommend.Args{"fix": oneLine(fx.Message)})))
		}
		b.WriteString(" `" + code(f.Code) + "`")
		if f.Reference != "" {
			b.WriteString(" `" + code(f.Reference) + "`")
		}
		b.WriteString("\n")
	}
	if r.Omitted > 0 {
		b.WriteString("- " + markdown(e.Text(lang, "report.omitted", recommend.Args{"count": r.Omitted})) + "\n")
	}
	if r.WaiverExpired {
		b.WriteString("\n" + markdown(cc.texts.text(e, lang, "report.waiver_expired", nil)) + "\n")
	}
	if rec.Protected {
		b.WriteString("\n" + markdown(cc.texts.text(e, lang, "cdshooks.detail.protected", nil)) + "\n")
	}
	if cc.multiple {
		b.WriteString("\n" + e.Text(lang, "cdshooks.detail.appointment", recommend.Args{"appointment": "`" + code(cc.appointment) + "`"}) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// markdown escapes the characters that GitHub Flavored Markdown would read
// as markup, and puts the text on one line.
func markdown(s string) string {
	s = oneLine(s)
	if !strings.ContainsAny(s, markdownSpecials) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, c := range s {
		if c < utf8.RuneSelf && strings.IndexByte(markdownSpecials, byte(c)) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// markdownSpecials are the characters markdown escapes.
const markdownSpecials = "\\`*_[]<>|~#!&"

// code makes s safe inside a Markdown code span.
func code(s string) string {
	return strings.ReplaceAll(oneLine(s), "`", "'")
}

// oneLine replaces control characters and line breaks by spaces, and trims.
func oneLine(s string) string {
	if strings.IndexFunc(s, func(c rune) bool { return unicode.IsControl(c) || c == '\u2028' || c == '\u2029' }) < 0 {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(strings.Map(func(c rune) rune {
		if unicode.IsControl(c) || c == '\u2028' || c == '\u2029' {
			return ' '
		}
		return c
	}, s))
}

// truncate cuts s to at most n characters (runes): at the last space that
// leaves room for "…", or in the middle of a word when there is none.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return string([]rune(s)[:max(n, 0)])
	}
	runes := []rune(s)[:n-1]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–—-") + "…"
}
