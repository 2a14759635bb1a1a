package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/internal/testissuer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const servicePath = "/cds-services/collabmeet-appointment-book"

// ready waits until /readyz of the server answers 200.
func ready(t *testing.T, base string, stderr *lockedBuffer) {
	t.Helper()
	for i := 0; ; i++ {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		require.Less(t, i, 400, "not ready: %s", stderr)
		time.Sleep(25 * time.Millisecond)
	}
}

// TestServeAuthenticates runs the binary with a trusted issuer whose JWK
// Set an httptest server serves: only a correctly signed, fresh token of
// that issuer for this endpoint is answered, once.
func TestServeAuthenticates(t *testing.T) {
	iss := testissuer.New(t, "https://ehr.example/issuer")
	stranger := testissuer.New(t, "https://stranger.example")
	const aud = "https://cds.example.org"
	cmd, base, stderr := serving(t, "--trusted-issuer", iss.ID+"="+iss.URL, "--audience", aud)
	ready(t, base, stderr)
	body := bookingBody(t)
	post := func(authorization string) (int, http.Header, map[string]any) {
		req, err := http.NewRequest(http.MethodPost, base+servicePath, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var answer map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
		return resp.StatusCode, resp.Header, answer
	}
	valid := testissuer.Claims{Audience: aud + servicePath}
	replayed := iss.Token(t, valid, nil)
	status, _, answer := post("Bearer " + replayed)
	require.Equal(t, http.StatusOK, status, "%v\n%s", answer, stderr)
	assert.Equal(t, map[string]any{"cards": []any{}}, answer)

	var tokens []string
	for _, tc := range []struct{ name, token string }{
		{"unsigned", ""},
		{"wrongly signed", iss.Forged(t, valid)},
		{"expired", iss.Token(t, testissuer.Claims{Audience: valid.Audience, IssuedAt: time.Now().Add(-10 * time.Minute)}, nil)},
		{"replayed", replayed},
		{"for another audience", iss.Token(t, testissuer.Claims{Audience: "https://other.example" + servicePath}, nil)},
		{"of an unknown issuer", stranger.Token(t, valid, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header := ""
			if tc.token != "" {
				header = "Bearer " + tc.token
				tokens = append(tokens, tc.token)
			}
			status, h, answer := post(header)
			assert.Equal(t, http.StatusUnauthorized, status, "%v", answer)
			assert.Equal(t, "unauthorized", answer["error"])
			assert.True(t, strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer"), h.Get("WWW-Authenticate"))
		})
	}
	// Discovery, health and metrics need no token.
	for path, want := range map[string]string{"/cds-services": "collabmeet-appointment-book", "/healthz": `"ok"`,
		"/readyz": `"ready"`, "/metrics": `collabmeet_cds_auth_refusals_total{reason="replayed"} 1`} {
		resp, err := http.Get(base + path)
		require.NoError(t, err)
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Contains(t, string(data), want, path)
	}

	assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
	logs := stderr.String()
	assert.Contains(t, logs, `"trusted_issuers":["https://ehr.example/issuer"]`)
	for _, reason := range []string{"missing_token", "bad_signature", "expired", "replayed", "wrong_audience", "untrusted_issuer"} {
		assert.Contains(t, logs, `"auth":"`+reason+`"`)
	}
	for _, token := range tokens {
		for _, part := range strings.Split(token, ".")[1:] {
			assert.NotContains(t, logs, part, "the log holds a token")
		}
	}
	assert.NotContains(t, logs, "stranger.example", "an untrusted iss is not logged")
}

// TestServeWithoutAuthListensOnLoopbackOnly: without --trusted-issuer the
// server refuses a non-loopback address, unless --insecure-no-auth; on
// loopback it says on stderr that nobody is authenticated.
func TestServeWithoutAuthListensOnLoopbackOnly(t *testing.T) {
	code, _, errOut := exe(t, nil, "serve", "--addr", "0.0.0.0:0")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "is not a loopback address")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--trusted-issuer", "https://ehr.example=https://ehr.example/jwks"}, "--audience"},
		{[]string{"--audience", "https://cds.example.org"}, "--trusted-issuer"},
		{[]string{"--trusted-issuer", "no-url"}, "ISS=JWKS_URL"},
		{[]string{"--trusted-issuer", "https://ehr.example=http://ehr.example/jwks", "--audience", "https://cds.example.org"}, "https"},
		{[]string{"--max-in-flight", "0"}, "--max-in-flight"},
		{[]string{"--cors-origin", "ehr.example"}, "CORS origin"},
	} {
		code, out, errOut := exe(t, nil, append([]string{"serve"}, tc.args...)...)
		assert.Equal(t, exitBadInput, code, "%v", tc.args)
		assert.Empty(t, out)
		assert.Contains(t, errOut, tc.want, "%v", tc.args)
	}

	cmd, _, stderr := serving(t)
	assert.Contains(t, stderr.String(), "client authentication is off, listening on loopback only")
	assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)

	// --insecure-no-auth on all interfaces: the test talks to it on loopback only.
	port := strings.TrimPrefix(freeAddr(t), "127.0.0.1:")
	cmd, _, stderr = startServe(t, "0.0.0.0:"+port, "127.0.0.1:"+port, "--insecure-no-auth")
	assert.Contains(t, stderr.String(), "--insecure-no-auth: client authentication is off")
	assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
}

// vm reads a field of /proc/PID/status in KiB (VmHWM, VmRSS).
func vm(t *testing.T, pid int, field string) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			require.NoError(t, err)
			return n
		}
	}
	require.Failf(t, "no field", "%s in /proc/%d/status", field, pid)
	return 0
}

// TestServeStalledUploadsBoundMemory opens 200 connections that each send
// a request declaring a body of the limit (4 MiB), send all of it but the
// last KiB, and stall. The limit of requests in flight turns all but a few
// away before reading their bodies (503 busy), and the service's timeout
// ends the reading of the others: the peak memory of the process stays
// under the bound of SECURITY.md, baseline + 2 × in flight × body limit.
func TestServeStalledUploadsBoundMemory(t *testing.T) {
	const (
		conns    = 200
		inFlight = 4
		bodySize = 4 << 20  // cdshooks.DefaultMaxBodyBytes
		baseline = 64 << 10 // KiB: the process at rest is some 20 MiB
	)
	cmd, base, stderr := serving(t, "--max-in-flight", strconv.Itoa(inFlight), "--timeout", "1s")
	before := vm(t, cmd.Process.Pid, "VmRSS")
	addr := strings.TrimPrefix(base, "http://")
	chunk := bytes.Repeat([]byte(" "), 64<<10)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	for range conns {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			mu.Lock()
			open = append(open, conn)
			mu.Unlock()
			_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: cds.example.org\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", servicePath, bodySize); err != nil {
				return
			}
			for sent := 1; sent < bodySize-1024; sent += len(chunk) {
				if _, err := conn.Write(chunk[:min(len(chunk), bodySize-1024-sent)]); err != nil {
					return // turned away, or the server stopped reading
				}
			}
			// and stall: the connection stays open until the test ends
		})
	}
	wg.Wait()
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	// The server still answers, and once the stalled ones are past their
	// timeout, it serves a booking.
	require.Eventually(t, func() bool {
		resp, err := http.Post(base+servicePath, "application/json", bytes.NewReader(bookingBody(t)))
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 20*time.Second, 50*time.Millisecond, "%s", stderr)
	hwm := vm(t, cmd.Process.Pid, "VmHWM")
	bound := int64(baseline + 2*inFlight*bodySize>>10)
	t.Logf("RSS before %d KiB, peak (VmHWM) %d KiB, now %d KiB; bound %d KiB", before, hwm, vm(t, cmd.Process.Pid, "VmRSS"), bound)
	assert.Less(t, hwm, bound, "the stalled uploads took more memory than the bound")
	assert.Contains(t, stderr.String(), `"error":"busy"`)
	assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
}
