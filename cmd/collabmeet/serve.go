package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
)

// The limits of the server of `collabmeet serve`. A request's own time limit
// is the service's (cdshooks.DefaultTimeout); the server's are wider, so that
// the service answers a slow request with its JSON 503.
const (
	serveReadHeaderTimeout = 5 * time.Second
	serveReadTimeout       = 30 * time.Second
	serveWriteTimeout      = 30 * time.Second
	serveIdleTimeout       = 2 * time.Minute
	serveMaxHeaderBytes    = 64 << 10
	// serveShutdownTimeout is how long the requests in flight get to finish
	// after SIGINT or SIGTERM.
	serveShutdownTimeout = 15 * time.Second
)

// runServe is `collabmeet serve [--addr 127.0.0.1:8080] [--policy FILE]
// [--canonical-base URL] [--fhir-server ORIGIN]...`: the CDS Hooks service of package cdshooks
// (discovery at /cds-services, the service at
// /cds-services/collabmeet-appointment-book) on a plain net/http server,
// checking bookings under the policy. Each --fhir-server adds an origin
// (https://ehr.example[:port]) from whose FHIR servers the service may fetch
// a prefetch key a request lacks (cdshooks.WithFHIRServers); without one it
// never fetches, and a missing required key is answered with 412. It logs one JSON line per
// request to stderr (log/slog), with no personal data, and stops gracefully
// on SIGINT or SIGTERM: it stops accepting connections and lets the requests
// in flight finish. Exit 0 after a clean shutdown, 1 when requests were still
// running at the shutdown deadline, 2 when it cannot start (usage, policy,
// address).
//
// Serve plain HTTP on a loopback or internal address only: CDS Hooks asks
// for TLS, which belongs to the proxy or gateway in front of it.
func runServe(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on (port 0: any free port, logged at start)")
	policyFile := fs.String("policy", "", "policy `FILE` (JSON); default: the default policy")
	canonical := fs.String("canonical-base", cdshooks.DefaultCanonicalBase,
		"canonical base `URL` of the cards' code systems (topics, override reasons), as the conformance resources at that base name them")
	var fhirServers []string
	fs.Func("fhir-server", "fetch a prefetch key a request lacks from its fhirServer when that is on this `ORIGIN` "+
		"(https://ehr.example[:port]); repeat for more origins; default: never fetch, answer 412",
		func(origin string) error {
			fhirServers = append(fhirServers, origin)
			return nil
		})
	rest, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return fs.usageError("unexpected argument %s", quoteArg(rest[0]))
	}
	var policy recommend.Policy
	if *policyFile != "" {
		p, err := recommend.LoadPolicy(*policyFile)
		if err != nil {
			printProblems(e.stderr, *policyFile, err)
			return exitBadInput
		}
		policy = p
	}
	handler := slog.NewJSONHandler(e.stderr, nil)
	logger := slog.New(handler)
	opts := []cdshooks.Option{cdshooks.WithLogger(logger), cdshooks.WithCanonicalBase(*canonical)}
	if len(fhirServers) > 0 {
		opts = append(opts, cdshooks.WithFHIRServers(fhirServers...))
	}
	svc, err := cdshooks.New(policy, opts...)
	if err != nil {
		name := *policyFile
		if name == "" {
			name = "collabmeet serve"
		}
		printProblems(e.stderr, name, err)
		return exitBadInput
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "collabmeet serve: %v\n", err)
		return exitBadInput
	}
	srv := &http.Server{
		Handler:           svc,
		ReadHeaderTimeout: serveReadHeaderTimeout,
		ReadTimeout:       serveReadTimeout,
		WriteTimeout:      serveWriteTimeout,
		IdleTimeout:       serveIdleTimeout,
		MaxHeaderBytes:    serveMaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	digest, _ := policy.Digest() // the policy compiled, so it has a digest
	logger.Info("collabmeet serve: listening", slog.String("addr", ln.Addr().String()),
		slog.String("discovery", "/cds-services"), slog.String("service", "/cds-services/"+cdshooks.ServiceID),
		slog.String("catalogue", catalogue.Version), slog.String("policy_digest", digest),
		slog.Any("fhir_servers", append([]string{}, fhirServers...)))

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
