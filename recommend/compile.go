package recommend

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// compile checks the policy against a valid rule set and sets up e.
func (e *Engine) compile(policy Policy, rules []Rule) error {
	c := policyCompiler{rules: rules, index: make(map[string]int, len(rules))}
	for i := range rules {
		c.index[rules[i].ID] = i
	}
	profile := c.profile(policy.Profile)
	disabled := c.disabled(policy.Disable)
	severity := c.severities(policy.Severity)
	values := c.params(policy.Params)
	waivers := c.waivers(policy.Waivers)
	if len(c.Problems) > 0 {
		return &validation.Error{Problems: c.Problems, Err: ErrPolicy}
	}
	digest, err := policy.Digest()
	if err != nil {
		return err
	}
	e.profile, e.policy, e.digest = profile, policy.clone(), digest
	for i, r := range rules {
		if disabled[r.ID] {
			continue
		}
		cr := compiledRule{rule: r, severity: r.Severity, waivers: waivers[r.ID],
			belowProfile: r.MinProfile != "" && !profile.AtLeast(r.MinProfile),
			afterOnly:    r.Phase == PhaseAfter}
		if s, ok := severity[r.ID]; ok {
			cr.severity = s
		}
		cr.result = Result{ID: r.ID, Theme: r.Theme, Severity: cr.severity, Doc: r.Doc}
		if i < e.catRules { // a custom rule (WithRules) links to its own Doc only
			cr.result.Doc = docURL(e.docURL, &r.Recommendation)
		}
		if !e.codes {
			cr.result.Title = e.texts.Text(e.lang, r.ID+".title", nil)
		}
		cr.slot = slices.IndexFunc(e.themes, func(d ThemeDef) bool { return d.ID == r.Theme })
		cr.required = cr.severity.Rank() <= SeverityRequired.Rank()
		for _, reason := range r.Reasons {
			cr.codes = append(cr.codes, r.Code(reason))
		}
		for _, p := range r.Params {
			v, ok := values[p.Name]
			if !ok {
				v = p.Default
			}
			cr.params = append(cr.params, v)
		}
		e.rules = append(e.rules, cr)
	}
	return nil
}

// docURL is the documentation link of r in a catalogue documented at base
// (see Catalogue.Doc).
func docURL(base string, r *Recommendation) string {
	c := Catalogue{DocURL: base}
	return c.Doc(r)
}

// policyCompiler checks each part of a policy against the rule set,
// collecting every problem.
type policyCompiler struct {
	validation.List
	rules []Rule
	index map[string]int
}

// lookup returns the rule with the given ID, or records that there is none.
func (c *policyCompiler) lookup(path, id string) (*Rule, bool) {
	i, ok := c.index[id]
	if !ok {
		c.unknownID(path, id)
		return nil, false
	}
	return &c.rules[i], true
}

func (c *policyCompiler) profile(p Profile) Profile {
	if p == "" {
		return ProfileStandard
	}
	if !p.Valid() {
		c.AddCoded("profile", "policy_unknown_profile", "value", validation.Quote(string(p)), "allowed", joinValues(Profiles()))
	}
	return p
}

func (c *policyCompiler) disabled(ids []string) map[string]bool {
	disabled := make(map[string]bool, len(ids))
	for i, id := range ids {
		path := fmt.Sprintf("disable[%d]", i)
		if r, ok := c.lookup(path, id); ok {
			if r.Protected {
				c.AddCoded(path, "policy_protected_disable", "id", id)
				continue
			}
			disabled[id] = true
		}
	}
	return disabled
}

func (c *policyCompiler) severities(overrides map[string]Severity) map[string]Severity {
	severity := make(map[string]Severity, len(overrides))
	for _, id := range sortedKeys(overrides) {
		path, s := validation.Member("severity", id), overrides[id]
		r, ok := c.lookup(path, id)
		if !ok {
			continue
		}
		switch {
		case !s.Valid():
			c.AddCoded(path, "policy_unknown_severity", "value", validation.Quote(string(s)), "allowed", joinValues(Severities()))
		case r.Protected && s.Rank() > r.Severity.Rank():
			c.AddCoded(path, "policy_protected_severity", "id", id)
		default:
			severity[id] = s
		}
	}
	return severity
}

func (c *policyCompiler) params(given map[string]any) map[string]int {
	declared := make(map[string]Param)
	for i := range c.rules {
		for _, p := range c.rules[i].Params {
			declared[p.Name] = p
		}
	}
	values := make(map[string]int, len(given))
	for _, name := range sortedKeys(given) {
		path := validation.Member("params", name)
		d, ok := declared[name]
		if !ok {
			c.AddCoded(path, "policy_unknown_parameter", "allowed", strings.Join(sortedKeys(declared), ", "))
			continue
		}
		v, code, kv := paramFromPolicy(d, given[name])
		if code != "" {
			c.AddCoded(path, code, kv...)
			continue
		}
		values[name] = v
	}
	return values
}

func (c *policyCompiler) waivers(ws []Waiver) map[string][]compiledWaiver {
	waivers := make(map[string][]compiledWaiver)
	for i, w := range ws {
		path := fmt.Sprintf("waivers[%d]", i)
		ok := true
		if w.ID == "" {
			c.AddCoded(path+".id", "required")
			ok = false
		} else if r, found := c.lookup(path+".id", w.ID); !found {
			ok = false
		} else if r.Protected {
			c.AddCoded(path+".id", "policy_protected_waiver", "id", w.ID)
			ok = false
		}
		cw := compiledWaiver{reason: cleanReason(w.Reason), expires: w.Expires}
		switch w.MeetingID {
		case "":
			c.AddCoded(path+".meeting_id", "policy_waiver_meeting_required")
			ok = false
		case WaiverAllMeetings:
			cw.all = true
		default:
			id, err := uuid.Parse(w.MeetingID)
			if err != nil || len(w.MeetingID) != 36 {
				c.AddCoded(path+".meeting_id", "policy_waiver_meeting_not_uuid")
				ok = false
			}
			cw.meetingID = id
		}
		if cw.reason == "" {
			c.AddCoded(path+".reason", "policy_waiver_reason_required")
			ok = false
		}
		if w.Expires.IsZero() {
			c.AddCoded(path+".expires", "policy_waiver_expires_required")
			ok = false
		}
		if ok {
			waivers[w.ID] = append(waivers[w.ID], cw)
		}
	}
	return waivers
}

// paramFromPolicy converts a policy's value for the declared parameter d, or
// says what is wrong with it.
func paramFromPolicy(d Param, v any) (int, string, []string) {
	if d.Unit == UnitSwitch {
		b, ok := v.(bool)
		if !ok {
			return 0, "policy_param_type", []string{"want", "boolean", "got", describe(v)}
		}
		if b {
			return 1, "", nil
		}
		return 0, "", nil
	}
	var n int
	switch x := v.(type) {
	case int:
		n = x
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) {
			return 0, "policy_param_type", []string{"want", "whole_number", "got", strconv.FormatFloat(x, 'g', -1, 64)}
		}
		if math.Abs(x) > 1e9 {
			lo, hi, _ := d.Unit.Range()
			return 0, "param_out_of_range", []string{"given", strconv.FormatFloat(x, 'g', -1, 64), "measure", string(d.Unit), "low", strconv.Itoa(lo), "high", strconv.Itoa(hi)}
		}
		n = int(x)
	default:
		return 0, "policy_param_type", []string{"want", "whole_number", "got", describe(v)}
	}
	if code, kv := d.check(n); code != "" {
		return 0, code, kv
	}
	return n, "", nil
}

// describe names the JSON type of a decoded value by its code of the
// vocabulary "got" of the problem messages (validation.Messages).
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64, int:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "value"
}

// unknownID records the problem at path of an ID that is not in the rule
// set; the ID is shown only when it looks like one.
func (c *policyCompiler) unknownID(path, id string) {
	if id == "" {
		c.AddCoded(path, "policy_empty_id")
		return
	}
	for known := range c.index {
		if strings.EqualFold(known, id) {
			c.AddCoded(path, "policy_unknown_id_case", "id", validation.Quote(id), "known", known)
			return
		}
	}
	c.AddCoded(path, "policy_unknown_id", "id", validation.Quote(id))
}

func joinValues[E ~string](vs []E) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
