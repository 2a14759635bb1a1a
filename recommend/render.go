package recommend

import (
	"strconv"
	"strings"
)

// render completes a finding reported by a rule: the subject's role and
// position, and its texts in the engine's language.
func (e *Engine) render(pass *Pass, f *Finding) {
	m := pass.Meeting
	subject, args := e.subject(pass, f)
	if k := pass.Participant(f.SubjectID); k >= 0 {
		f.SubjectRole = m.Participants[k].Role
		f.order = k
	}
	f.Subject = e.texts.Text(e.lang, subject, args)
	f.Message = e.texts.Text(e.lang, f.Code+".message", f.Args)
	f.Remedy = e.texts.Text(e.lang, f.Code+".remedy", f.Args)
	for i := range f.Fixes {
		fx := &f.Fixes[i]
		fx.Message = e.texts.Text(e.lang, fx.Code, fx.Args)
	}
}

// subject returns the message that names the subject of f for people, and
// its args: the participant by role and position when the subject is one,
// else what the path points at ("agenda item 4 (discussion)", "action 2 in
// the action plan"). Never a name, title or other free text of the case.
func (e *Engine) subject(pass *Pass, f *Finding) (string, Args) {
	m := pass.Meeting
	if k := pass.Participant(f.SubjectID); k >= 0 {
		return "subject.participant", Args{"role": m.Participants[k].Role, "position": k + 1}
	}
	path := f.Path
	if i, ok := pathIndex(path, "meeting.agenda["); ok {
		f.order = i
		args := Args{"position": i + 1}
		if i < len(m.Agenda) {
			args["item_kind"] = m.Agenda[i].Kind
		}
		return "subject.item", args
	}
	if i, ok := pathIndex(path, "meeting.participants["); ok {
		f.order = i
		return "subject.participant_position", Args{"position": i + 1}
	}
	if i, ok := pathIndex(path, "plan.actions["); ok {
		f.order = i
		return "subject.action", Args{"position": i + 1}
	}
	if i, ok := pathIndex(path, "consents["); ok {
		f.order = i
		return "subject.consent", Args{"position": i + 1}
	}
	switch {
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

// pathIndex returns the index in brackets that follows prefix in path.
func pathIndex(path, prefix string) (int, bool) {
	if !strings.HasPrefix(path, prefix) {
		return 0, false
	}
	rest := path[len(prefix):]
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, false
	}
	i, err := strconv.Atoi(rest[:end])
	return i, err == nil && i >= 0
}
