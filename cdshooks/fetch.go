package cdshooks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// This file fetches the prefetch keys a request lacks from its fhirServer
// (CDS Hooks 2.0, "FHIR Resource Access"), when the service was made with
// WithFHIRServers and the fhirServer is one of them.

// DefaultFHIRTimeout is the time limit of the default client of
// WithFHIRServers: the longest one fetch may take. The request's own limit
// (WithTimeout) bounds all its fetches together.
const DefaultFHIRTimeout = 5 * time.Second

// maxFHIRRedirects is the most redirects one fetch follows, each within the
// origin of the fhirServer.
const maxFHIRRedirects = 3

// maxFHIRPages is the most pages of one search (a prefetch key) the service
// reads: at most 4 × 8 GETs per request.
const maxFHIRPages = 8

// prefetchKeys are the keys of Prefetch, in the order a request's problems
// name them: the required ones first.
var prefetchKeys = []string{PrefetchPatient, PrefetchCareTeam, PrefetchConsents, PrefetchCarePlan}

// WithFHIRServers lets the service fetch a prefetch key that a request
// lacks from the request's fhirServer, as CDS Hooks allows, when fhirServer
// is on one of these origins: "https://ehr.example" or
// "https://ehr.example:8443" (scheme, host and port; no path). A request's
// fhirServer is chosen by whoever sends the request, so this list is what
// keeps the service from being sent to fetch from anywhere else (SSRF): a
// fhirServer on any other origin is never connected to, and a missing
// required key is then answered with 412 prefetch_missing as without this
// option.
//
// The service fills the key's template of Prefetch with the request's
// context, and GETs fhirServer + "/" + the query with Accept:
// application/fhir+json and, when the request has fhirAuthorization, its
// access_token as a Bearer token. It fetches the keys concurrently and
// reads the answer as if the request had held it under the key; a search
// answered in pages is read to its last page (its next links on the same
// origin), its entries as one Bundle. Per key at most 8 pages, together no
// larger than a request body (WithMaxBodyBytes); every fetch ends with the
// request (WithTimeout) and with the client's own limit (WithFHIRClient;
// DefaultFHIRTimeout). A failure answers the call (see the package
// documentation):
//
//	400 invalid_request          fhirAuthorization without a usable access_token
//	412 fhir_fetch_failed        the FHIR server cannot be reached, is too slow or answers other than 2xx
//	502 fhir_bad_response        its answer is not FHIR JSON, is larger than the limit, redirects or pages
//	                             to another origin, has more than 8 pages, or is ill-formed FHIR
//
// Use https origins: the access token travels to them. New fails on an
// origin that is not an http or https URL with a host and nothing after
// the port. Without this option (the default) the service never fetches.
func WithFHIRServers(origins ...string) Option {
	return func(c *config) { c.fhirServers = append(c.fhirServers, origins...) }
}

// WithFHIRClient sets the HTTP client that fetches from FHIR servers (see
// WithFHIRServers; without it, this option does nothing). The service uses
// a copy of client whose redirect policy follows at most three redirects,
// and only within the origin of the fhirServer, before the client's own
// CheckRedirect. The default is a client with the timeout
// DefaultFHIRTimeout and http.DefaultTransport. A nil client is the
// default.
func WithFHIRClient(client *http.Client) Option {
	return func(c *config) { c.fhirClient = client }
}

// fetcher fetches missing prefetch keys from the FHIR servers of the
// allow-list.
type fetcher struct {
	origins  map[string]bool // canonical origins, see canonicalOrigin
	client   *http.Client
	maxBytes int64
}

// newFetcher checks the allow-list and makes the client. It returns nil
// when the list is empty: the service does not fetch.
func newFetcher(origins []string, client *http.Client, maxBytes int64) (*fetcher, error) {
	if len(origins) == 0 {
		return nil, nil
	}
	f := &fetcher{origins: make(map[string]bool), maxBytes: maxBytes}
	for _, o := range origins {
		u, err := url.Parse(o)
		if err != nil || u.Opaque != "" || u.User != nil || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			return nil, fmt.Errorf("cdshooks: the FHIR server %q is not an origin such as https://ehr.example or https://ehr.example:8443", o)
		}
		origin, ok := canonicalOrigin(u)
		if !ok {
			return nil, fmt.Errorf("cdshooks: the FHIR server %q is not an http or https origin with a host", o)
		}
		f.origins[origin] = true
	}
	c := &http.Client{Timeout: DefaultFHIRTimeout}
	if client != nil {
		copied := *client
		c = &copied
	}
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxFHIRRedirects {
			return errTooManyRedirects
		}
		to, ok1 := canonicalOrigin(req.URL)
		from, ok2 := canonicalOrigin(via[0].URL)
		if !ok1 || !ok2 || to != from {
			return errOtherOrigin
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	f.client = c
	return f, nil
}

var (
	errOtherOrigin      = errors.New("cdshooks: a redirect to another origin")
	errTooManyRedirects = errors.New("cdshooks: too many redirects")
)

// canonicalOrigin is scheme://host:port of an http or https URL, in lower
// case, with the default port made explicit.
func canonicalOrigin(u *url.URL) (string, bool) {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if host == "" {
		return "", false
	}
	switch {
	case scheme == "https" && port == "":
		port = "443"
	case scheme == "http" && port == "":
		port = "80"
	case scheme != "http" && scheme != "https":
		return "", false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", false
	}
	return scheme + "://" + net.JoinHostPort(host, port), true
}

// base returns the fhirServer of a request, without a trailing slash, when
// the service may fetch from it.
func (f *fetcher) base(fhirServer string) (string, bool) {
	u, err := url.Parse(fhirServer)
	if err != nil || u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", false
	}
	origin, ok := canonicalOrigin(u)
	if !ok || !f.origins[origin] {
		return "", false
	}
	return strings.TrimRight(fhirServer, "/"), true
}

// tokenRE is what this service sends as a bearer token: visible ASCII
// (RFC 6750 allows less), so that it cannot break the header.
var tokenRE = regexp.MustCompile(`^[\x21-\x7e]+$`)

// bearerToken reads the access token of fhirAuthorization: "" when there is
// none. Its problems never quote the token.
func bearerToken(auth jsontext.Value) (string, []validation.Problem) {
	if k := auth.Kind(); k == 0 || k == 'n' {
		return "", nil
	}
	var a struct {
		AccessToken *string `json:"access_token"`
		TokenType   *string `json:"token_type"`
	}
	if err := json.Unmarshal(auth, &a); err != nil {
		return "", []validation.Problem{{Path: "fhirAuthorization", Message: "is not an object with the string access_token"}}
	}
	var l validation.List
	switch {
	case a.AccessToken == nil || *a.AccessToken == "":
		l.Addf("fhirAuthorization.access_token", "is required to fetch from fhirServer")
	case !tokenRE.MatchString(*a.AccessToken):
		l.Addf("fhirAuthorization.access_token", "is not a bearer token (visible ASCII characters)")
	}
	if a.TokenType != nil && !strings.EqualFold(*a.TokenType, "Bearer") {
		l.Addf("fhirAuthorization.token_type", "is not Bearer")
	}
	if len(l.Problems) > 0 {
		return "", l.Problems
	}
	return *a.AccessToken, nil
}

// tokenPattern is a prefetch token such as {{context.patientId}}.
var tokenPattern = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// fillTemplate puts the values of the prefetch tokens into a template of
// Prefetch. A value is escaped for where it goes (a path segment or a query
// value), and refused when it would change the query's shape: empty, "."
// or "..", with a control character, or with a "/" in a path. The error
// names the token, never the value.
func fillTemplate(template string, values map[string]string) (string, error) {
	var b strings.Builder
	var err error
	query := strings.IndexByte(template, '?')
	last := 0
	for _, m := range tokenPattern.FindAllStringSubmatchIndex(template, -1) {
		b.WriteString(template[last:m[0]])
		last = m[1]
		token := template[m[2]:m[3]]
		v, ok := values[token]
		inPath := query < 0 || m[0] < query
		switch {
		case !ok:
			err = fmt.Errorf("the prefetch token %s has no value", token)
		case v == "" || v == "." || v == ".." || strings.ContainsFunc(v, isControl):
			err = fmt.Errorf("%s cannot be put into a FHIR query", token)
		case inPath && strings.Contains(v, "/"):
			err = fmt.Errorf("%s cannot be put into a FHIR query", token)
		case inPath:
			b.WriteString(url.PathEscape(v))
		default:
			b.WriteString(url.QueryEscape(v))
		}
		if err != nil {
			return "", err
		}
	}
	b.WriteString(template[last:])
	return b.String(), nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// contextValues are the values of the prefetch tokens of a request.
func contextValues(ctx *AppointmentBookContext) map[string]string {
	v := map[string]string{"context.patientId": ctx.PatientID, "context.userId": ctx.UserID}
	if ctx.EncounterID != "" {
		v["context.encounterId"] = ctx.EncounterID
	}
	return v
}

// Why a fetch failed: the value of fetch_error in the log.
const (
	fetchUnreachable = "unreachable"
	fetchTimeout     = "timeout"
	fetchStatus      = "status"
	fetchRedirect    = "redirect"
	fetchTooLarge    = "too_large"
	fetchNotJSON     = "not_json"
	fetchPages       = "pages"
)

// fetchError is a fetch that failed: what the log says (kind, the FHIR
// server's status) and what the answer says, without anything of the
// request, the token or the FHIR server's answer but its status.
type fetchError struct {
	kind    string
	status  int // the FHIR server's status, for kind fetchStatus
	message string
}

// httpStatus is the status of the service's answer: 412 when the data
// cannot be had, 502 when the FHIR server gave something unusable.
func (e *fetchError) httpStatus() int {
	switch e.kind {
	case fetchUnreachable, fetchTimeout, fetchStatus:
		return http.StatusPreconditionFailed
	}
	return http.StatusBadGateway
}

// fetch GETs one query from base and returns the JSON of the answer. A
// searchset Bundle with a next page is read to its last page (at most
// maxFHIRPages, each on the origin of base, all within the size limit
// together), and its entries returned as one Bundle, as a client sends a
// prefetch.
func (f *fetcher) fetch(ctx context.Context, base, query, token string) (v jsontext.Value, gets int, ferr *fetchError) {
	u, err := url.Parse(base + "/" + query)
	if err != nil {
		return nil, gets, &fetchError{kind: fetchUnreachable, message: "could not be fetched: fhirServer and the query do not make a URL"}
	}
	origin, ok := canonicalOrigin(u)
	if !ok || !f.origins[origin] {
		return nil, gets, &fetchError{kind: fetchUnreachable, message: "could not be fetched: the query leaves the origin of fhirServer"}
	}
	v, at, ferr := f.get(ctx, u, token, f.maxBytes)
	gets++
	if ferr != nil {
		return nil, gets, ferr
	}
	page, ok := pageOf(v)
	if !ok || page.next() == "" {
		return v, gets, nil
	}
	used := int64(len(v))
	entries := page.Entry
	for pages := 1; page.next() != ""; pages++ {
		if pages == maxFHIRPages {
			return nil, gets, &fetchError{kind: fetchPages, message: fmt.Sprintf("could not be used: the search has more than %d pages", maxFHIRPages)}
		}
		next, err := at.Parse(page.next())
		if err != nil {
			return nil, gets, &fetchError{kind: fetchPages, message: "could not be used: the next page of the search is not on the origin of fhirServer"}
		}
		if o, ok := canonicalOrigin(next); !ok || o != origin {
			return nil, gets, &fetchError{kind: fetchPages, message: "could not be used: the next page of the search is not on the origin of fhirServer"}
		}
		v, at, ferr = f.get(ctx, next, token, f.maxBytes-used)
		gets++
		if ferr != nil {
			if ferr.kind == fetchTooLarge {
				ferr.message = fmt.Sprintf("could not be used: the pages of the search are larger than the limit of %d bytes", f.maxBytes)
			}
			return nil, gets, ferr
		}
		used += int64(len(v))
		if page, ok = pageOf(v); !ok {
			return nil, gets, &fetchError{kind: fetchNotJSON, message: "could not be used: a next page of the search is not a searchset Bundle"}
		}
		entries = append(entries, page.Entry...)
	}
	merged, err := json.Marshal(searchset{ResourceType: "Bundle", Type: "searchset", Entry: entries})
	if err != nil {
		return nil, gets, &fetchError{kind: fetchNotJSON, message: "could not be used: the pages of the search do not make a Bundle"}
	}
	return merged, gets, nil
}

// searchset is a page of a FHIR search: what paging needs of it.
type searchset struct {
	ResourceType string           `json:"resourceType"`
	Type         string           `json:"type"`
	Link         []bundleLink     `json:"link,omitempty"`
	Entry        []jsontext.Value `json:"entry,omitempty"`
}

type bundleLink struct {
	Relation string `json:"relation"`
	URL      string `json:"url"`
}

// next is the URL of the next page, or "".
func (p *searchset) next() string {
	for _, l := range p.Link {
		if l.Relation == "next" {
			return l.URL
		}
	}
	return ""
}

// pageOf reads a searchset Bundle; false when v is something else, which
// then is read as any prefetch is.
func pageOf(v jsontext.Value) (*searchset, bool) {
	var p searchset
	if err := json.Unmarshal(v, &p); err != nil || p.ResourceType != "Bundle" || p.Type != "searchset" {
		return nil, false
	}
	return &p, true
}

// get GETs u and returns the JSON of the answer, at most limit bytes, and
// the URL it came from after redirects.
func (f *fetcher) get(ctx context.Context, u *url.URL, token string, limit int64) (jsontext.Value, *url.URL, *fetchError) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, &fetchError{kind: fetchUnreachable, message: "could not be fetched: fhirServer and the query do not make a URL"}
	}
	req.Header.Set("Accept", "application/fhir+json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		var uerr *url.Error
		switch {
		case errors.Is(err, errOtherOrigin):
			return nil, nil, &fetchError{kind: fetchRedirect, message: "could not be fetched: fhirServer redirected to another origin, which this service does not follow"}
		case errors.Is(err, errTooManyRedirects):
			return nil, nil, &fetchError{kind: fetchRedirect, message: fmt.Sprintf("could not be fetched: fhirServer redirected more than %d times", maxFHIRRedirects)}
		case errors.As(err, &uerr) && uerr.Timeout():
			return nil, nil, &fetchError{kind: fetchTimeout, message: "could not be fetched: fhirServer did not answer in time"}
		}
		return nil, nil, &fetchError{kind: fetchUnreachable, message: "could not be fetched: fhirServer could not be reached"}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, &fetchError{kind: fetchStatus, status: resp.StatusCode,
			message: fmt.Sprintf("could not be fetched: fhirServer answered with status %d", resp.StatusCode)}
	}
	tooLarge := &fetchError{kind: fetchTooLarge,
		message: fmt.Sprintf("could not be used: the answer of fhirServer is larger than the limit of %d bytes", f.maxBytes)}
	if resp.ContentLength > limit {
		return nil, nil, tooLarge
	}
	if !isFHIRJSON(resp.Header.Get("Content-Type")) {
		return nil, nil, &fetchError{kind: fetchNotJSON, message: "could not be used: the answer of fhirServer is not FHIR JSON (its Content-Type)"}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	switch {
	case int64(len(data)) > limit:
		return nil, nil, tooLarge
	case err != nil:
		var uerr *url.Error
		if errors.As(err, &uerr) && uerr.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			return nil, nil, &fetchError{kind: fetchTimeout, message: "could not be fetched: fhirServer did not answer in time"}
		}
		return nil, nil, &fetchError{kind: fetchUnreachable, message: "could not be fetched: the answer of fhirServer broke off"}
	}
	v := jsontext.Value(data)
	if !v.IsValid() || v.Kind() != '{' {
		return nil, nil, &fetchError{kind: fetchNotJSON, message: "could not be used: the answer of fhirServer is not a FHIR resource or Bundle in JSON"}
	}
	return v, resp.Request.URL, nil
}

// isFHIRJSON reports whether a Content-Type is JSON, including the
// application/json+fhir of FHIR before R4.
func isFHIRJSON(contentType string) bool {
	if isJSON(contentType) {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json+fhir"
}

// fillPrefetch fetches the prefetch keys the request lacks, when the
// service may, and puts them into req.Prefetch. It returns the keys it
// fetched; on failure it has answered the request, and returns false.
func (s *Service) fillPrefetch(w http.ResponseWriter, r *http.Request, req *Request) ([]string, bool) {
	var absent []string
	for _, key := range prefetchKeys {
		if _, ok := req.Prefetch[key]; !ok {
			absent = append(absent, key)
		}
	}
	if len(absent) == 0 {
		return nil, true
	}
	missing := missingPrefetch(req)
	var base string
	allowed := false
	if s.fetch != nil && req.FHIRServer != "" {
		base, allowed = s.fetch.base(req.FHIRServer)
	}
	if !allowed {
		if len(missing) == 0 {
			return nil, true // only optional keys are absent: checked without them
		}
		msg := "required prefetch is missing, and this service does not fetch FHIR data itself"
		switch {
		case s.fetch == nil && req.FHIRServer != "":
			msg = "required prefetch is missing: this service does not fetch FHIR data from fhirServer, so send the prefetch"
		case s.fetch != nil && req.FHIRServer == "":
			msg = "required prefetch is missing, and the request has no fhirServer to fetch it from"
		case s.fetch != nil:
			msg = "required prefetch is missing, and this service may not fetch from the fhirServer of the request, so send the prefetch"
			missing = append([]validation.Problem{{Path: "fhirServer", Message: "is not a FHIR server this service may fetch from"}}, missing...)
			note(r, slog.String("fetch_error", "not_allowed"))
		}
		writeError(w, r, http.StatusPreconditionFailed, ErrCodePrefetchMissing, msg, missing)
		return nil, false
	}

	token, problems := bearerToken(req.FHIRAuthorization)
	values := contextValues(req.Context)
	queries := make([]string, len(absent))
	for i, key := range absent {
		q, err := fillTemplate(Prefetch()[key], values)
		if err != nil {
			problems = append(problems, validation.Problem{Path: "prefetch." + key, Message: "cannot be fetched: " + err.Error()})
		}
		queries[i] = q
	}
	if len(problems) > 0 {
		writeError(w, r, http.StatusBadRequest, ErrCodeInvalid, "the request does not allow fetching its missing prefetch from fhirServer", problems)
		return nil, false
	}

	fetched := make([]jsontext.Value, len(absent))
	errs := make([]*fetchError, len(absent))
	gets := make([]int, len(absent))
	var wg sync.WaitGroup
	var panicked atomic.Bool
	for i := range absent {
		wg.Go(func() {
			// A panic here would end the process: it is raised again
			// below, where recovered answers 500.
			defer func() {
				if p := recover(); p != nil {
					panicked.Store(true)
				}
			}()
			fetched[i], gets[i], errs[i] = s.fetch.fetch(r.Context(), base, queries[i], token)
		})
	}
	wg.Wait()
	if panicked.Load() {
		panic("cdshooks: a fetch panicked")
	}
	if r.Context().Err() != nil {
		return nil, false // http.TimeoutHandler has answered
	}
	status := 0
	var l validation.List
	for i, e := range errs {
		if e == nil {
			continue
		}
		l.Addf("prefetch."+absent[i], "%s", e.message)
		if status == 0 || e.httpStatus() == http.StatusPreconditionFailed {
			status = e.httpStatus()
		}
		note(r, slog.String("fetch_error", e.kind))
		if e.status != 0 {
			note(r, slog.Int("fhir_status", e.status))
		}
	}
	total := 0
	for _, n := range gets {
		total += n
	}
	note(r, slog.Int("fhir_gets", total))
	if status != 0 {
		if status == http.StatusPreconditionFailed {
			writeError(w, r, status, ErrCodeFetchFailed, "prefetch is missing and could not be fetched from fhirServer", l.Problems)
		} else {
			writeError(w, r, status, ErrCodeBadResponse, "prefetch is missing, and what fhirServer answered cannot be used", l.Problems)
		}
		return nil, false
	}
	if req.Prefetch == nil {
		req.Prefetch = make(map[string]jsontext.Value, len(absent))
	}
	for i, key := range absent {
		req.Prefetch[key] = fetched[i]
	}
	note(r, slog.Any("fetched", absent))
	return absent, true
}

// fetchedProblem reports whether a problem is about data the service
// fetched.
func fetchedProblem(p validation.Problem, fetched []string) bool {
	for _, key := range fetched {
		path := "prefetch." + key
		if p.Path == path || strings.HasPrefix(p.Path, path+".") || strings.HasPrefix(p.Path, path+"[") {
			return true
		}
	}
	return false
}
