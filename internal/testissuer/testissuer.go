// Package testissuer is a CDS client's token issuer for tests: it makes
// signing keys, serves their JWK Set from an httptest server and signs the
// JWTs with which a CDS client authenticates (CDS Hooks "Trusting CDS
// Clients"). It is for tests of cdshooks.ClientAuth and `collabmeet serve`.
package testissuer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// KID is the kid of the issuer's key.
const KID = "test-key-1"

// Issuer is a trusted CDS client: ID is its iss, URL the URL of its JWK
// Set, served while the test runs.
type Issuer struct {
	ID  string
	URL string
	key *ecdsa.PrivateKey
	// Fetches counts the GETs of the JWK Set.
	Fetches atomic.Int64
}

// New makes an issuer with iss id and an ES384 key, and serves its JWK Set
// until the test ends.
func New(t testing.TB, id string) *Issuer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	iss := &Issuer{ID: id, key: key}
	set := JWKS(t, KID, key.Public())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		iss.Fetches.Add(1)
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(set)
	}))
	t.Cleanup(srv.Close)
	iss.URL = srv.URL + "/jwks.json"
	return iss
}

// JWKS is the JWK Set of one public key with kid.
func JWKS(t testing.TB, kid string, pub crypto.PublicKey) []byte {
	t.Helper()
	jwk, err := jwkset.NewJWKFromKey(pub, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
		KID: kid, ALG: jwkset.AlgES384, USE: jwkset.UseSig}})
	require.NoError(t, err)
	data, err := json.Marshal(jwkset.JWKSMarshal{Keys: []jwkset.JWKMarshal{jwk.Marshal()}})
	require.NoError(t, err)
	return data
}

// Claims are the payload of a client's JWT; Token fills what is zero.
type Claims struct {
	Issuer   string
	Audience string
	IssuedAt time.Time
	Lifetime time.Duration // exp − iat; 0: one minute
	ID       string        // jti; "": a new UUID
	NoExp    bool          // leave exp out
	NoJTI    bool          // leave jti out
}

// Token signs c with the issuer's key (kid KID, typ JWT) and header, which
// may add or replace header fields (jku, kid).
func (iss *Issuer) Token(t testing.TB, c Claims, header map[string]any) string {
	t.Helper()
	return Sign(t, iss.key, iss.fill(c), header)
}

func (iss *Issuer) fill(c Claims) jwt.MapClaims {
	if c.Issuer == "" {
		c.Issuer = iss.ID
	}
	if c.IssuedAt.IsZero() {
		c.IssuedAt = time.Now()
	}
	if c.Lifetime == 0 {
		c.Lifetime = time.Minute
	}
	if c.ID == "" {
		c.ID = uuid.NewString()
	}
	m := jwt.MapClaims{"iss": c.Issuer, "aud": c.Audience, "iat": c.IssuedAt.Unix()}
	if !c.NoExp {
		m["exp"] = c.IssuedAt.Add(c.Lifetime).Unix()
	}
	if !c.NoJTI {
		m["jti"] = c.ID
	}
	return m
}

// Sign signs claims with key (ES384, kid KID, typ JWT), header added.
func Sign(t testing.TB, key *ecdsa.PrivateKey, claims jwt.MapClaims, header map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodES384, claims)
	tok.Header["kid"] = KID
	for k, v := range header {
		if v == nil {
			delete(tok.Header, k)
		} else {
			tok.Header[k] = v
		}
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

// Forged is a token like iss.Token's, signed with another key of the same
// kid.
func (iss *Issuer) Forged(t testing.TB, c Claims) string {
	t.Helper()
	other, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	return Sign(t, other, iss.fill(c), nil)
}
