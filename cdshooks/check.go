package cdshooks

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// service answers POST /cds-services/collabmeet-appointment-book.
func (s *Service) service(w http.ResponseWriter, r *http.Request) {
	data, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var req Request
	if !decodeJSON(w, r, data, &req) {
		return
	}
	if a, ok := hookInstanceAttr(req.HookInstance); ok {
		note(r, a)
	}
	if problems := validateRequest(&req); len(problems) > 0 {
		writeError(w, r, http.StatusBadRequest, ErrCodeInvalid, "the request is not a valid CDS Hooks request", problems)
		return
	}
	if req.Hook != Hook {
		writeError(w, r, http.StatusBadRequest, ErrCodeWrongHook, "this service answers the hook "+Hook,
			[]validation.Problem{{Path: "hook", Message: "is not " + Hook}})
		return
	}
	fetched, ok := s.fillPrefetch(w, r, &req)
	if !ok {
		return
	}
	in, err := readInput(req.Context, req.Prefetch)
	if err != nil {
		if len(fetched) > 0 && errors.Is(err, fhir.ErrSyntax) &&
			slices.ContainsFunc(problemsOf(err), func(p validation.Problem) bool { return fetchedProblem(p, fetched) }) {
			writeError(w, r, http.StatusBadGateway, ErrCodeBadResponse,
				"the FHIR data fetched from fhirServer is not well-formed", problemsOf(err))
			return
		}
		fhirError(w, r, err)
		return
	}
	e := s.engine(r)
	resp := Response{Cards: []Card{}}
	var sum summary
	for i := range in.appointments {
		if r.Context().Err() != nil {
			return // http.TimeoutHandler has answered
		}
		cards, err := s.check(e, &req, in, i, &sum)
		if err != nil {
			fhirError(w, r, err)
			return
		}
		resp.Cards = append(resp.Cards, cards...)
	}
	codes := []string{}
	suggestions := 0
	for _, c := range resp.Cards {
		if c.Source.Topic != nil {
			codes = append(codes, c.Source.Topic.Code)
		}
		suggestions += len(c.Suggestions)
	}
	note(r, slog.String("lang", e.Lang().String()), slog.Int("appointments", len(in.appointments)),
		slog.Int("cards", len(resp.Cards)), slog.Any("codes", codes), slog.Int("suggestions", suggestions))
	if sum.skipped > 0 {
		note(r, slog.Int("skipped_resources", sum.skipped))
	}
	if sum.fixErrors > 0 {
		note(r, slog.Int("fix_errors", sum.fixErrors))
	}
	w.Header().Set("Content-Language", e.Lang().String())
	w.Header().Add("Vary", "Accept-Language")
	writeJSON(w, http.StatusOK, resp)
}

// summary counts what the log says about a request beyond its cards.
type summary struct {
	skipped   int // resources and references the mapping left out
	fixErrors int // fixes that could not be turned into a suggestion
}

// fhirError answers a request whose FHIR data cannot be read: 400 when it is
// not FHIR JSON of the right shape, 422 when it is FHIR that does not make a
// meeting.
func fhirError(w http.ResponseWriter, r *http.Request, err error) {
	problems := problemsOf(err)
	if errors.Is(err, fhir.ErrSyntax) {
		writeError(w, r, http.StatusBadRequest, ErrCodeMalformed, "the FHIR data of the request is not well-formed", problems)
		return
	}
	writeError(w, r, http.StatusUnprocessableEntity, ErrCodeUnprocessable,
		"the FHIR data of the request cannot be read as a collaboration meeting", problems)
}

// validateRequest checks the fields CDS Hooks requires.
func validateRequest(req *Request) []validation.Problem {
	var l validation.List
	switch {
	case req.HookInstance == "":
		l.Addf("hookInstance", "is required")
	case uuid.Validate(req.HookInstance) != nil || len(req.HookInstance) != 36:
		l.Addf("hookInstance", "is not a UUID (such as d1577c69-dfbe-44ad-ba6d-3e05e953b2ea)")
	}
	if req.Hook == "" {
		l.Addf("hook", "is required")
	}
	if req.FHIRServer != "" && !strings.HasPrefix(req.FHIRServer, "https://") && !strings.HasPrefix(req.FHIRServer, "http://") {
		l.Addf("fhirServer", "is not an http or https URL")
	}
	if len(req.FHIRAuthorization) > 0 && req.FHIRAuthorization.Kind() != '{' {
		l.Addf("fhirAuthorization", "is not an object")
	}
	if req.Context == nil {
		l.Addf("context", "is required")
		return l.Problems
	}
	if req.Context.UserID == "" {
		l.Addf("context.userId", "is required")
	}
	switch {
	case req.Context.PatientID == "":
		l.Addf("context.patientId", "is required")
	case !fhirID(req.Context.PatientID):
		l.Addf("context.patientId", "is not a FHIR id (1 to 64 letters, digits, '-' and '.')")
	}
	if k := req.Context.Appointments.Kind(); k == 0 || k == 'n' {
		l.Addf("context.appointments", "is required: a Bundle of the Appointments being booked")
	}
	return l.Problems
}

func fhirID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// missingPrefetch lists the required prefetch keys the request lacks. A
// key with the value null is present: the client has no such data.
func missingPrefetch(req *Request) []validation.Problem {
	var l validation.List
	for _, key := range requiredPrefetch {
		if _, ok := req.Prefetch[key]; !ok {
			l.Addf("prefetch."+key, "is required: %s (null when there is none)", Prefetch()[key])
		}
	}
	return l.Problems
}

// check checks appointment i of the request and returns its cards.
func (s *Service) check(e *recommend.Engine, req *Request, in *input, i int, sum *summary) ([]Card, error) {
	a := &in.appointments[i]
	as, err := assemble(a, in.others, mappingAt(s.canonical))
	if err != nil {
		return nil, err
	}
	sum.skipped += as.skipped
	c, src, err := as.mapping.reader().ReadBundle(as.bundle)
	if err != nil {
		return nil, as.relocate(err, src)
	}
	sum.skipped += len(src.Warnings())
	if !isPatient(c, src, req.Context.PatientID) {
		return nil, &validation.Error{Problems: []validation.Problem{{Path: "context.patientId",
			Message: "is not the patient of the meeting (the subject of the CareTeam)"}}}
	}
	rep := reports.Get().(*recommend.Report)
	defer reports.Put(rep)
	if err := e.CheckInto(rep, c); err != nil {
		return nil, err
	}
	for k := range rep.Results {
		for n := range rep.Results[k].Findings {
			f := &rep.Results[k].Findings[n]
			f.Reference = src.Reference(f.SubjectID)
			f.Expression = as.requestPath(src.Expression(f.Path))
		}
	}
	var fx *fixed
	if hasFixes(rep) {
		fx, err = s.fix(c, rep, a, as, src)
		if err != nil {
			sum.fixErrors++
			fx = nil
		}
	}
	ref := appointmentRef(a)
	multiple := len(in.appointments) > 1
	return cardsOf(e, rep, cardContext{
		hookInstance: req.HookInstance, appointment: ref, multiple: multiple, fixed: fx,
		topicSystem: s.topicSystem, overrideSystem: s.overrideSystem, texts: s.cardTexts[rep.Lang],
	}), nil
}

// reports are the reports of check, used again: the cards copy what they
// show of a report, and the fixes read it before check returns.
var reports = sync.Pool{New: func() any { return new(recommend.Report) }}

// relocate names the problems of reading the assembled Bundle by their
// places in the request.
// A problem of the case (consents[1].grantee_id), from validating the case
// read, is named by the element of the request it came from, with the case
// path in the message.
func (as *assembled) relocate(err error, src *fhir.Source) error {
	var verr *validation.Error
	if !errors.As(err, &verr) {
		return err
	}
	out := &validation.Error{Err: verr.Err}
	for _, p := range verr.Problems {
		if !strings.HasPrefix(p.Path, "Bundle") {
			if expr := src.Expression(p.Path); expr != "" {
				p.Message += " (" + p.Path + " in collabmeet's case)"
				p.Path = expr
			}
		}
		p.Path = as.requestPath(p.Path)
		out.Problems = append(out.Problems, p)
	}
	return out
}

// isPatient reports whether the case is about the patient of the context:
// the CareTeam's subject is Patient/patientId.
func isPatient(c *casedoc.Case, src *fhir.Source, patientID string) bool {
	ref := src.Reference(c.Meeting.PatientID)
	if ref == "Patient/"+patientID || strings.HasSuffix(ref, "/Patient/"+patientID) {
		return true
	}
	u, err := uuid.Parse(patientID)
	return err == nil && len(patientID) == 36 && u == c.Meeting.PatientID
}

// appointmentRef names the Appointment in the cards: "Appointment/id", else
// its fullUrl, else its place in the request.
func appointmentRef(a *appointment) string {
	if id := a.entry.Resource.ResourceID(); id != "" {
		return "Appointment/" + id
	}
	if a.entry.FullURL != "" {
		return a.entry.FullURL
	}
	return a.origin
}

func hasFixes(rep *recommend.Report) bool {
	for _, r := range rep.Results {
		if r.Outcome != recommend.OutcomeGap {
			continue
		}
		if slices.ContainsFunc(r.Findings, func(f recommend.Finding) bool { return len(f.Fixes) > 0 }) {
			return true
		}
	}
	return false
}

// cardUUID is the UUID of a card: a version 5 UUID of the hookInstance, the
// Appointment and the recommendation, so that the same call gives the same
// cards, and the cards of different calls differ.
func cardUUID(hookInstance, appointment, id string) string {
	return uuid.NewSHA1(cardSpace, []byte(hookInstance+"\x00"+appointment+"\x00"+id)).String()
}

// cardSpace is the name space of card and suggestion UUIDs.
var cardSpace = uuid.NewSHA1(uuid.NameSpaceURL, []byte(fhir.Base+"/cds-hooks/"+ServiceID))

func suggestionUUID(card string) string {
	return uuid.NewSHA1(cardSpace, []byte(card+"\x00fix")).String()
}
