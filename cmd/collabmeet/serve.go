package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The limits of the server of `collabmeet serve` that are not flags. The
// read and write timeouts follow the service's own (--timeout), so that a
// stalled upload ends with the service's JSON 503 and no later.
const (
	serveReadHeaderTimeout = 5 * time.Second
	serveIdleTimeout       = 2 * time.Minute
	serveMaxHeaderBytes    = 64 << 10
	// serveWriteMargin is the time left for writing an answer after the
	// service's timeout.
	serveWriteMargin = 5 * time.Second
	// serveShutdownTimeout is how long the requests in flight get to finish
	// after SIGINT or SIGTERM.
	serveShutdownTimeout = 15 * time.Second
)

// runServe is `collabmeet serve [--addr 127.0.0.1:8080] [--policy FILE]
// [--canonical-base URL] [--fhir-server ORIGIN]... [--fhir-allow-http] [--fhir-max-gets N]
// [--fhir-max-bytes N] [--trusted-issuer ISS=JWKS_URL --audience URL |
// --insecure-no-auth] [--max-in-flight N] [--timeout D] [--cors-origin
// ORIGIN]...`: the CDS Hooks service of package cdshooks (discovery at
// /cds-services, the service at /cds-services/collabmeet-appointment-book)
// on a plain net/http server, checking bookings under the policy, with
// /healthz, /readyz and /metrics (Prometheus) beside it.
//
// Each --trusted-issuer makes the service and feedback endpoints require a
// JWT of that issuer (cdshooks.ClientAuth), signed with a key of its JWK Set;
// --audience is the public base URL that the tokens' aud names. Without an
// issuer nobody is authenticated, and the server listens on a loopback
// address only (it says so on stderr), unless --insecure-no-auth.
//
// Each --fhir-server adds an origin (https://ehr.example[:port]) from whose
// FHIR servers the service may fetch a prefetch key a request lacks
// (cdshooks.WithFHIRServers); without one it never fetches, and a missing
// required key is answered with 412. An http origin is refused unless its
// host is loopback or --fhir-allow-http is given; --fhir-max-gets and
// --fhir-max-bytes set the fetch budget of each request
// (cdshooks.WithFetchBudget). It logs one JSON line per request to
// stderr (log/slog), with no personal data, and stops gracefully on SIGINT
// or SIGTERM: it stops accepting connections and lets the requests in
// flight finish. Exit 0 after a clean shutdown, 1 when requests were still
// running at the shutdown deadline, 2 when it cannot start (usage, policy,
// address, authentication settings).
//
// It serves plain HTTP: CDS Hooks asks for TLS, which belongs to the proxy
// or gateway in front of it.
func runServe(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	addr := fs.str("addr", "127.0.0.1:8080", nil)
	policyFile := fs.str("policy", "", nil)
	canonical := fs.str("canonical-base", cdshooks.DefaultCanonicalBase, nil)
	var fhirServers, corsOrigins []string
	fs.function("fhir-server", func(origin string) error {
		fhirServers = append(fhirServers, origin)
		return nil
	})
	fhirAllowHTTP := fs.boolean("fhir-allow-http")
	fhirMaxGETs := fs.integer("fhir-max-gets", cdshooks.DefaultFetchGETs, nil)
	fhirMaxBytes := fs.int64Flag("fhir-max-bytes", cdshooks.DefaultMaxBodyBytes)
	var issuers []cdshooks.Issuer
	fs.function("trusted-issuer", func(v string) error {
		iss, u, ok := strings.Cut(v, "=")
		if !ok || iss == "" || u == "" {
			return &sayError{id: "cli.error.cause_issuer"}
		}
		for i := range issuers {
			if issuers[i].ID == iss {
				issuers[i].JWKSURLs = append(issuers[i].JWKSURLs, u)
				return nil
			}
		}
		issuers = append(issuers, cdshooks.Issuer{ID: iss, JWKSURLs: []string{u}})
		return nil
	})
	audience := fs.str("audience", "", nil)
	insecure := fs.boolean("insecure-no-auth")
	inFlight := fs.integer("max-in-flight", cdshooks.DefaultMaxInFlight, nil)
	timeout := fs.duration("timeout", cdshooks.DefaultTimeout)
	fs.function("cors-origin", func(origin string) error {
		corsOrigins = append(corsOrigins, origin)
		return nil
	})
	rest, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return fs.usageError("cli.error.unexpected_argument", recommend.Args{"arg": rest[0]})
	}
	switch {
	case len(issuers) > 0 && *audience == "":
		return fs.usageError("cli.error.needs_audience", nil)
	case len(issuers) == 0 && *audience != "":
		return fs.usageError("cli.error.audience_alone", nil)
	case len(issuers) > 0 && *insecure:
		return fs.usageError("cli.error.insecure_and_issuer", nil)
	case *inFlight <= 0:
		return fs.usageError("cli.error.max_in_flight", nil)
	case *timeout <= 0:
		return fs.usageError("cli.error.timeout", nil)
	}
	var policy recommend.Policy
	if *policyFile != "" {
		p, err := recommend.LoadPolicy(*policyFile)
		if err != nil {
			printProblems(e.stderr, e.lang(), *policyFile, err)
			return exitBadInput
		}
		policy = p
	}
	handler := slog.NewJSONHandler(e.stderr, nil)
	logger := slog.New(handler)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := cdshooks.NewMetrics(reg)
	if err != nil {
		fmt.Fprintf(e.stderr, "collabmeet serve: %v\n", err)
		return exitBadInput
	}
	opts := []cdshooks.Option{cdshooks.WithLogger(logger), cdshooks.WithCanonicalBase(*canonical), cdshooks.WithMetrics(metrics),
		cdshooks.WithMaxInFlight(*inFlight), cdshooks.WithTimeout(*timeout), cdshooks.WithCORSOrigins(corsOrigins...)}
	if len(fhirServers) > 0 {
		if *fhirMaxGETs < 1 || *fhirMaxBytes < 1 {
			return fs.usageError("cli.error.fhir_budget", nil)
		}
		opts = append(opts, cdshooks.WithFHIRServers(fhirServers...), cdshooks.WithFHIRAllowHTTP(*fhirAllowHTTP),
			cdshooks.WithFetchBudget(cdshooks.FetchBudget{GETs: *fhirMaxGETs, Bytes: *fhirMaxBytes}))
	}
	if len(issuers) > 0 {
		auth, err := cdshooks.NewClientAuth(ctx, cdshooks.AuthConfig{Issuers: issuers, Audience: *audience, Logger: logger})
		if err != nil {
			fmt.Fprintf(e.stderr, "collabmeet serve: %v\n", err)
			return exitBadInput
		}
		opts = append(opts, cdshooks.WithClientAuth(auth))
	}
	svc, err := cdshooks.New(policy, opts...)
	if errors.Is(err, cdshooks.ErrFHIRHTTP) {
		fmt.Fprintf(e.stderr, "collabmeet serve: %s\n", say(e.lang(), "cli.error.fhir_http", nil))
		return exitBadInput
	}
	if err != nil {
		name := *policyFile
		if name == "" {
			name = "collabmeet serve"
		}
		printProblems(e.stderr, e.lang(), name, err)
		return exitBadInput
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "collabmeet serve: %v\n", err)
		return exitBadInput
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); len(issuers) == 0 && !*insecure && (!ok || !tcp.IP.IsLoopback()) {
		ln.Close()
		fmt.Fprintf(e.stderr, "collabmeet serve: %s\n", say(e.lang(), "cli.error.not_loopback", recommend.Args{"addr": ln.Addr().String()}))
		return exitBadInput
	}
	readHeader := min(serveReadHeaderTimeout, *timeout)
	srv := &http.Server{
		Handler:           serveMux(svc, reg),
		ReadHeaderTimeout: readHeader,
		ReadTimeout:       readHeader + *timeout,
		WriteTimeout:      *timeout + serveWriteMargin,
		IdleTimeout:       serveIdleTimeout,
		MaxHeaderBytes:    serveMaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	digest, _ := policy.Digest() // the policy compiled, so it has a digest
	logger.Info("collabmeet serve: listening", slog.String("addr", ln.Addr().String()),
		slog.String("discovery", "/cds-services"), slog.String("service", "/cds-services/"+cdshooks.ServiceID),
		slog.String("catalogue", catalogue.Version), slog.String("policy_digest", digest),
		slog.Any("fhir_servers", append([]string{}, fhirServers...)),
		slog.Int("max_in_flight", *inFlight), slog.Duration("timeout", *timeout),
		slog.Any("cors_origins", append([]string{}, corsOrigins...)))
	if len(issuers) > 0 {
		ids := make([]string, len(issuers))
		for i, iss := range issuers {
			ids[i] = iss.ID
		}
		logger.Info("collabmeet serve: clients authenticate with a JWT", slog.Any("trusted_issuers", ids),
			slog.String("audience", *audience))
	} else {
		msg := "collabmeet serve: no --trusted-issuer: client authentication is off, listening on loopback only"
		if *insecure {
			msg = "collabmeet serve: --insecure-no-auth: client authentication is off, anyone who reaches the address may call the service"
		}
		logger.Warn(msg, slog.String("addr", ln.Addr().String()))
	}
	// Serve after the start-up lines are written, so that whoever sees the
	// service answer has them all on stderr.
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		logger.Error("collabmeet serve: the server stopped", slog.String("error", err.Error()))
		return exitBadInput
	case <-ctx.Done():
	}
	stop() // a second signal ends the process at once
	logger.Info("collabmeet serve: shutting down", slog.Duration("deadline", serveShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), serveShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Error("collabmeet serve: requests were still running at the deadline", slog.String("error", err.Error()))
		srv.Close()
		return exitGaps
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("collabmeet serve: the server stopped", slog.String("error", err.Error()))
		return exitBadInput
	}
	logger.Info("collabmeet serve: stopped")
	return exitOK
}

// serveMux serves the service, and beside it:
//
//	GET /healthz  200 {"status":"ok"} while the process runs (liveness)
//	GET /readyz   200 {"status":"ready"} once the service can answer (cdshooks.Service.Ready), else 503
//	GET /metrics  the Prometheus metrics
//
// None of them needs authentication: they hold no personal data.
func serveMux(svc *cdshooks.Service, reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", svc)
	status := func(w http.ResponseWriter, r *http.Request, code int, body string) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			code, body = http.StatusMethodNotAllowed, `{"status":"method_not_allowed"}`
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body+"\n")
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		status(w, r, http.StatusOK, `{"status":"ok"}`)
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := svc.Ready(); err != nil {
			body, _ := json.Marshal(map[string]string{"status": "not_ready", "message": err.Error()})
			status(w, r, http.StatusServiceUnavailable, string(body))
			return
		}
		status(w, r, http.StatusOK, `{"status":"ready"}`)
	})
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}
