package cdshooks

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the Prometheus metrics of a Service (WithMetrics):
//
//	collabmeet_cds_requests_total{endpoint,code}      requests answered, by endpoint and HTTP status
//	collabmeet_cds_request_duration_seconds{endpoint} how long they took
//	collabmeet_cds_requests_in_flight                 requests being handled now
//	collabmeet_cds_fhir_gets_total                    GETs to FHIR servers when fetching prefetch
//	collabmeet_cds_auth_refusals_total{reason}        tokens refused by ClientAuth, by AuthError.Reason
//
// The endpoint is discovery, service, feedback or unknown. No label holds
// anything of a request but these names and the status. A nil *Metrics
// counts nothing.
type Metrics struct {
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	inFlightNow  prometheus.Gauge
	fhirGets     prometheus.Counter
	authRefusals *prometheus.CounterVec
}

// NewMetrics registers the metrics of a Service with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "collabmeet_cds_requests_total",
			Help: "CDS Hooks requests answered, by endpoint and HTTP status code.",
		}, []string{"endpoint", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "collabmeet_cds_request_duration_seconds",
			Help:    "Time taken to answer a CDS Hooks request, by endpoint.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
		}, []string{"endpoint"}),
		inFlightNow: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "collabmeet_cds_requests_in_flight",
			Help: "CDS Hooks requests being handled now.",
		}),
		fhirGets: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "collabmeet_cds_fhir_gets_total",
			Help: "GET requests sent to FHIR servers to fetch missing prefetch.",
		}),
		authRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "collabmeet_cds_auth_refusals_total",
			Help: "Client JWTs refused, by reason.",
		}, []string{"reason"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.inFlightNow, m.fhirGets, m.authRefusals} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("cdshooks: metrics: %w", err)
		}
	}
	return m, nil
}

// observe counts a request that is done, from the attributes of its log
// record: the endpoint, and the GETs to FHIR servers that the fetch code
// noted as fhir_gets.
func (m *Metrics) observe(attrs []slog.Attr, status int, d time.Duration) {
	if m == nil {
		return
	}
	endpoint := "unknown"
	for _, a := range attrs {
		switch a.Key {
		case "endpoint":
			endpoint = a.Value.String()
		case "fhir_gets":
			if n := a.Value.Int64(); a.Value.Kind() == slog.KindInt64 && n > 0 {
				m.fhirGets.Add(float64(n))
			}
		}
	}
	if endpoint == "unauthorized" { // WithAuthorizer's refusal
		endpoint = "unknown"
	}
	m.requests.WithLabelValues(endpoint, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(endpoint).Observe(d.Seconds())
}

// inFlight adds delta to the requests in flight.
func (m *Metrics) inFlight(delta float64) {
	if m != nil {
		m.inFlightNow.Add(delta)
	}
}

// authRefused counts a refused token.
func (m *Metrics) authRefused(reason string) {
	if m != nil {
		m.authRefusals.WithLabelValues(reason).Inc()
	}
}
