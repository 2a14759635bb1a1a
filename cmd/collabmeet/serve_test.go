package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/internal/medplumtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is a bytes.Buffer that the process's output copier and the
// test may use at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr returns a loopback address with a port that is free now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// serving starts `collabmeet serve` (the binary TestMain built) on a free
// port and waits until its discovery endpoint answers.
func serving(t *testing.T, args ...string) (cmd *exec.Cmd, base string, stderr *lockedBuffer) {
	t.Helper()
	addr := freeAddr(t)
	return startServe(t, addr, addr, args...)
}

// startServe starts `collabmeet serve --addr listen` and waits until its
// discovery endpoint answers at reach.
func startServe(t *testing.T, listen, reach string, args ...string) (cmd *exec.Cmd, base string, stderr *lockedBuffer) {
	t.Helper()
	addr := reach
	stderr = &lockedBuffer{}
	cmd = exec.Command(binary, append([]string{"serve", "--addr", listen}, args...)...)
	cmd.Stdout, cmd.Stderr = io.Discard, stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	base = "http://" + addr
	client := &http.Client{Timeout: time.Second}
	for i := 0; ; i++ {
		resp, err := client.Get(base + "/cds-services")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd, base, stderr
			}
		}
		require.Less(t, i, 200, "the server did not answer: %v\n%s", err, stderr)
		time.Sleep(25 * time.Millisecond)
	}
}

// stopped sends sig to the server and returns its exit code.
func stopped(t *testing.T, cmd *exec.Cmd, sig os.Signal) int {
	t.Helper()
	require.NoError(t, cmd.Process.Signal(sig))
	err := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// bookingBody is a CDS Hooks request booking the compliant example meeting.
func bookingBody(t *testing.T) []byte {
	t.Helper()
	return bookingBodyAt(t, "../../examples/cases/compliant-digital-meeting.json", "")
}

// bookingBodyAt is a CDS Hooks request booking the meeting of a case file,
// from an EHR whose extensions are at the canonical base base ("" for the
// default).
func bookingBodyAt(t *testing.T, file, base string) []byte {
	t.Helper()
	c, err := casedoc.ReadFile(file)
	require.NoError(t, err)
	return bookingAt(t, c, base, fhir.Entry{}, false)
}

// bookingWith is a CDS Hooks request booking the meeting of c, with extra
// (unless its Resource is nil) added to every prefetched Bundle: first or
// last.
func bookingWith(t *testing.T, c *casedoc.Case, extra fhir.Entry, first bool) []byte {
	t.Helper()
	return bookingAt(t, c, "", extra, first)
}

// bookingAt is bookingWith from an EHR whose extensions are at the
// canonical base base ("" for the default).
func bookingAt(t *testing.T, c *casedoc.Case, base string, extra fhir.Entry, first bool) []byte {
	t.Helper()
	b, err := fhir.Writer{Canonical: base}.Bundle(c)
	require.NoError(t, err)
	var appts, rest []fhir.Entry
	var patient fhir.Resource
	for _, e := range b.Entry {
		switch r := e.Resource.(type) {
		case *fhir.Appointment:
			r.Status = "proposed"
			appts = append(appts, e)
		case *fhir.Patient:
			patient = r
			rest = append(rest, e)
		default:
			rest = append(rest, e)
		}
	}
	if extra.Resource != nil {
		if first {
			rest = append([]fhir.Entry{extra}, rest...)
		} else {
			rest = append(rest, extra)
		}
	}
	bundle := func(entries []fhir.Entry) *fhir.Bundle {
		return &fhir.Bundle{ResourceType: "Bundle", Type: "searchset", Entry: entries}
	}
	body, err := json.Marshal(map[string]any{
		"hook":         "appointment-book",
		"hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
		"context": map[string]any{
			"userId":       "PractitionerRole/booking-clerk",
			"patientId":    patient.ResourceID(),
			"appointments": bundle(appts),
		},
		// One searchset for every key is more than a FHIR server would
		// answer, and reads the same: the service keeps each resource once.
		"prefetch": map[string]any{"patient": patient, "careTeam": bundle(rest), "consents": bundle(rest), "carePlan": bundle(rest)},
	})
	require.NoError(t, err)
	return body
}

func TestServeProcess(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, base, stderr := serving(t)

			resp, err := http.Get(base + "/cds-services")
			require.NoError(t, err)
			var discovery struct {
				Services []struct{ ID, Hook string }
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&discovery))
			resp.Body.Close()
			require.Len(t, discovery.Services, 1)
			assert.Equal(t, "collabmeet-appointment-book", discovery.Services[0].ID)
			assert.Equal(t, "appointment-book", discovery.Services[0].Hook)

			resp, err = http.Post(base+"/cds-services/collabmeet-appointment-book", "application/json", bytes.NewReader(bookingBody(t)))
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
			assert.JSONEq(t, `{"cards":[]}`, string(body))

			assert.Equal(t, exitOK, stopped(t, cmd, sig), "%s", stderr)

			// One JSON object per line: start, one record per request, stop.
			var msgs []string
			var requests []map[string]any
			for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
				var rec map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &rec), "a log line that is not JSON: %s", line)
				msgs = append(msgs, fmt.Sprint(rec["msg"]))
				if rec["msg"] == "cds-hooks request" {
					requests = append(requests, rec)
				}
			}
			assert.Equal(t, "collabmeet serve: listening", msgs[0])
			assert.Equal(t, "collabmeet serve: stopped", msgs[len(msgs)-1])
			assert.Contains(t, msgs, "collabmeet serve: shutting down")
			require.NotEmpty(t, requests)
			last := requests[len(requests)-1]
			assert.Equal(t, "service", last["endpoint"])
			assert.Equal(t, float64(200), last["status"])
			assert.Equal(t, float64(0), last["cards"])
			for _, s := range []string{"Kari Nordmann", "Dr. Lien", "7d89225d-2d53-52fa-aad8-57b002628bc3", "booking-clerk"} {
				assert.NotContains(t, stderr.String(), s, "the log holds personal data")
			}
		})
	}
}

// TestServeFetches checks --fhir-server: a booking without prefetch is
// answered from the FHIR server of the allow-list, as if it had been sent,
// and one whose fhirServer is elsewhere gets 412.
func TestServeFetches(t *testing.T) {
	m, booking := onMedplum(t, 100)
	cmd, base, stderr := serving(t, "--fhir-server", m.URL, "--fhir-server", "https://ehr.example")
	post := func(fhirServer string) (int, string) { return postBooking(t, base, booking(fhirServer)) }
	status, body := post(m.Base())
	assert.Equal(t, http.StatusOK, status, "%s", body)
	assert.JSONEq(t, `{"cards":[]}`, body)
	asked := m.Asked(t)
	require.Len(t, asked, 4, "one search a missing key, each one page")
	for _, r := range asked {
		assert.Equal(t, "valid", r.Authorization, "%s: the token was sent", r.URL)
	}

	status, body = post("https://elsewhere.example/fhir")
	assert.Equal(t, http.StatusPreconditionFailed, status, "%s", body)
	assert.Contains(t, body, `"prefetch_missing"`)

	// The metrics count the GETs to the FHIR server.
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(metrics), "\ncollabmeet_cds_fhir_gets_total 4\n")

	assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
	logs := stderr.String()
	assert.Contains(t, logs, `"fhir_servers":["`+m.URL+`","https://ehr.example"]`)
	assert.Contains(t, logs, `"fetched":["patient","careTeam","consents","carePlan"]`)
	for _, s := range []string{medplumtest.Token, "7d89225d-2d53-52fa-aad8-57b002628bc3", "elsewhere"} {
		assert.NotContains(t, logs, s)
	}
}

func TestServeCannotStart(t *testing.T) {
	dir := t.TempDir()
	badPolicy := filepath.Join(dir, "policy.json")
	require.NoError(t, os.WriteFile(badPolicy, []byte(`{"disable": ["PC-04"]}`), 0o644))
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"an argument", []string{"serve", "cases.json"}, "unexpected argument"},
		{"a policy that cannot be read", []string{"serve", "--policy", filepath.Join(dir, "missing.json")}, "missing.json"},
		{"a policy that disables a protected recommendation", []string{"serve", "--policy", badPolicy}, "PC-04"},
		{"an address in use", []string{"serve", "--addr", busy.Addr().String()}, "collabmeet serve: "},
		{"an address that is no address", []string{"serve", "--addr", "localhost:http-alt-nope"}, "collabmeet serve: "},
		{"a FHIR server that is no origin", []string{"serve", "--fhir-server", "https://ehr.example/fhir"}, "is not an origin"},
		{"a FHIR server that is not http", []string{"serve", "--fhir-server", "ftp://ehr.example"}, "is not an http or https origin"},
		{"a canonical base that is no URL", []string{"serve", "--canonical-base", "collabmeet.example/fhir"}, "canonical base"},
		// The flags of fetching: an http FHIR origin on a host that is not
		// loopback needs --fhir-allow-http, an origin with a fragment (even an
		// empty one) is no origin, and the fetch budget must be positive.
		{"an http origin without --fhir-allow-http", []string{"serve", "--fhir-server", "http://ehr.example"}, "in clear"},
		{"an http origin on a private address", []string{"serve", "--fhir-server", "http://10.1.2.3:8080"}, "--fhir-allow-http"},
		{"an origin with an empty fragment", []string{"serve", "--fhir-server", "https://ehr.example#"}, "is not an origin"},
		{"an origin with a fragment", []string{"serve", "--fhir-server", "https://ehr.example#/fhir"}, "is not an origin"},
		{"an origin with user information", []string{"serve", "--fhir-server", "https://user@ehr.example"}, "is not an origin"},
		{"no GETs", []string{"serve", "--fhir-server", "https://ehr.example", "--fhir-max-gets", "0"}, "--fhir-max-gets"},
		{"no bytes", []string{"serve", "--fhir-server", "https://ehr.example", "--fhir-max-bytes", "-1"}, "--fhir-max-bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := exe(t, nil, tc.args...)
			assert.Equal(t, exitBadInput, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.stderr)
		})
	}
}

// TestServeFinishesRequestsInFlight sends SIGTERM while a request is in the
// handler: the server stops listening, and the request still gets its
// answer before the process exits 0.
func TestServeFinishesRequestsInFlight(t *testing.T) {
	cmd, base, stderr := serving(t)
	body := bookingBody(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	// With Expect: 100-continue the server says "100 Continue" when the
	// handler starts reading the body: then the request is surely in flight.
	_, err = fmt.Fprintf(conn, "POST /cds-services/collabmeet-appointment-book HTTP/1.1\r\nHost: collabmeet\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", len(body))
	require.NoError(t, err)
	rd := bufio.NewReader(conn)
	status, err := rd.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 100 Continue\r\n", status)
	blank, err := rd.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "\r\n", blank)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for i := 0; !strings.Contains(stderr.String(), "shutting down"); i++ {
		require.Less(t, i, 200, "no shutdown: %s", stderr)
		time.Sleep(25 * time.Millisecond)
	}
	_, err = conn.Write(body)
	require.NoError(t, err)
	resp, err := http.ReadResponse(rd, nil)
	require.NoError(t, err)
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", answer)
	assert.JSONEq(t, `{"cards":[]}`, string(answer))
	require.NoError(t, cmd.Wait(), "%s", stderr)
	assert.Equal(t, exitOK, cmd.ProcessState.ExitCode())
}
