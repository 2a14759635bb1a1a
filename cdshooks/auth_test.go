package cdshooks_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/internal/testissuer"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/golang-jwt/jwt/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// audience is the public base URL of the service in the tests.
const audience = "https://cds.example.org"

func TestClientAuth(t *testing.T) {
	iss := testissuer.New(t, "https://ehr.example/issuer")
	stranger := testissuer.New(t, "https://stranger.example")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs bytes.Buffer
	auth, err := cdshooks.NewClientAuth(ctx, cdshooks.AuthConfig{
		Issuers:  []cdshooks.Issuer{{ID: iss.ID, JWKSURLs: []string{iss.URL}}},
		Audience: audience + "/",
	})
	require.NoError(t, err)
	srv := newServer(t, recommend.Policy{}, cdshooks.WithClientAuth(auth), cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	body := mustJSON(t, booking(t, loadCase(t)))
	serviceAud := audience + servicePath
	now := time.Now()
	hmac, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": iss.ID, "aud": serviceAud,
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "hmac"}).SignedString([]byte("shared secret"))
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		header string // the Authorization header; "" sends none
		reason string // "" : accepted
	}{
		{"a valid token", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud}, nil), ""},
		{"aud as an array", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud}, nil), ""},
		{"jku of the issuer", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud}, map[string]any{"jku": iss.URL}), ""},
		{"no token", "", "missing_token"},
		{"another scheme", "Basic " + iss.Token(t, testissuer.Claims{Audience: serviceAud}, nil), "missing_token"},
		{"not a JWT", "Bearer not.a.jwt", "malformed_token"},
		{"signed with another key", "Bearer " + iss.Forged(t, testissuer.Claims{Audience: serviceAud}), "bad_signature"},
		{"HMAC", "Bearer " + hmac, "bad_signature"},
		{"expired", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud, IssuedAt: now.Add(-10 * time.Minute)}, nil), "expired"},
		{"issued in the future", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud, IssuedAt: now.Add(10 * time.Minute)}, nil), "not_yet_valid"},
		{"lives too long", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud, Lifetime: 10 * time.Minute}, nil), "lifetime_too_long"},
		{"no exp", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud, NoExp: true}, nil), "missing_claim"},
		{"no jti", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud, NoJTI: true}, nil), "missing_claim"},
		{"the discovery URL as aud", "Bearer " + iss.Token(t, testissuer.Claims{Audience: audience + "/cds-services"}, nil), "wrong_audience"},
		{"another service's aud", "Bearer " + iss.Token(t, testissuer.Claims{Audience: "https://other.example" + servicePath}, nil), "wrong_audience"},
		{"an untrusted issuer", "Bearer " + stranger.Token(t, testissuer.Claims{Audience: serviceAud}, nil), "untrusted_issuer"},
		{"an untrusted issuer claiming a trusted iss", "Bearer " + stranger.Token(t, testissuer.Claims{Issuer: iss.ID, Audience: serviceAud}, nil), "bad_signature"},
		{"a jku elsewhere", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud}, map[string]any{"jku": stranger.URL}), "jku_not_allowed"},
		{"an unknown kid", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud}, map[string]any{"kid": "other"}), "unknown_key"},
		{"no kid", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud}, map[string]any{"kid": nil}), "unknown_key"},
		{"typ of an access token", "Bearer " + iss.Token(t, testissuer.Claims{Audience: serviceAud}, map[string]any{"typ": "at+jwt"}), "bad_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			header := []string{"Content-Type", "application/json"}
			if tc.header != "" {
				header = append(header, "Authorization", tc.header)
			}
			rep := do(t, srv, http.MethodPost, servicePath, body, header...)
			if tc.reason == "" {
				assert.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
				return
			}
			e := errorReply(t, rep, http.StatusUnauthorized, cdshooks.ErrCodeUnauthorized)
			assert.True(t, strings.HasPrefix(rep.header.Get("WWW-Authenticate"), "Bearer "), rep.header.Get("WWW-Authenticate"))
			assert.Equal(t, tc.reason != "missing_token", strings.Contains(rep.header.Get("WWW-Authenticate"), `error="invalid_token"`))
			assert.Contains(t, logs.String(), `"auth":"`+tc.reason+`"`)
			if token, ok := strings.CutPrefix(tc.header, "Bearer "); ok {
				for _, part := range strings.Split(token, ".") {
					if len(part) < 16 {
						continue
					}
					assert.NotContains(t, logs.String(), part, "the log holds the token")
					assert.NotContains(t, e.Message, part, "the answer holds the token")
				}
			}
		})
	}

	t.Run("a replayed token", func(t *testing.T) {
		token := iss.Token(t, testissuer.Claims{Audience: serviceAud, ID: "f3c1e0c2-4d4e-4f9e-9a43-7f5c2d7b0e11"}, nil)
		header := []string{"Content-Type", "application/json", "Authorization", "Bearer " + token}
		assert.Equal(t, http.StatusOK, do(t, srv, http.MethodPost, servicePath, body, header...).status)
		logs.Reset()
		errorReply(t, do(t, srv, http.MethodPost, servicePath, body, header...), http.StatusUnauthorized, cdshooks.ErrCodeUnauthorized)
		assert.Contains(t, logs.String(), `"auth":"replayed"`)
		assert.Contains(t, logs.String(), `"iss":"https://ehr.example/issuer"`)
		assert.NotContains(t, logs.String(), "f3c1e0c2", "the log holds the jti")
	})
	t.Run("feedback with the service's aud or its own", func(t *testing.T) {
		for _, aud := range []string{serviceAud, serviceAud + "/feedback"} {
			rep := do(t, srv, http.MethodPost, servicePath+"/feedback", []byte(`{"feedback":[{"card":"0b3fa3b6-5a8e-4e0a-9d1c-2f8e3c1a7b55","outcome":"accepted","acceptedSuggestions":[{"id":"e56e1945-20b3-4393-8503-a1a20fd73152"}],"outcomeTimestamp":"2026-05-04T07:30:00Z"}]}`), "Content-Type", "application/json",
				"Authorization", "Bearer "+iss.Token(t, testissuer.Claims{Audience: aud}, nil))
			assert.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
		}
	})
	t.Run("discovery is open", func(t *testing.T) {
		assert.Equal(t, http.StatusOK, do(t, srv, http.MethodGet, "/cds-services", nil).status)
	})
	t.Run("ready once the JWK Set is fetched", func(t *testing.T) {
		assert.NoError(t, auth.Ready())
		assert.Positive(t, iss.Fetches.Load())
	})
}

func TestClientAuthNotReady(t *testing.T) {
	// A JWK Set URL nobody answers: the service is not ready, and a token
	// is refused (its key is unknown), not let through.
	iss := testissuer.New(t, "https://ehr.example/issuer")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	down := iss.URL[:strings.LastIndex(iss.URL, ":")] + ":1/jwks.json"
	auth, err := cdshooks.NewClientAuth(ctx, cdshooks.AuthConfig{
		Issuers: []cdshooks.Issuer{{ID: iss.ID, JWKSURLs: []string{down}}}, Audience: audience})
	require.NoError(t, err)
	svc, err := cdshooks.New(recommend.Policy{}, cdshooks.WithClientAuth(auth))
	require.NoError(t, err)
	require.Error(t, svc.Ready())
	assert.Contains(t, svc.Ready().Error(), iss.ID)
	r, err := http.NewRequest(http.MethodPost, "http://cds.example.org"+servicePath, nil)
	require.NoError(t, err)
	r.Header.Set("Authorization", "Bearer "+iss.Token(t, testissuer.Claims{Audience: audience + servicePath}, nil))
	var ae *cdshooks.AuthError
	require.ErrorAs(t, auth.Verify(r), &ae)
	assert.Equal(t, "unknown_key", ae.Reason)
	assert.Equal(t, iss.ID, ae.Issuer)
}

func TestNewClientAuthRefusesBadConfig(t *testing.T) {
	ok := cdshooks.Issuer{ID: "https://ehr.example", JWKSURLs: []string{"https://ehr.example/jwks"}}
	for _, tc := range []struct {
		name string
		cfg  cdshooks.AuthConfig
		want string
	}{
		{"no issuer", cdshooks.AuthConfig{Audience: audience}, "at least one trusted issuer"},
		{"no audience", cdshooks.AuthConfig{Issuers: []cdshooks.Issuer{ok}}, "audience"},
		{"an audience that is no URL", cdshooks.AuthConfig{Issuers: []cdshooks.Issuer{ok}, Audience: "cds.example.org"}, "audience"},
		{"an empty iss", cdshooks.AuthConfig{Issuers: []cdshooks.Issuer{{JWKSURLs: ok.JWKSURLs}}, Audience: audience}, "empty"},
		{"an issuer twice", cdshooks.AuthConfig{Issuers: []cdshooks.Issuer{ok, ok}, Audience: audience}, "twice"},
		{"no JWK Set", cdshooks.AuthConfig{Issuers: []cdshooks.Issuer{{ID: ok.ID}}, Audience: audience}, "no JWK Set URL"},
		{"an http JWK Set elsewhere than loopback", cdshooks.AuthConfig{Issuers: []cdshooks.Issuer{{ID: ok.ID, JWKSURLs: []string{"http://ehr.example/jwks"}}}, Audience: audience}, "https"},
		{"a negative cache", cdshooks.AuthConfig{Issuers: []cdshooks.Issuer{ok}, Audience: audience, ReplayCacheSize: -1}, "replay cache"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cdshooks.NewClientAuth(context.Background(), tc.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestCDSBusy(t *testing.T) {
	// With one request in flight allowed, a second one while the first is
	// in the handler gets 503 busy with Retry-After; once the first is
	// done, the next is served.
	entered, release := make(chan struct{}), make(chan struct{})
	srv := newServer(t, recommend.Policy{}, cdshooks.WithMaxInFlight(1), cdshooks.WithAuthorizer(func(r *http.Request) error {
		if r.Header.Get("X-Hold") != "" {
			close(entered)
			<-release
		}
		return nil
	}))
	done := make(chan reply)
	go func() { done <- do(t, srv, http.MethodGet, "/cds-services", nil, "X-Hold", "1") }()
	<-entered
	rep := do(t, srv, http.MethodGet, "/cds-services", nil)
	errorReply(t, rep, http.StatusServiceUnavailable, cdshooks.ErrCodeBusy)
	assert.Equal(t, "1", rep.header.Get("Retry-After"))
	close(release)
	assert.Equal(t, http.StatusOK, (<-done).status)
	assert.Equal(t, http.StatusOK, do(t, srv, http.MethodGet, "/cds-services", nil).status)

	_, err := cdshooks.New(recommend.Policy{}, cdshooks.WithMaxInFlight(0))
	assert.Error(t, err)
}

func TestCDSStalledUploadEnds(t *testing.T) {
	// A client that sends part of its body and stalls gets the 503 of the
	// time limit, and its handler ends then too (the read deadline), giving
	// back its place among the requests in flight: the next request is
	// served. Without the deadline the handler would wait for the body as
	// long as the connection lives.
	srv := newServer(t, recommend.Policy{}, cdshooks.WithMaxInFlight(1), cdshooks.WithTimeout(100*time.Millisecond))
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: cds.example.org\r\nContent-Type: application/json\r\n"+
		"Content-Length: 100000\r\n\r\n{\"hook\": \"appointment-book\"", servicePath)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Eventually(t, func() bool {
		return do(t, srv, http.MethodGet, "/cds-services", nil).status == http.StatusOK
	}, 10*time.Second, 20*time.Millisecond, "the stalled request still holds its place")
}

func TestCDSMetrics(t *testing.T) {
	iss := testissuer.New(t, "https://ehr.example/issuer")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	auth, err := cdshooks.NewClientAuth(ctx, cdshooks.AuthConfig{
		Issuers: []cdshooks.Issuer{{ID: iss.ID, JWKSURLs: []string{iss.URL}}}, Audience: audience})
	require.NoError(t, err)
	reg := prometheus.NewRegistry()
	m, err := cdshooks.NewMetrics(reg)
	require.NoError(t, err)
	srv := newServer(t, recommend.Policy{}, cdshooks.WithMetrics(m), cdshooks.WithClientAuth(auth))
	_, err = cdshooks.NewMetrics(reg)
	assert.Error(t, err, "registered twice")

	body := mustJSON(t, booking(t, loadCase(t)))
	do(t, srv, http.MethodGet, "/cds-services", nil)
	do(t, srv, http.MethodPost, servicePath, body, "Content-Type", "application/json",
		"Authorization", "Bearer "+iss.Token(t, testissuer.Claims{Audience: audience + servicePath}, nil))
	do(t, srv, http.MethodPost, servicePath, body, "Content-Type", "application/json")
	do(t, srv, http.MethodGet, "/nowhere", nil)

	families, err := reg.Gather()
	require.NoError(t, err)
	got := map[string]float64{}
	for _, f := range families {
		for _, metric := range f.GetMetric() {
			name := f.GetName()
			for _, l := range metric.GetLabel() {
				name += " " + l.GetName() + "=" + l.GetValue()
			}
			switch {
			case metric.Counter != nil:
				got[name] = metric.GetCounter().GetValue()
			case metric.Gauge != nil:
				got[name] = metric.GetGauge().GetValue()
			case metric.Histogram != nil:
				got[name] = float64(metric.GetHistogram().GetSampleCount())
			}
		}
	}
	assert.Equal(t, map[string]float64{
		"collabmeet_cds_requests_total code=200 endpoint=discovery":  1,
		"collabmeet_cds_requests_total code=200 endpoint=service":    1,
		"collabmeet_cds_requests_total code=401 endpoint=service":    1,
		"collabmeet_cds_requests_total code=404 endpoint=unknown":    1,
		"collabmeet_cds_request_duration_seconds endpoint=discovery": 1,
		"collabmeet_cds_request_duration_seconds endpoint=service":   2,
		"collabmeet_cds_request_duration_seconds endpoint=unknown":   1,
		"collabmeet_cds_auth_refusals_total reason=missing_token":    1,
		"collabmeet_cds_requests_in_flight":                          0,
		"collabmeet_cds_fhir_gets_total":                             0,
	}, got)
}

func TestCDSCORS(t *testing.T) {
	const ehr = "https://ehr.example"
	srv := newServer(t, recommend.Policy{}, cdshooks.WithCORSOrigins(ehr, "https://other.example:8443/"))
	t.Run("preflight", func(t *testing.T) {
		rep := do(t, srv, http.MethodOptions, servicePath, nil, "Origin", ehr, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization, content-type")
		assert.Equal(t, http.StatusNoContent, rep.status)
		assert.Equal(t, ehr, rep.header.Get("Access-Control-Allow-Origin"))
		assert.Contains(t, rep.header.Get("Access-Control-Allow-Methods"), "POST")
		assert.Contains(t, rep.header.Get("Access-Control-Allow-Headers"), "Authorization")
		assert.Contains(t, rep.header.Values("Vary"), "Origin")
	})
	t.Run("an answer to an allowed origin", func(t *testing.T) {
		rep := do(t, srv, http.MethodGet, "/cds-services", nil, "Origin", "https://other.example:8443")
		assert.Equal(t, http.StatusOK, rep.status)
		assert.Equal(t, "https://other.example:8443", rep.header.Get("Access-Control-Allow-Origin"))
	})
	t.Run("another origin", func(t *testing.T) {
		rep := do(t, srv, http.MethodOptions, servicePath, nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
		assert.Equal(t, http.StatusMethodNotAllowed, rep.status)
		assert.Empty(t, rep.header.Get("Access-Control-Allow-Origin"))
	})
	t.Run("not configured", func(t *testing.T) {
		plain := newServer(t, recommend.Policy{})
		rep := do(t, plain, http.MethodOptions, servicePath, nil, "Origin", ehr, "Access-Control-Request-Method", "POST")
		assert.Equal(t, http.StatusMethodNotAllowed, rep.status)
		for name := range rep.header {
			assert.False(t, strings.HasPrefix(name, "Access-Control-"), name)
		}
	})
	t.Run("an origin that is none", func(t *testing.T) {
		for _, o := range []string{"ehr.example", "https://ehr.example/path", "ftp://ehr.example", "*"} {
			_, err := cdshooks.New(recommend.Policy{}, cdshooks.WithCORSOrigins(o))
			assert.Error(t, err, o)
		}
	})
}
