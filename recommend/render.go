package recommend

import (
	"strconv"
	"strings"
)

// indexedLists are the lists of the case whose elements a finding's path can
// name, with the message that names such an element for people.
var indexedLists = [...]struct{ prefix, subject string }{
	{"meeting.agenda[", "subject.item"},
	{"meeting.participants[", "subject.participant_position"},
	{"plan.actions[", "subject.action"},
	{"consents[", "subject.consent"},
}

// render completes a finding reported by a rule: the subject's role and
// position, and (unless the engine leaves them out) its texts in the
// engine's language.
func (e *Engine) render(pass *Pass, f *Finding) {
	k := pass.Participant(f.SubjectID)
	if k >= 0 {
		f.SubjectRole = pass.Meeting.Participants[k].Role
		f.order = k
	} else {
		_, f.order, _ = pathElement(f.Path)
	}
	if e.codes {
		return
	}
	subject, args := e.subject(pass, f, k)
	f.Subject = e.texts.Text(e.lang, subject, args)
	f.Message = e.texts.Text(e.lang, f.Code+".message", f.Args)
	f.Remedy = e.texts.Text(e.lang, f.Code+".remedy", f.Args)
	for i := range f.Fixes {
		fx := &f.Fixes[i]
		fx.Message = e.texts.Text(e.lang, fx.Code, fx.Args)
	}
}

// subject returns the message that names the subject of f for people, and
// its args: the participant k by role and position when the subject is one,
// else what the path points at ("agenda item 4 (discussion)", "action 2 in
// the action plan"). Never a name, title or other free text of the case.
func (e *Engine) subject(pass *Pass, f *Finding, k int) (string, Args) {
	m := pass.Meeting
	if k >= 0 {
		return "subject.participant", Args{"role": m.Participants[k].Role, "position": k + 1}
	}
	if subject, i, ok := pathElement(f.Path); ok {
		args := Args{"position": i + 1}
		if subject == "subject.item" && i < len(m.Agenda) {
			args["item_kind"] = m.Agenda[i].Kind
		}
		return subject, args
	}
	switch path := f.Path; {
	case strings.HasPrefix(path, "plan.follow_up"):
		return "subject.follow_up", nil
	case path == "plan" || strings.HasPrefix(path, "plan."):
		return "subject.plan", nil
	case strings.HasPrefix(path, "meeting.preparation"):
		return "subject.preparation", nil
	case strings.HasPrefix(path, "meeting.pathway"):
		return "subject.pathway", nil
	case strings.HasPrefix(path, "meeting.agenda"):
		return "subject.agenda", nil
	}
	return "subject.meeting", nil
}

// pathElement returns the subject message and the index of the element of
// one of indexedLists that path names, such as 2 for "meeting.agenda[2].minutes".
func pathElement(path string) (subject string, index int, ok bool) {
	for _, l := range indexedLists {
		rest, found := strings.CutPrefix(path, l.prefix)
		if !found {
			continue
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "", 0, false
		}
		i, err := strconv.Atoi(rest[:end])
		return l.subject, i, err == nil && i >= 0
	}
	return "", 0, false
}
