package bench

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
)

// bookingFiles are the requests of the CDS Hooks benchmark: the example
// meeting booked with an empty agenda (every card, and the suggested update
// that the fixes make: the service's slowest path), and booked as it is
// (no cards).
var bookingFiles = []string{"booking-empty-agenda.json", "booking-compliant.json"}

// decodeOnly is the yardstick of the CDS Hooks service: a net/http handler
// that reads the same request body, decodes it (the CDS Hooks request, and
// every FHIR resource of context.appointments and of the prefetch, with the
// fhir package's decoder) and answers no cards. It checks nothing.
func decodeOnly(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	var req cdshooks.Request
	if err := json.Unmarshal(data, &req); err != nil || req.Context == nil {
		http.Error(w, "decode", http.StatusBadRequest)
		return
	}
	if _, err := fhir.Unmarshal(req.Context.Appointments); err != nil {
		http.Error(w, "decode", http.StatusBadRequest)
		return
	}
	for _, v := range req.Prefetch {
		if v.Kind() != '{' {
			continue
		}
		if !fhir.IsBundle(v) { // one resource, such as the Patient
			v = slices.Concat([]byte(`{"resourceType":"Bundle","type":"collection","entry":[{"resource":`), v, []byte(`}]}`))
		}
		if _, err := fhir.Unmarshal(v); err != nil {
			http.Error(w, "decode", http.StatusBadRequest)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"cards":[]}` + "\n"))
}

// BenchmarkCDSHooks is the service's answer to one booking against
// decodeOnly on the same request body, each called as a net/http handler
// (ServeHTTP with a recorded response) at concurrency 1 (one goroutine), 8
// and 64 (b.RunParallel, SetParallelism so that there are that many
// goroutines on GOMAXPROCS). The budget: the service within 2× of
// decodeOnly (BENCHMARKS.md).
func BenchmarkCDSHooks(b *testing.B) {
	svc, err := cdshooks.New(recommend.Policy{})
	if err != nil {
		b.Fatal(err)
	}
	handlers := []struct {
		name string
		h    http.Handler
	}{{"decode", http.HandlerFunc(decodeOnly)}, {"service", svc}}
	for _, file := range bookingFiles {
		body, err := os.ReadFile("../cdshooks/testdata/" + file)
		if err != nil {
			b.Fatal(err)
		}
		for _, conc := range []int{1, 8, 64} {
			for _, h := range handlers {
				name := file[:len(file)-len(".json")] + "/c" + strconv.Itoa(conc) + "/" + h.name
				b.Run(name, func(b *testing.B) {
					b.ReportAllocs()
					b.SetBytes(int64(len(body)))
					if conc == 1 {
						for b.Loop() {
							serve(b, h.h, body)
						}
						return
					}
					b.SetParallelism(max(1, conc/runtime.GOMAXPROCS(0)))
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							serve(b, h.h, body)
						}
					})
				})
			}
		}
	}
}

// BenchmarkCDSHooksRatio calls the service and decodeOnly by turns on the
// same request, on one goroutine, and reports the ratios of their times
// (service/decode): wall time, and the CPU time of the process (getrusage:
// every thread, the garbage collector's included). On a shared machine
// whose speed drifts both see the same drift, and the CPU time does not
// count the time the process waits for a CPU. ns/op is the time of one
// pair.
func BenchmarkCDSHooksRatio(b *testing.B) {
	svc, err := cdshooks.New(recommend.Policy{})
	if err != nil {
		b.Fatal(err)
	}
	for _, file := range bookingFiles {
		body, err := os.ReadFile("../cdshooks/testdata/" + file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(file[:len(file)-len(".json")], func(b *testing.B) {
			b.ReportAllocs()
			var dec, srv, decCPU, srvCPU time.Duration
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime(b)
				serve(b, http.HandlerFunc(decodeOnly), body)
				t1, c1 := time.Now(), cpuTime(b)
				serve(b, svc, body)
				t2, c2 := time.Now(), cpuTime(b)
				dec, srv = dec+t1.Sub(t0), srv+t2.Sub(t1)
				decCPU, srvCPU = decCPU+c1-c0, srvCPU+c2-c1
			}
			b.ReportMetric(float64(srv)/float64(dec), "wall-service/decode")
			b.ReportMetric(float64(srvCPU)/float64(decCPU), "cpu-service/decode")
			b.ReportMetric(float64(decCPU.Nanoseconds())/float64(b.N), "decode-cpu-ns/op")
			b.ReportMetric(float64(srvCPU.Nanoseconds())/float64(b.N), "service-cpu-ns/op")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func serve(b *testing.B, h http.Handler, body []byte) {
	req := httptest.NewRequest(http.MethodPost, "/cds-services/"+cdshooks.ServiceID, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Errorf("status %d: %s", rec.Code, rec.Body.Bytes())
	}
}
