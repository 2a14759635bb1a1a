package cdshooks

import (
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// The defaults of ClientAuth.
const (
	// DefaultMaxTokenLifetime is the longest a client's JWT may live: exp
	// at most this long after iat. CDS Hooks asks for tokens that expire
	// within five minutes.
	DefaultMaxTokenLifetime = 5 * time.Minute
	// DefaultLeeway is the difference between the client's clock and
	// this service's that is tolerated for exp and iat.
	DefaultLeeway = 30 * time.Second
	// DefaultReplayCacheSize is how many token IDs (jti) the service
	// remembers at most. An entry is kept until its token has expired,
	// at most DefaultMaxTokenLifetime + 2 × DefaultLeeway; the cache holds
	// a 32-byte hash and an expiry per token, about 100 bytes with the
	// map and the heap, so 100,000 entries are some 10 MB.
	DefaultReplayCacheSize = 100_000
	// DefaultJWKSRefresh is how often the JWK Sets of the issuers are
	// fetched anew.
	DefaultJWKSRefresh = 10 * time.Minute
	// maxJWKSBytes is the largest JWK Set read from an issuer.
	maxJWKSBytes = 1 << 20
	// jwksTimeout limits one fetch of a JWK Set.
	jwksTimeout = 5 * time.Second
	// unknownKIDInterval is how often at most a token whose kid is not in
	// the JWK Set makes the service fetch that set again.
	unknownKIDInterval = 30 * time.Second
	// firstFetchRetry is how soon a JWK Set that could never be fetched is
	// tried again.
	firstFetchRetry = 5 * time.Second
)

// signingMethods are the JWT algorithms accepted: asymmetric only, as CDS
// Hooks requires (never none, never HMAC).
var signingMethods = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// Issuer is a CDS client trusted to call the service: the iss of its JWTs
// and the URLs of its JWK Sets.
type Issuer struct {
	// ID is the iss claim of the issuer's tokens, compared exactly.
	ID string
	// JWKSURLs are the URLs of the issuer's JWK Sets (https, or http on a
	// loopback host). They are also the allow-list of the jku header: a
	// token whose jku is not one of them is refused, one whose jku is one
	// of them is verified with the keys of that set only. No other URL
	// is ever fetched.
	JWKSURLs []string
}

// AuthConfig configures NewClientAuth.
type AuthConfig struct {
	// Issuers are the trusted clients; at least one.
	Issuers []Issuer
	// Audience is the public base URL of the service as its clients call
	// it (https://cds.example.org, or https://gw.example/collabmeet when
	// a gateway adds a prefix). A token's aud must hold the URL of the
	// endpoint called: Audience + "/cds-services/collabmeet-appointment-book",
	// and for feedback that URL or the feedback URL.
	Audience string
	// MaxTokenLifetime is the longest exp − iat (default
	// DefaultMaxTokenLifetime).
	MaxTokenLifetime time.Duration
	// Leeway is the clock difference tolerated (default DefaultLeeway).
	Leeway time.Duration
	// ReplayCacheSize is how many jti are remembered at most (default
	// DefaultReplayCacheSize). When it is full of unexpired tokens, a
	// new token is answered with 503 and Retry-After, never let through.
	ReplayCacheSize int
	// Refresh is how often the JWK Sets are fetched anew (default
	// DefaultJWKSRefresh).
	Refresh time.Duration
	// Client fetches the JWK Sets (default: one with a 5 s timeout).
	Client *http.Client
	// Logger receives a record when a JWK Set cannot be fetched: the
	// issuer, the URL and the error. Default: nothing is logged.
	Logger *slog.Logger
}

// ClientAuth verifies the JWT with which a CDS client authenticates, as
// CDS Hooks 2.0 "Trusting CDS Clients" asks: Authorization: Bearer <JWT>,
// signed with an asymmetric key (RS, PS, ES or EdDSA; kid required) of the
// JWK Set of a trusted issuer, with iss, aud, exp, iat and jti, exp at most
// MaxTokenLifetime after iat, and a jti never seen before within the
// token's lifetime. Create it with NewClientAuth and give it to the service
// with WithClientAuth. It is safe for concurrent use.
type ClientAuth struct {
	issuers  map[string]*trustedIssuer
	audience string
	leeway   time.Duration
	lifetime time.Duration
	parser   *jwt.Parser
	replay   *replayCache
}

type trustedIssuer struct {
	id   string
	sets []*jwks
}

// NewClientAuth checks cfg and starts fetching the issuers' JWK Sets in
// the background, each until it has been fetched once (every 5 s), then
// every cfg.Refresh, until ctx ends. A request arriving before a set is
// fetched is refused with 401; Ready says when every set has been fetched.
func NewClientAuth(ctx context.Context, cfg AuthConfig) (*ClientAuth, error) {
	if len(cfg.Issuers) == 0 {
		return nil, errors.New("cdshooks: client authentication needs at least one trusted issuer")
	}
	aud, err := audienceBase(cfg.Audience)
	if err != nil {
		return nil, err
	}
	if cfg.MaxTokenLifetime == 0 {
		cfg.MaxTokenLifetime = DefaultMaxTokenLifetime
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = DefaultLeeway
	}
	if cfg.ReplayCacheSize == 0 {
		cfg.ReplayCacheSize = DefaultReplayCacheSize
	}
	if cfg.Refresh == 0 {
		cfg.Refresh = DefaultJWKSRefresh
	}
	switch {
	case cfg.MaxTokenLifetime < 0 || cfg.Leeway < 0 || cfg.Refresh < 0:
		return nil, errors.New("cdshooks: the token lifetime, the leeway and the refresh interval must not be negative")
	case cfg.ReplayCacheSize < 0:
		return nil, fmt.Errorf("cdshooks: the replay cache size must be positive, not %d", cfg.ReplayCacheSize)
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: jwksTimeout}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &ClientAuth{
		issuers:  make(map[string]*trustedIssuer, len(cfg.Issuers)),
		audience: aud,
		leeway:   cfg.Leeway,
		lifetime: cfg.MaxTokenLifetime,
		replay:   newReplayCache(cfg.ReplayCacheSize),
		parser: jwt.NewParser(jwt.WithValidMethods(signingMethods), jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(), jwt.WithLeeway(cfg.Leeway)),
	}
	for i, iss := range cfg.Issuers {
		if iss.ID == "" {
			return nil, fmt.Errorf("cdshooks: trusted issuer %d: the issuer (iss) is empty", i)
		}
		if _, dup := a.issuers[iss.ID]; dup {
			// Several URLs of one issuer are given together.
			return nil, fmt.Errorf("cdshooks: trusted issuer %d: %q is given twice; give its JWK Set URLs together", i, iss.ID)
		}
		if len(iss.JWKSURLs) == 0 {
			return nil, fmt.Errorf("cdshooks: trusted issuer %q has no JWK Set URL", iss.ID)
		}
		ti := &trustedIssuer{id: iss.ID}
		for _, u := range iss.JWKSURLs {
			if err := checkJWKSURL(u); err != nil {
				return nil, fmt.Errorf("cdshooks: trusted issuer %q: %w", iss.ID, err)
			}
			set := &jwks{url: u, client: client, log: log.With(slog.String("issuer", iss.ID), slog.String("jwks_url", u)), store: jwkset.NewMemoryStorage()}
			kf, err := keyfunc.New(keyfunc.Options{Ctx: ctx, Storage: set.store})
			if err != nil {
				return nil, fmt.Errorf("cdshooks: trusted issuer %q: %w", iss.ID, err)
			}
			set.keyfunc = kf
			ti.sets = append(ti.sets, set)
		}
		a.issuers[iss.ID] = ti
	}
	for _, ti := range a.issuers {
		for _, set := range ti.sets {
			go set.run(ctx, cfg.Refresh)
		}
	}
	return a, nil
}

// audienceBase checks the public base URL of the service.
func audienceBase(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", errors.New("cdshooks: the audience must be the service's public base URL, such as https://cds.example.org")
	}
	return strings.TrimSuffix(s, "/"), nil
}

// checkJWKSURL accepts https URLs, and http ones on a loopback host.
func checkJWKSURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return errors.New("the JWK Set URL is not an absolute URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return errors.New("the JWK Set URL must be https (http only on a loopback host)")
	}
	return errors.New("the JWK Set URL must be https (http only on a loopback host)")
}

// Ready returns nil when the JWK Set of every issuer has been fetched at
// least once, and otherwise an error naming the first issuer still
// waiting (its iss, which is configuration, not a secret).
func (a *ClientAuth) Ready() error {
	for _, ti := range a.issuers {
		for _, set := range ti.sets {
			if !set.fetchedOnce() {
				return fmt.Errorf("the JWK Set of issuer %q has not been fetched yet", ti.id)
			}
		}
	}
	return nil
}

// AuthError is why ClientAuth refused a request. Reason is a short code
// (missing_token, malformed_token, untrusted_issuer, jku_not_allowed,
// unknown_key, bad_signature, expired, not_yet_valid, lifetime_too_long,
// missing_claim, wrong_audience, replayed, bad_type, replay_cache_full);
// Issuer is the iss when it is a trusted one. Neither holds anything of the
// token but a trusted iss.
type AuthError struct {
	Reason string
	Issuer string
	// RetryAfter is set for replay_cache_full: the service is busy, the
	// token was not refused.
	RetryAfter time.Duration
}

// Error says that the client was refused, and why (the Reason code).
func (e *AuthError) Error() string {
	return "cdshooks: client authentication refused: " + e.Reason
}

// claims are the payload of a CDS client's JWT.
type claims struct {
	jwt.RegisteredClaims
	Tenant string `json:"tenant,omitempty"`
}

// Verify authenticates the request: nil when its bearer JWT is valid for
// the endpoint it calls, else an *AuthError. A valid token's jti is
// remembered, so the same token is refused the second time.
func (a *ClientAuth) Verify(r *http.Request) error {
	return a.verify(r, time.Now())
}

func (a *ClientAuth) verify(r *http.Request, now time.Time) error {
	raw, ok := bearer(r.Header.Values("Authorization"))
	if !ok {
		return &AuthError{Reason: "missing_token"}
	}
	var trusted *trustedIssuer
	var c claims
	token, err := a.parser.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		iss, _ := t.Claims.GetIssuer()
		ti := a.issuers[iss]
		if ti == nil {
			return nil, &AuthError{Reason: "untrusted_issuer"}
		}
		trusted = ti
		if typ, ok := t.Header["typ"]; ok {
			if s, _ := typ.(string); !strings.EqualFold(s, "JWT") {
				return nil, &AuthError{Reason: "bad_type", Issuer: iss}
			}
		}
		if kid, _ := t.Header["kid"].(string); kid == "" {
			return nil, &AuthError{Reason: "unknown_key", Issuer: iss}
		}
		sets := ti.sets
		if jku, ok := t.Header["jku"]; ok {
			s, _ := jku.(string)
			sets = nil
			for _, set := range ti.sets {
				if set.url == s {
					sets = []*jwks{set}
				}
			}
			if sets == nil {
				return nil, &AuthError{Reason: "jku_not_allowed", Issuer: iss}
			}
		}
		key, err := keyOf(r.Context(), t, sets)
		if ae, ok := err.(*AuthError); ok {
			ae.Issuer = iss
		}
		return key, err
	})
	issuer := ""
	if trusted != nil {
		issuer = trusted.id
	}
	if err != nil {
		var ae *AuthError
		if errors.As(err, &ae) {
			return ae
		}
		return &AuthError{Reason: reasonOf(err), Issuer: issuer}
	}
	if !token.Valid || trusted == nil {
		return &AuthError{Reason: "malformed_token", Issuer: issuer}
	}
	switch {
	case c.IssuedAt == nil || c.ID == "" || c.ExpiresAt == nil:
		return &AuthError{Reason: "missing_claim", Issuer: issuer}
	case c.ExpiresAt.Sub(c.IssuedAt.Time) > a.lifetime:
		return &AuthError{Reason: "lifetime_too_long", Issuer: issuer}
	case !a.audienceOK(r, c.Audience):
		return &AuthError{Reason: "wrong_audience", Issuer: issuer}
	}
	switch a.replay.add(issuer, c.ID, c.ExpiresAt.Add(a.leeway), now) {
	case replaySeen:
		return &AuthError{Reason: "replayed", Issuer: issuer}
	case replayFull:
		return &AuthError{Reason: "replay_cache_full", Issuer: issuer, RetryAfter: a.replay.retryAfter(now)}
	}
	return nil
}

// keyOf finds the key of the token's kid in sets, fetching a set again
// (at most every 30 s) when the kid is in none of them, as after a key
// rotation.
func keyOf(ctx context.Context, t *jwt.Token, sets []*jwks) (any, error) {
	for attempt := 0; attempt < 2; attempt++ {
		for _, set := range sets {
			key, err := set.keyfunc.KeyfuncCtx(ctx)(t)
			if err == nil {
				return key, nil
			}
			if !errors.Is(err, jwkset.ErrKeyNotFound) {
				return nil, &AuthError{Reason: "unknown_key"}
			}
		}
		if attempt == 0 {
			refreshed := false
			for _, set := range sets {
				refreshed = set.refreshForUnknownKID(ctx) || refreshed
			}
			if !refreshed {
				break
			}
		}
	}
	return nil, &AuthError{Reason: "unknown_key"}
}

// reasonOf names a golang-jwt error.
func reasonOf(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "expired"
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued), errors.Is(err, jwt.ErrTokenNotValidYet):
		return "not_yet_valid"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "missing_claim"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "bad_signature"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "unknown_key"
	}
	return "malformed_token"
}

// bearer returns the token of the one Authorization header, when it is
// a Bearer one.
func bearer(values []string) (string, bool) {
	if len(values) != 1 {
		return "", false
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// audienceOK reports whether aud names the endpoint of the request.
func (a *ClientAuth) audienceOK(r *http.Request, aud jwt.ClaimStrings) bool {
	path := strings.TrimSuffix(r.URL.Path, "/")
	want := []string{a.audience + path}
	if strings.HasSuffix(path, "/feedback") {
		want = append(want, a.audience+strings.TrimSuffix(path, "/feedback"))
	}
	for _, got := range aud {
		for _, w := range want {
			if strings.TrimSuffix(got, "/") == w {
				return true
			}
		}
	}
	return false
}

// jwks is one JWK Set of an issuer, fetched from its URL.
type jwks struct {
	url     string
	client  *http.Client
	log     *slog.Logger
	store   *jwkset.MemoryJWKSet
	keyfunc keyfunc.Keyfunc

	fetchMu sync.Mutex // held during a fetch
	mu      sync.Mutex
	fetched bool
	lastTry time.Time
}

func (s *jwks) fetchedOnce() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetched
}

// run fetches the set until ctx ends: every 5 s until it has been fetched
// once, then every refresh.
func (s *jwks) run(ctx context.Context, refresh time.Duration) {
	for {
		s.fetchMu.Lock()
		err := s.fetch(ctx)
		s.fetchMu.Unlock()
		wait := refresh
		if err != nil {
			s.log.Warn("cdshooks: the JWK Set could not be fetched", slog.String("error", err.Error()))
			if !s.fetchedOnce() {
				wait = firstFetchRetry
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// refreshForUnknownKID fetches the set again unless that was tried less
// than unknownKIDInterval ago; it reports whether it fetched.
func (s *jwks) refreshForUnknownKID(ctx context.Context) bool {
	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()
	s.mu.Lock()
	recent := time.Since(s.lastTry) < unknownKIDInterval
	s.mu.Unlock()
	if recent {
		return false
	}
	if err := s.fetch(ctx); err != nil {
		s.log.Warn("cdshooks: the JWK Set could not be fetched", slog.String("error", err.Error()))
		return false
	}
	return true
}

// fetch reads the set from its URL and replaces the keys; the caller holds
// fetchMu.
func (s *jwks) fetch(ctx context.Context) error {
	s.mu.Lock()
	s.lastTry = time.Now()
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, jwksTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return fmt.Errorf("jwks: %w", err)
	}
	req.Header.Set("Accept", "application/json, application/jwk-set+json")
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("jwks: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("jwks: the server answered %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return fmt.Errorf("jwks: %w", err)
	}
	if len(data) > maxJWKSBytes {
		return fmt.Errorf("jwks: the JWK Set is larger than %d bytes", maxJWKSBytes)
	}
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(data, &set); err != nil {
		return fmt.Errorf("jwks: not a JWK Set: %w", err)
	}
	var keys []jwkset.JWK
	for i, m := range set.Keys {
		if m.KTY == jwkset.KtyOct || m.KID == "" || (m.USE != "" && m.USE != jwkset.UseSig) {
			continue // symmetric keys, keys without kid and encryption keys never verify a token
		}
		m.D, m.P, m.Q, m.DP, m.DQ, m.QI, m.OTH, m.X5U = "", "", "", "", "", "", nil, ""
		k, err := jwkset.NewJWKFromMarshal(m, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
		if errors.Is(err, jwkset.ErrUnsupportedKey) {
			continue
		}
		if err != nil {
			return fmt.Errorf("jwks: keys[%d]: %w", i, err)
		}
		keys = append(keys, k)
	}
	if err := s.store.KeyReplaceAll(ctx, keys); err != nil {
		return fmt.Errorf("jwks: %w", err)
	}
	s.mu.Lock()
	s.fetched = true
	s.mu.Unlock()
	return nil
}

// The answers of replayCache.add.
const (
	replayNew = iota
	replaySeen
	replayFull
)

// replayCache remembers the jti of the tokens accepted, each until its
// token has expired, at most max of them.
type replayCache struct {
	mu      sync.Mutex
	max     int
	expires map[[32]byte]time.Time
	order   expiryHeap
}

func newReplayCache(max int) *replayCache {
	return &replayCache{max: max, expires: make(map[[32]byte]time.Time)}
}

// add remembers the token iss/jti until expires, unless it is remembered
// already (replaySeen) or the cache is full of unexpired tokens
// (replayFull).
func (c *replayCache) add(iss, jti string, expires, now time.Time) int {
	key := sha256.Sum256([]byte(iss + "\x00" + jti))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purge(now)
	if _, ok := c.expires[key]; ok {
		return replaySeen
	}
	if len(c.expires) >= c.max {
		return replayFull
	}
	c.expires[key] = expires
	heap.Push(&c.order, expiry{key: key, at: expires})
	return replayNew
}

// purge forgets the tokens that have expired by now.
func (c *replayCache) purge(now time.Time) {
	for len(c.order) > 0 && !c.order[0].at.After(now) {
		e := heap.Pop(&c.order).(expiry)
		delete(c.expires, e.key)
	}
}

// retryAfter is how long until the first token of a full cache expires.
func (c *replayCache) retryAfter(now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.order) == 0 {
		return time.Second
	}
	return max(c.order[0].at.Sub(now), time.Second)
}

// size is the number of tokens remembered.
func (c *replayCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.expires)
}

type expiry struct {
	key [32]byte
	at  time.Time
}

// expiryHeap is a min-heap of expiries (container/heap).
type expiryHeap []expiry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
