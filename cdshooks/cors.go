package cdshooks

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// corsMaxAge is how long, in seconds, a browser may keep the answer of a
// preflight request.
const corsMaxAge = "600"

// corsOrigins checks the origins of WithCORSOrigins and returns them as a
// browser sends them in the Origin header: scheme://host[:port] in lower
// case, without the default port of the scheme.
func corsOrigins(origins []string) (map[string]bool, error) {
	if len(origins) == 0 {
		return nil, nil
	}
	set := make(map[string]bool, len(origins))
	for _, o := range origins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("cdshooks: CORS origin %q is not an origin such as https://ehr.example[:port]", o)
		}
		host := strings.ToLower(u.Host)
		if (u.Scheme == "https" && u.Port() == "443") || (u.Scheme == "http" && u.Port() == "80") {
			host = strings.ToLower(u.Hostname())
			if strings.Contains(host, ":") {
				host = "[" + host + "]"
			}
		}
		set[u.Scheme+"://"+host] = true
	}
	return set, nil
}

// withCORS answers the preflight requests of the allowed origins and adds
// Access-Control-Allow-Origin to the answers to them. Without allowed
// origins it adds nothing, and OPTIONS is answered 405 as any other method
// the endpoint does not serve.
func (s *Service) withCORS(h http.Handler) http.Handler {
	if len(s.cors) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if !s.cors[strings.ToLower(origin)] {
			h.ServeHTTP(w, r)
			return
		}
		hdr := w.Header()
		hdr.Set("Access-Control-Allow-Origin", origin)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			hdr.Add("Vary", "Access-Control-Request-Method")
			hdr.Add("Vary", "Access-Control-Request-Headers")
			hdr.Set("Access-Control-Allow-Methods", "GET, HEAD, POST")
			hdr.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept-Language")
			hdr.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		hdr.Set("Access-Control-Expose-Headers", "Content-Language, Retry-After, WWW-Authenticate")
		h.ServeHTTP(w, r)
	})
}
