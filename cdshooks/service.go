package cdshooks

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/google/uuid"
)

// The defaults of the limits.
const (
	// DefaultMaxBodyBytes is the largest request body: a booking with its
	// prefetch is some tens of KiB.
	DefaultMaxBodyBytes = 4 << 20
	// DefaultTimeout is the longest a request may take; CDS Hooks asks for
	// answers within about half a second, and a check takes milliseconds.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxInFlight is how many requests the service handles at once;
	// one more is answered 503 busy with Retry-After. The bodies of the
	// requests in flight take at most DefaultMaxInFlight ×
	// DefaultMaxBodyBytes (128 MiB) of memory.
	DefaultMaxInFlight = 32
)

// ErrCodeBusy is the code of the 503 answered when the service has as many
// requests in flight as WithMaxInFlight allows, or when ClientAuth's replay
// cache is full; the answer has a Retry-After header.
const ErrCodeBusy = "busy"

//go:embed messages/*.json
var messages embed.FS

// Service is the CDS Hooks service of collabmeet for the appointment-book
// hook: an http.Handler serving
//
//	GET  /cds-services                                     discovery
//	POST /cds-services/collabmeet-appointment-book          the service
//	POST /cds-services/collabmeet-appointment-book/feedback feedback
//
// Mount it at the root of a server or a mux ("/cds-services" and
// "/cds-services/"), or under a prefix with http.StripPrefix. A Service is
// safe for concurrent use; create it with New.
type Service struct {
	engines map[recommend.Lang]*recommend.Engine
	langs   []recommend.Lang // the languages of the engines, English first
	// fixer applies the fixes (fix.Apply): the same catalogue, policy and
	// rules, without texts, which no one reads in the rounds of fixing.
	fixer *recommend.Engine
	// cardTexts keeps, for each language, the texts of the cards that are
	// the same on every request.
	cardTexts map[recommend.Lang]*textCache
	log       *slog.Logger
	maxBody   int64
	timeout   time.Duration
	authorize func(*http.Request) error
	auth      *ClientAuth   // nil: no client authentication
	slots     chan struct{} // the requests in flight
	metrics   *Metrics      // nil: no metrics
	cors      map[string]bool
	fetch     *fetcher // nil: the service does not fetch
	handler   http.Handler

	// canonical is the canonical base (WithCanonicalBase); topicSystem and
	// overrideSystem the code systems of the cards under it.
	canonical, topicSystem, overrideSystem string
}

// Option configures New.
type Option func(*config)

type config struct {
	catalogue *recommend.Catalogue
	engine    []recommend.Option
	log       *slog.Logger
	maxBody   int64
	timeout   time.Duration
	authorize func(*http.Request) error
	fetch     fetchConfig // fetch.go
	auth      *ClientAuth
	inFlight  int
	metrics   *Metrics
	cors      []string

	canonical string
}

// WithCanonicalBase sets the canonical base of the service (default
// DefaultCanonicalBase): the code system of the cards' topics is base +
// "/CodeSystem/finding-code", that of the override reasons base +
// "/CodeSystem/override-reason", and the extensions the service reads in
// requests and writes in suggestions are base + "/StructureDefinition/" +
// name (fhir.Reader and fhir.Writer with Canonical base), as the
// conformance resources of
// fhir.Conformance{Canonical: base} and of `collabmeet serve
// --canonical-base` name them. base is an absolute http or https URL without
// a query or fragment; a trailing slash is dropped.
func WithCanonicalBase(base string) Option { return func(c *config) { c.canonical = base } }

// DefaultCanonicalBase is the canonical base when WithCanonicalBase is not
// given: fhir.DefaultCanonical, the one constant of the whole module.
const DefaultCanonicalBase = fhir.DefaultCanonical

// CanonicalBase returns the canonical base of the service.
func (s *Service) CanonicalBase() string { return s.canonical }

// checkCanonical checks a canonical base and drops its trailing slash, as
// fhir.CanonicalBase does for the Reader and Writer of requests.
func checkCanonical(base string) (string, error) {
	b, err := fhir.CanonicalBase(base)
	if err != nil {
		return "", fmt.Errorf("cdshooks: the canonical base must be an absolute http or https URL without user, query or fragment: %w", err)
	}
	return b, nil
}

// WithLogger logs one record per request to l: the endpoint, the status,
// the hookInstance, the number of appointments and cards, the
// recommendation IDs of the cards, feedback outcomes and the duration —
// never a name, an identifier, a FHIR id or free text of the request. The
// default logs nothing.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithMaxBodyBytes limits the request body (default DefaultMaxBodyBytes); a
// larger one gets 413.
func WithMaxBodyBytes(n int64) Option { return func(c *config) { c.maxBody = n } }

// WithTimeout limits the time a request may take (default DefaultTimeout);
// a slower one gets 503.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithCatalogue checks meetings against cat instead of the built-in
// catalogue (catalogue.Builtin).
func WithCatalogue(cat recommend.Catalogue) Option { return func(c *config) { c.catalogue = &cat } }

// WithEngineOptions passes options to recommend.New, such as
// recommend.WithRules and recommend.WithMessages for a clinic's own rules.
// The language is the service's to set, per request.
func WithEngineOptions(opts ...recommend.Option) Option {
	return func(c *config) { c.engine = append(c.engine, opts...) }
}

// WithAuthorizer calls authorize before every request; an error refuses the
// request with 401 (its text is not shown). CDS Hooks clients send a signed
// JWT in the Authorization header: verify it here, or in front of the
// Service. The default accepts every request.
func WithAuthorizer(authorize func(*http.Request) error) Option {
	return func(c *config) { c.authorize = authorize }
}

// WithClientAuth makes the service and feedback endpoints verify the CDS
// client's JWT with a (see ClientAuth): a request without a valid token is
// refused with 401 and WWW-Authenticate: Bearer before its body is read.
// The discovery endpoint stays open: it holds the service's description and
// prefetch templates, nothing of a patient. Without this option (or with a
// nil a) the service authenticates no one.
func WithClientAuth(a *ClientAuth) Option { return func(c *config) { c.auth = a } }

// WithMaxInFlight limits the requests handled at once (default
// DefaultMaxInFlight); one more is answered 503 busy with Retry-After: 1,
// before its body is read.
func WithMaxInFlight(n int) Option { return func(c *config) { c.inFlight = n } }

// WithMetrics counts the requests in m (see NewMetrics).
func WithMetrics(m *Metrics) Option { return func(c *config) { c.metrics = m } }

// WithCORSOrigins answers browsers of these origins
// (https://ehr.example[:port]): a preflight OPTIONS request from one of them
// gets 204 with the allowed methods and headers, and every answer to one of
// them Access-Control-Allow-Origin. Without it no CORS header is sent.
func WithCORSOrigins(origins ...string) Option {
	return func(c *config) { c.cors = append(c.cors, origins...) }
}

// New returns the service, checking meetings under policy against the
// built-in catalogue (or the one of WithCatalogue) in every language of its
// message files (recommend.Engine.Langs). It fails when the policy is invalid (the error of
// recommend.New).
func New(policy recommend.Policy, opts ...Option) (*Service, error) {
	cfg := config{maxBody: DefaultMaxBodyBytes, timeout: DefaultTimeout, inFlight: DefaultMaxInFlight}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.maxBody <= 0 {
		return nil, fmt.Errorf("cdshooks: the body limit must be positive, not %d", cfg.maxBody)
	}
	if cfg.timeout <= 0 {
		return nil, fmt.Errorf("cdshooks: the timeout must be positive, not %v", cfg.timeout)
	}
	if cfg.inFlight <= 0 {
		return nil, fmt.Errorf("cdshooks: the limit of requests in flight must be positive, not %d", cfg.inFlight)
	}
	cors, err := corsOrigins(cfg.cors)
	if err != nil {
		return nil, err
	}
	cat := catalogue.Builtin()
	if cfg.catalogue != nil {
		cat = *cfg.catalogue
	}
	texts, err := fs.Sub(messages, "messages")
	if err != nil {
		return nil, err
	}
	fetch, err := newFetcher(cfg.fetch, cfg.maxBody)
	if err != nil {
		return nil, err
	}
	canonical, err := checkCanonical(cfg.canonical)
	if err != nil {
		return nil, err
	}
	s := &Service{
		fetch:     fetch,
		engines:   make(map[recommend.Lang]*recommend.Engine),
		log:       cfg.log,
		maxBody:   cfg.maxBody,
		timeout:   cfg.timeout,
		authorize: cfg.authorize,
		auth:      cfg.auth,
		slots:     make(chan struct{}, cfg.inFlight),
		metrics:   cfg.metrics,
		cors:      cors,

		canonical:      canonical,
		topicSystem:    codeSystemURL(canonical, report.FindingCodeSystem),
		overrideSystem: codeSystemURL(canonical, overrideReasonSystemID),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	engineOpts := append([]recommend.Option{recommend.WithMessages(texts)}, cfg.engine...)
	first, err := recommend.New(cat, policy, engineOpts...)
	if err != nil {
		return nil, fmt.Errorf("cdshooks: %w", err)
	}
	s.langs = first.Langs()
	for _, lang := range s.langs {
		opts := append(slices.Clone(engineOpts), recommend.WithLang(lang))
		e, err := recommend.New(cat, policy, opts...)
		if err != nil {
			return nil, fmt.Errorf("cdshooks: %w", err)
		}
		s.engines[lang] = e
	}
	s.cardTexts = make(map[recommend.Lang]*textCache, len(s.langs))
	for _, lang := range s.langs {
		s.cardTexts[lang] = &textCache{}
	}
	fixOpts := append([]recommend.Option{recommend.WithMessages(texts)}, cfg.engine...)
	if s.fixer, err = recommend.New(cat, policy, append(fixOpts, recommend.WithoutTexts())...); err != nil {
		return nil, fmt.Errorf("cdshooks: %w", err)
	}
	s.handler = s.withCORS(s.logged(http.TimeoutHandler(recovered(s.limited(s.route())), s.timeout, timeoutBody())))
	return s, nil
}

// ServeHTTP serves the discovery, service and feedback endpoints.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Ready returns nil when the service can answer: its engines are compiled
// (New has returned) and, with WithClientAuth, the JWK Set of every trusted
// issuer has been fetched at least once (ClientAuth.Ready).
func (s *Service) Ready() error {
	if s.auth != nil {
		return s.auth.Ready()
	}
	return nil
}

// limited holds a request to the limit of requests in flight: beyond it
// the answer is 503 busy, before the body is read. The slot is taken and
// given back by the handler's own goroutine, so a request that
// http.TimeoutHandler has answered holds it until its handler has ended.
func (s *Service) limited(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.slots <- struct{}{}:
		default:
			noteEndpoint(r, endpointOf(r.URL.Path))
			w.Header().Set("Retry-After", "1")
			writeError(w, r, http.StatusServiceUnavailable, ErrCodeBusy,
				"the service is handling as many requests as it allows: retry later", nil)
			return
		}
		s.metrics.inFlight(1)
		defer func() {
			s.metrics.inFlight(-1)
			<-s.slots
		}()
		h.ServeHTTP(w, r)
	})
}

// endpointOf names the endpoint of a path for the log and the metrics.
func endpointOf(path string) string {
	switch strings.TrimSuffix(path, "/") {
	case "/cds-services":
		return "discovery"
	case "/cds-services/" + ServiceID:
		return "service"
	case "/cds-services/" + ServiceID + "/feedback":
		return "feedback"
	}
	return "unknown"
}

// authMessages say why a token was refused, by AuthError.Reason.
var authMessages = map[string]string{
	"missing_token":     "send the client's JWT as Authorization: Bearer <JWT>",
	"malformed_token":   "the bearer token is not a signed JWT",
	"untrusted_issuer":  "the issuer (iss) of the JWT is not trusted by this service",
	"jku_not_allowed":   "the jku of the JWT is not a JWK Set URL of its issuer",
	"unknown_key":       "the JWT's kid is not in the JWK Set of its issuer",
	"bad_signature":     "the signature of the JWT is not valid",
	"expired":           "the JWT has expired",
	"not_yet_valid":     "the JWT is issued in the future",
	"lifetime_too_long": "the JWT lives too long: exp must be at most 5 minutes after iat",
	"missing_claim":     "the JWT lacks iss, aud, exp, iat or jti",
	"wrong_audience":    "the audience (aud) of the JWT is not the URL of this endpoint",
	"replayed":          "the JWT has been used before (jti): send a new one with every request",
	"bad_type":          "the typ of the JWT is not JWT",
}

// authenticate verifies the client's JWT with ClientAuth; on failure it has
// answered the request (401, or 503 when the replay cache is full) and
// returns false. The log gets the reason and a trusted iss, nothing of the
// token.
func (s *Service) authenticate(w http.ResponseWriter, r *http.Request) bool {
	if s.auth == nil {
		return true
	}
	err := s.auth.Verify(r)
	if err == nil {
		return true
	}
	ae, ok := err.(*AuthError)
	if !ok {
		ae = &AuthError{Reason: "malformed_token"}
	}
	note(r, slog.String("auth", ae.Reason))
	if ae.Issuer != "" {
		note(r, slog.String("iss", ae.Issuer))
	}
	s.metrics.authRefused(ae.Reason)
	if ae.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((ae.RetryAfter+time.Second-1)/time.Second)))
		writeError(w, r, http.StatusServiceUnavailable, ErrCodeBusy,
			"the service remembers as many tokens as it allows: retry later", nil)
		return false
	}
	challenge := `Bearer realm="cds-services"`
	if ae.Reason != "missing_token" {
		challenge += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	msg, ok := authMessages[ae.Reason]
	if !ok {
		msg = "the request is not authorized"
	}
	writeError(w, r, http.StatusUnauthorized, ErrCodeUnauthorized, "the request is not authorized: "+msg, nil)
	return false
}

// engine returns the engine of the language the request asks for
// (Accept-Language; nb, no and nn are Norwegian bokmål).
func (s *Service) engine(r *http.Request) *recommend.Engine {
	return s.engines[recommend.MatchLang(s.langs, r.Header.Values("Accept-Language")...)]
}

// route dispatches by path and method; every answer, errors included, is JSON.
func (s *Service) route() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.authorize != nil {
			if err := s.authorize(r); err != nil {
				noteEndpoint(r, "unauthorized")
				w.Header().Set("WWW-Authenticate", `Bearer realm="cds-services"`)
				writeError(w, r, http.StatusUnauthorized, ErrCodeUnauthorized, "the request is not authorized", nil)
				return
			}
		}
		path := strings.TrimSuffix(r.URL.Path, "/")
		switch path {
		case "/cds-services":
			noteEndpoint(r, "discovery")
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				methodNotAllowed(w, r, "GET, HEAD")
				return
			}
			s.discovery(w, r)
		case "/cds-services/" + ServiceID:
			noteEndpoint(r, "service")
			if r.Method != http.MethodPost {
				methodNotAllowed(w, r, http.MethodPost)
				return
			}
			if !s.authenticate(w, r) {
				return
			}
			s.service(w, r)
		case "/cds-services/" + ServiceID + "/feedback":
			noteEndpoint(r, "feedback")
			if r.Method != http.MethodPost {
				methodNotAllowed(w, r, http.MethodPost)
				return
			}
			if !s.authenticate(w, r) {
				return
			}
			s.feedback(w, r)
		default:
			noteEndpoint(r, "unknown")
			msg := "no such endpoint: the discovery endpoint is /cds-services"
			if strings.HasPrefix(path, "/cds-services/") {
				msg = "no such CDS service: this server has " + ServiceID + " (see /cds-services)"
			}
			writeError(w, r, http.StatusNotFound, ErrCodeNotFound, msg, nil)
		}
	})
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, r, http.StatusMethodNotAllowed, ErrCodeMethod, "the method is not allowed here (allowed: "+allow+")", nil)
}

// discovery answers GET /cds-services.
func (s *Service) discovery(w http.ResponseWriter, r *http.Request) {
	e := s.engine(r)
	lang := e.Lang()
	description, usage := "cdshooks.service.description", "cdshooks.service.usage"
	if s.fetch != nil {
		description, usage = description+".fetching", usage+".fetching"
	}
	w.Header().Set("Content-Language", lang.String())
	w.Header().Add("Vary", "Accept-Language")
	writeJSON(w, http.StatusOK, Services{Services: []ServiceDescription{{
		Hook:              Hook,
		ID:                ServiceID,
		Title:             e.Text(lang, "cdshooks.service.title", nil),
		Description:       e.Text(lang, description, nil),
		UsageRequirements: e.Text(lang, usage, nil),
		Prefetch:          Prefetch(),
	}}})
}

// readBody checks the content type and reads the body within the limit. On
// failure it has answered the request, and returns false.
func (s *Service) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if !isJSON(r.Header.Get("Content-Type")) {
		writeError(w, r, http.StatusUnsupportedMediaType, ErrCodeMediaType,
			"the body must be JSON: send Content-Type: application/json", nil)
		return nil, false
	}
	if r.ContentLength > s.maxBody {
		writeError(w, r, http.StatusRequestEntityTooLarge, ErrCodeTooLarge,
			fmt.Sprintf("the body is larger than the limit of %d bytes", s.maxBody), nil)
		return nil, false
	}
	data, err := readAll(http.MaxBytesReader(w, r.Body, s.maxBody), r.ContentLength)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, r, http.StatusRequestEntityTooLarge, ErrCodeTooLarge,
			fmt.Sprintf("the body is larger than the limit of %d bytes", s.maxBody), nil)
		return nil, false
	case err != nil && r.Context().Err() != nil:
		return nil, false // past the time limit: http.TimeoutHandler has answered 503
	case err != nil:
		writeError(w, r, http.StatusBadRequest, ErrCodeMalformed, "the body could not be read", nil)
		return nil, false
	}
	return data, true
}

// readAll reads a body of length n (-1: unknown) in one buffer of that
// length, rather than in buffers that grow to up to twice the body.
func readAll(body io.Reader, n int64) ([]byte, error) {
	if n <= 0 {
		return io.ReadAll(body)
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(body, data); err != nil {
		return nil, err
	}
	// The server's body reader ends at Content-Length; reading on checks
	// that it has.
	if extra, err := body.Read(make([]byte, 1)); extra > 0 || (err != nil && err != io.EOF) {
		return nil, errors.Join(errors.New("the body is longer than its Content-Length"), err)
	}
	return data, nil
}

// isJSON reports whether a Content-Type is JSON: application/json, or a
// type with the suffix +json (application/fhir+json).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// decodeJSON decodes a request body into v: a syntax error or a value of the
// wrong type is a 400 naming its JSON path. Unknown members are ignored, as
// CDS Hooks allows extensions; a repeated key is an error.
func decodeJSON(w http.ResponseWriter, r *http.Request, data []byte, v any) bool {
	if err := json.Unmarshal(data, v); err != nil {
		verr := validation.JSONError(err, "", nil)
		writeError(w, r, http.StatusBadRequest, ErrCodeMalformed, "the body is not a valid request", verr.Problems)
		return false
	}
	return true
}

// writeJSON writes v as the JSON body of a response with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBodyBuffer(buf)
	buf.Reset()
	data := []byte(`{"status":500,"error":"internal_error","message":"the response could not be encoded"}` + "\n")
	if err := json.MarshalWrite(buf, v, json.Deterministic(true)); err != nil {
		status = http.StatusInternalServerError
	} else {
		buf.WriteByte('\n')
		data = buf.Bytes()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// bodyBuffers are the buffers writeJSON encodes answers in.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putBodyBuffer gives a buffer back to bodyBuffers, unless an unusually
// large answer has grown it: the pool keeps buffers of a usual answer's size.
func putBodyBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 256<<10 {
		bodyBuffers.Put(buf)
	}
}

// writeError writes an ErrorResponse and notes its code for the log.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string, problems []validation.Problem) {
	note(r, slog.String("error", code))
	if len(problems) > 0 {
		note(r, slog.Int("problems", len(problems)))
	}
	writeJSON(w, status, ErrorResponse{Status: status, Code: code, Message: msg, Problems: problems})
}

func timeoutBody() string {
	data, _ := json.Marshal(ErrorResponse{Status: http.StatusServiceUnavailable, Code: ErrCodeTimeout,
		Message: "the request took longer than the limit of the service"})
	return string(data)
}

// recovered turns a panic into a 500 with a JSON body; the panic value is
// neither shown nor logged, as it may hold data of the request.
func recovered(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			if rec := recordOf(r.Context()); rec != nil {
				rec.set(slog.Bool("panic", true))
			}
			writeError(w, r, http.StatusInternalServerError, ErrCodeInternal, "the service failed on this request", nil)
		}()
		h.ServeHTTP(w, r)
	})
}

// record is what the log says about one request; handlers add to it, from
// the goroutine of http.TimeoutHandler, hence the lock.
type record struct {
	mu    sync.Mutex
	attrs []slog.Attr
}

func (rec *record) set(attrs ...slog.Attr) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, a := range attrs {
		replaced := false
		for i := range rec.attrs {
			if rec.attrs[i].Key == a.Key {
				rec.attrs[i], replaced = a, true
			}
		}
		if !replaced {
			rec.attrs = append(rec.attrs, a)
		}
	}
}

func (rec *record) snapshot() []slog.Attr {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]slog.Attr(nil), rec.attrs...)
}

type recordKey struct{}

func recordOf(ctx context.Context) *record {
	rec, _ := ctx.Value(recordKey{}).(*record)
	return rec
}

func noteEndpoint(r *http.Request, endpoint string) {
	if rec := recordOf(r.Context()); rec != nil {
		rec.set(slog.String("endpoint", endpoint))
	}
}

// statusWriter remembers the status of the response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (sw *statusWriter) WriteHeader(status int) {
	if sw.status == 0 {
		sw.status = status
	}
	sw.ResponseWriter.WriteHeader(status)
}

// Unwrap gives http.ResponseController the writer of the server.
func (sw *statusWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

func (sw *statusWriter) Write(p []byte) (int, error) {
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	return sw.ResponseWriter.Write(p)
}

// logged logs one record per request when it is done, counts it in the
// metrics, and sets the content type that the body of http.TimeoutHandler's
// 503 needs. It also ends the reading of the request at the service's
// timeout: a client that stalls its upload gets a read error there, so
// that the handler ends and gives back its body's memory with the 503 of
// http.TimeoutHandler, not when the server's own ReadTimeout comes (a
// server that cannot set the deadline, http.ErrNotSupported, keeps its
// own).
func (s *Service) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if r.ContentLength != 0 {
			// Only a body is read under the deadline: without one, net/http
			// already waits for the next request in the background, and a
			// deadline there would cancel this request's context when it
			// passes, racing http.TimeoutHandler's own 503.
			// A moment after the timeout, so that http.TimeoutHandler
			// answers first, with its JSON body: a read that fails cancels
			// the request's context, and the 503 would have no body.
			_ = http.NewResponseController(w).SetReadDeadline(start.Add(s.timeout + readDeadlineMargin))
		}
		rec := &record{}
		sw := &statusWriter{ResponseWriter: w}
		w.Header().Set("Content-Type", "application/json")
		req := r.WithContext(context.WithValue(r.Context(), recordKey{}, rec))
		body := &eofReader{ReadCloser: r.Body}
		req.Body = body
		h.ServeHTTP(sw, req)
		if !body.eof.Load() {
			// Close what is left of the body here, under the read deadline.
			// net/http would otherwise read it after the handler, and when
			// http.TimeoutHandler has answered while its handler was still
			// reading, net/http first clears the connection's read
			// deadline: a client that stalls its upload would then hold
			// the connection, and a graceful shutdown, for ever.
			_ = r.Body.Close()
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		attrs := append([]slog.Attr{slog.String("method", methodName(r.Method)), slog.Int("status", status)}, rec.snapshot()...)
		if status == http.StatusServiceUnavailable && !hasKey(attrs, "error") {
			attrs = append(attrs, slog.String("error", ErrCodeTimeout))
		}
		duration := time.Since(start)
		attrs = append(attrs, slog.Duration("duration", duration))
		s.metrics.observe(attrs, status, duration)
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		} else if status >= 400 {
			level = slog.LevelWarn
		}
		s.log.LogAttrs(r.Context(), level, "cds-hooks request", attrs...)
	})
}

// readDeadlineMargin is how long after the service's timeout the reading
// of a request's body ends.
const readDeadlineMargin = 100 * time.Millisecond

// eofReader records whether a request body was read to its end.
type eofReader struct {
	io.ReadCloser
	eof atomic.Bool
}

func (b *eofReader) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.eof.Store(true)
	}
	return n, err
}

// methodName is the request method when it is a standard one; a client's
// own method is not logged as it came.
func methodName(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// note adds attributes to the log record of the request.
func note(r *http.Request, attrs ...slog.Attr) {
	if rec := recordOf(r.Context()); rec != nil {
		rec.set(attrs...)
	}
}

// hookInstanceAttr logs a hookInstance only when it is a UUID, which cannot
// carry personal data.
func hookInstanceAttr(s string) (slog.Attr, bool) {
	if u, err := uuid.Parse(s); err == nil && len(s) == 36 {
		return slog.String("hook_instance", u.String()), true
	}
	return slog.Attr{}, false
}

func hasKey(attrs []slog.Attr, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}
