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

// DefaultFetchGETs is the most GETs the service sends to FHIR servers for
// one request (FetchBudget.GETs): one for each of the four prefetch keys,
// and four more for next pages and redirects.
const DefaultFetchGETs = 8

// FetchBudget bounds what the service fetches from FHIR servers for one
// request, whoever sends it: a request chooses its fhirServer and its
// access token, so without a bound any caller could have the service send
// the EHR's FHIR server as many authenticated GETs as it liked. The budget
// is shared by the prefetch keys the request lacks, which are fetched
// concurrently; a fetch that would go beyond it fails with 502
// fhir_bad_response, and the request gets no cards.
type FetchBudget struct {
	// GETs is the most HTTP GETs for one request, every page of a search
	// and every redirect followed included; 0 is DefaultFetchGETs.
	GETs int
	// Bytes is the most bytes of the FHIR server's answers together (their
	// bodies) for one request; 0 is the body limit (WithMaxBodyBytes), as
	// the fetched prefetch takes the place of a request's.
	Bytes int64
}

// WithFetchBudget sets the FetchBudget of each request (default: 8 GETs
// and the body limit). New fails on a negative field.
func WithFetchBudget(b FetchBudget) Option {
	return func(c *config) { c.fetch.budget = b }
}

// WithFHIRAllowHTTP lets WithFHIRServers name http origins on hosts other
// than loopback ones (localhost, 127.0.0.0/8, ::1). The access token of a
// request then travels in clear: allow it only inside a network where that
// is acceptable, such as a TLS-terminating proxy's own link to the FHIR
// server. The default refuses them.
func WithFHIRAllowHTTP(allow bool) Option {
	return func(c *config) { c.fetch.allowHTTP = allow }
}

// ErrFHIRHTTP is the error of New for an http origin of WithFHIRServers on a
// host that is not loopback, without WithFHIRAllowHTTP.
var ErrFHIRHTTP = errors.New("is http on a host that is not loopback: the access token would travel in clear")

// fetchConfig is what the options of this file set.
type fetchConfig struct {
	servers   []string
	client    *http.Client
	budget    FetchBudget
	allowHTTP bool
}

// prefetchKeys are the keys of Prefetch, in the order a request's problems
// name them: the required ones first.
var prefetchKeys = []string{PrefetchPatient, PrefetchCareTeam, PrefetchConsents, PrefetchCarePlan}

// WithFHIRServers lets the service fetch a prefetch key that a request
// lacks from the request's fhirServer, as CDS Hooks allows, when fhirServer
// is on one of these origins: "https://ehr.example" or
// "https://ehr.example:8443" (scheme, host and port; no path). An http
// origin is accepted only on a loopback host (localhost, 127.0.0.0/8, ::1)
// unless WithFHIRAllowHTTP allows it, since the access token travels to it. A request's
// fhirServer is chosen by whoever sends the request, so this list is what
// keeps the service from being sent to fetch from anywhere else (SSRF): a
// fhirServer on any other origin is never connected to, and a missing
// required key is then answered with 412 prefetch_missing as without this
// option. A fhirServer that is not a plain base URL — with a fragment
// (even an empty "#"), user information, a query, or a path that is not
// normalised ("." or ".." segments, "//", percent-encoding, "\\") — is
// refused with 400 invalid_request naming fhirServer, before anything is
// fetched.
//
// The service fills the key's template of Prefetch with the request's
// context, and GETs fhirServer + "/" + the query with Accept:
// application/fhir+json and, when the request has fhirAuthorization, its
// access_token as a Bearer token. It fetches the keys concurrently and
// reads the answer as if the request had held it under the key; a search
// answered in pages is read to its last page (its next links on the same
// origin), its entries as one Bundle. All the GETs of a request, pages and
// redirects included, and the bytes of their answers are bounded by its
// FetchBudget (WithFetchBudget); every fetch ends with the request
// (WithTimeout) and with the client's own limit (WithFHIRClient;
// DefaultFHIRTimeout). The access token is sent only to the origins of
// this list: redirects and next pages to any other origin are not
// followed. A failure answers the call (see the package documentation):
//
//	400 invalid_request          fhirServer not a plain base URL, or fhirAuthorization without a usable access_token
//	412 fhir_fetch_failed        the FHIR server cannot be reached, is too slow or answers other than 2xx
//	502 fhir_bad_response        its answer is not FHIR JSON, redirects or pages to another origin, goes
//	                             beyond the FetchBudget (GETs or bytes), or is ill-formed FHIR
//
// New fails on an origin that is not an http or https URL with a host and
// nothing after the port, and on an http origin that is not allowed. Without this option (the default) the service never fetches.
func WithFHIRServers(origins ...string) Option {
	return func(c *config) { c.fetch.servers = append(c.fetch.servers, origins...) }
}

// WithFHIRClient sets the HTTP client that fetches from FHIR servers (see
// WithFHIRServers; without it, this option does nothing). The service uses
// a copy of client whose redirect policy follows at most three redirects
// per GET, each counted in the FetchBudget, and only within the origin of
// the fhirServer, before the client's own CheckRedirect. The default is a client with the timeout
// DefaultFHIRTimeout and http.DefaultTransport. A nil client is the
// default.
func WithFHIRClient(client *http.Client) Option {
	return func(c *config) { c.fetch.client = client }
}

// fetcher fetches missing prefetch keys from the FHIR servers of the
// allow-list.
type fetcher struct {
	origins map[string]bool // canonical origins, see canonicalOrigin
	client  *http.Client
	budget  FetchBudget // of each request, its fields set
}

// newFetcher checks the allow-list and makes the client. It returns nil
// when the list is empty: the service does not fetch. maxBody is the
// service's body limit, the default of the budget's bytes.
func newFetcher(cfg fetchConfig, maxBody int64) (*fetcher, error) {
	if cfg.budget.GETs < 0 || cfg.budget.Bytes < 0 {
		return nil, fmt.Errorf("cdshooks: the fetch budget must not be negative, not %d GETs and %d bytes", cfg.budget.GETs, cfg.budget.Bytes)
	}
	if len(cfg.servers) == 0 {
		return nil, nil
	}
	f := &fetcher{origins: make(map[string]bool), budget: cfg.budget}
	if f.budget.GETs == 0 {
		f.budget.GETs = DefaultFetchGETs
	}
	if f.budget.Bytes == 0 {
		f.budget.Bytes = maxBody
	}
	for _, o := range cfg.servers {
		u, err := url.Parse(o)
		if err != nil || u.Opaque != "" || u.User != nil || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(o, "#@") {
			return nil, fmt.Errorf("cdshooks: the FHIR server %q is not an origin such as https://ehr.example or https://ehr.example:8443", o)
		}
		origin, ok := canonicalOrigin(u)
		if !ok {
			return nil, fmt.Errorf("cdshooks: the FHIR server %q is not an http or https origin with a host", o)
		}
		if strings.HasPrefix(origin, "http:") && !cfg.allowHTTP && !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("cdshooks: the FHIR server %q %w (use https, or WithFHIRAllowHTTP)", o, ErrFHIRHTTP)
		}
		f.origins[origin] = true
	}
	c := &http.Client{Timeout: DefaultFHIRTimeout}
	if cfg.client != nil {
		copied := *cfg.client
		c = &copied
	}
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxFHIRRedirects {
			return errTooManyRedirects
		}
		to, ok1 := canonicalOrigin(req.URL)
		from, ok2 := canonicalOrigin(via[0].URL)
		if !ok1 || !ok2 || to != from || !f.origins[to] {
			return errOtherOrigin
		}
		if b, ok := req.Context().Value(budgetKey{}).(*budget); ok && !b.takeGET() {
			return errBudgetGETs
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	f.client = c
	return f, nil
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// budget is what is left of a request's FetchBudget; its fetches share it.
type budget struct {
	gets  atomic.Int64
	bytes atomic.Int64
}

func newBudget(b FetchBudget) *budget {
	var l budget
	l.gets.Store(int64(b.GETs))
	l.bytes.Store(b.Bytes)
	return &l
}

// takeGET takes one GET of the budget; false when none is left.
func (b *budget) takeGET() bool { return b.gets.Add(-1) >= 0 }

// sent is the number of GETs taken of the budget of, each sent (or
// refused by the client before it was).
func (b *budget) sent(of FetchBudget) int64 {
	return int64(of.GETs) - max(b.gets.Load(), 0)
}

// budgetKey is the context key of a request's *budget, for the redirect
// policy.
type budgetKey struct{}

// budgetReader reads r, taking what it reads from the budget's bytes; it
// fails with errBudgetBytes once the budget is spent.
type budgetReader struct {
	r io.Reader
	b *budget
}

func (br budgetReader) Read(p []byte) (int, error) {
	n, err := br.r.Read(p)
	if br.b.bytes.Add(-int64(n)) < 0 {
		return n, errBudgetBytes
	}
	return n, err
}

var (
	errOtherOrigin      = errors.New("cdshooks: a redirect to another origin")
	errTooManyRedirects = errors.New("cdshooks: too many redirects")
	errBudgetGETs       = errors.New("cdshooks: the fetch budget of GETs is spent")
	errBudgetBytes      = errors.New("cdshooks: the fetch budget of bytes is spent")
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

// checkFHIRServer reports what keeps a request's fhirServer from being a
// plain base URL to put a query after: "" when nothing does. The message
// describes, never quotes, the value.
func checkFHIRServer(fhirServer string) string {
	u, err := url.Parse(fhirServer)
	switch {
	case err != nil || u.Opaque != "":
		return "is not a URL"
	case strings.Contains(fhirServer, "#"):
		return "has a fragment (#), which a FHIR base URL cannot have"
	case u.User != nil || strings.Contains(u.Host, "@"):
		return "has user information (@), which a FHIR base URL cannot have"
	case u.RawQuery != "" || u.ForceQuery:
		return "has a query (?), which a FHIR base URL cannot have"
	}
	if _, ok := canonicalOrigin(u); !ok {
		return "is not an http or https URL with a host and a valid port"
	}
	if !normalPath(fhirServer, u) {
		return "has a path that is not normalised (a . or .. segment, //, percent-encoding or a character a path does not hold as it is)"
	}
	return ""
}

// pathSegment is a segment of a normalised path: unreserved characters and
// sub-delimiters of RFC 3986, ":" and "@", nothing percent-encoded.
var pathSegment = regexp.MustCompile(`^[A-Za-z0-9\-._~!$&'()*+,;=:@]+$`)

// normalPath reports whether the path of the URL raw (parsed: u) is
// normalised: no "." or ".." segment, no empty one (but a final "/"), no
// percent-encoding anywhere (%2e, %2f and the like), no "\\", only
// characters that a path holds as they are.
func normalPath(raw string, u *url.URL) bool {
	if strings.ContainsAny(raw, "%\\") {
		return false
	}
	p := strings.TrimSuffix(strings.TrimPrefix(u.Path, "/"), "/")
	if p == "" {
		return true
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." || !pathSegment.MatchString(seg) {
			return false
		}
	}
	return true
}

// base returns the fhirServer of a request, without a trailing slash, when
// the service may fetch from it: it is a plain base URL (checkFHIRServer)
// on an origin of the allow-list.
func (f *fetcher) base(fhirServer string) (string, bool) {
	if checkFHIRServer(fhirServer) != "" {
		return "", false
	}
	u, err := url.Parse(fhirServer)
	if err != nil {
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
	fetchBudget      = "budget"
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
// searchset Bundle with a next page is read to its last page (each on the
// origin of base), and its entries returned as one Bundle, as a client
// sends a prefetch. Every GET, and every byte of the answers, is taken from
// b, the request's budget.
func (f *fetcher) fetch(ctx context.Context, base, query, token string, b *budget) (jsontext.Value, *fetchError) {
	u, err := url.Parse(base + "/" + query)
	if err != nil || u.Fragment != "" || u.User != nil {
		return nil, &fetchError{kind: fetchUnreachable, message: "could not be fetched: fhirServer and the query do not make a URL"}
	}
	origin, ok := canonicalOrigin(u)
	if !ok || !f.origins[origin] {
		return nil, &fetchError{kind: fetchUnreachable, message: "could not be fetched: the query leaves the origin of fhirServer"}
	}
	ctx = context.WithValue(ctx, budgetKey{}, b)
	v, at, ferr := f.get(ctx, u, token, b)
	if ferr != nil {
		return nil, ferr
	}
	page, ok := pageOf(v)
	if !ok || page.next() == "" {
		return v, nil
	}
	entries := page.Entry
	for page.next() != "" {
		next, err := at.Parse(page.next())
		if err != nil {
			return nil, &fetchError{kind: fetchPages, message: "could not be used: the next page of the search is not on the origin of fhirServer"}
		}
		if o, ok := canonicalOrigin(next); !ok || o != origin || next.User != nil {
			return nil, &fetchError{kind: fetchPages, message: "could not be used: the next page of the search is not on the origin of fhirServer"}
		}
		next.Fragment, next.RawFragment = "", ""
		v, at, ferr = f.get(ctx, next, token, b)
		if ferr != nil {
			return nil, ferr
		}
		if page, ok = pageOf(v); !ok {
			return nil, &fetchError{kind: fetchNotJSON, message: "could not be used: a next page of the search is not a searchset Bundle"}
		}
		entries = append(entries, page.Entry...)
	}
	merged, err := json.Marshal(searchset{ResourceType: "Bundle", Type: "searchset", Entry: entries})
	if err != nil {
		return nil, &fetchError{kind: fetchNotJSON, message: "could not be used: the pages of the search do not make a Bundle"}
	}
	return merged, nil
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

// get GETs u and returns the JSON of the answer and the URL it came from
// after redirects, taking the GET and the bytes of the answer from b. The
// token goes only to an origin of the allow-list.
func (f *fetcher) get(ctx context.Context, u *url.URL, token string, b *budget) (jsontext.Value, *url.URL, *fetchError) {
	if o, ok := canonicalOrigin(u); !ok || !f.origins[o] {
		return nil, nil, &fetchError{kind: fetchUnreachable, message: "could not be fetched: the query leaves the origin of fhirServer"}
	}
	if !b.takeGET() {
		return nil, nil, f.budgetGETs()
	}
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
		case errors.Is(err, errBudgetGETs):
			return nil, nil, f.budgetGETs()
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
	if resp.ContentLength > b.bytes.Load() {
		b.bytes.Store(-1) // spent: the other fetches of the request stop too
		return nil, nil, f.budgetBytes()
	}
	if !isFHIRJSON(resp.Header.Get("Content-Type")) {
		return nil, nil, &fetchError{kind: fetchNotJSON, message: "could not be used: the answer of fhirServer is not FHIR JSON (its Content-Type)"}
	}
	data, err := io.ReadAll(budgetReader{r: resp.Body, b: b})
	switch {
	case errors.Is(err, errBudgetBytes):
		return nil, nil, f.budgetBytes()
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

// budgetGETs and budgetBytes are the failures of a spent budget.
func (f *fetcher) budgetGETs() *fetchError {
	return &fetchError{kind: fetchBudget,
		message: fmt.Sprintf("could not be used: fetching it needs more GETs than the budget of %d for a request (pages and redirects included)", f.budget.GETs)}
}

func (f *fetcher) budgetBytes() *fetchError {
	return &fetchError{kind: fetchBudget,
		message: fmt.Sprintf("could not be used: the answers of fhirServer are larger than the budget of %d bytes for a request", f.budget.Bytes)}
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
		if msg := checkFHIRServer(req.FHIRServer); msg != "" {
			note(r, slog.String("fetch_error", "bad_fhir_server"))
			writeError(w, r, http.StatusBadRequest, ErrCodeInvalid, "fhirServer is not a FHIR base URL this service can fetch from",
				[]validation.Problem{{Path: "fhirServer", Message: msg}})
			return nil, false
		}
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
	left := newBudget(s.fetch.budget)
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
			fetched[i], errs[i] = s.fetch.fetch(r.Context(), base, queries[i], token, left)
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
	note(r, slog.Int64("fhir_gets", left.sent(s.fetch.budget)))
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
