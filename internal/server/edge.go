package server

import (
	"net/http"
	"strings"

	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/rs/cors"
)

// exposedHeaders are readable by browser code on every answer.
var exposedHeaders = []string{"X-Mock-Scenario", "X-Mock-Fixture", "X-Mock-Session", "X-Mock-Drift", "Retry-After", "Allow"}

// corsPolicy answers preflights (204, no auth, no validation) and reflects
// the Origin and the requested headers of allowed origins, so a browser
// app sending x-arklow-auth and X-Mock-Scenario works without
// configuration.
type corsPolicy struct{ c *cors.Cors }

// newCORSPolicy allows the origins allow accepts.
func newCORSPolicy(allow func(origin string) bool) corsPolicy {
	return corsPolicy{cors.New(cors.Options{
		AllowOriginFunc:  allow,
		AllowedMethods:   []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"},
		AllowedHeaders:   []string{"*"},
		ExposedHeaders:   exposedHeaders,
		AllowCredentials: true,
		MaxAge:           600,
	})}
}

// mockCORS is the policy of the mocked API: any origin (its answers are
// fixtures, and frontends run on many dev hosts), unless listed narrows it.
func mockCORS(listed []string) corsPolicy {
	if len(listed) == 0 {
		return newCORSPolicy(func(string) bool { return true })
	}
	return newCORSPolicy(func(o string) bool { return originListed(o, listed) })
}

// adminCORS is the policy of the admin API and panel: local origins and
// listed ones, never any other page (the journal holds what the app sent).
func adminCORS(listed []string) corsPolicy {
	return newCORSPolicy(func(o string) bool { return isLocalOrigin(o) || originListed(o, listed) })
}

// originListed reports whether origin is in list, where an entry may hold
// one "*" (http://*.example.test), as --cors-origins documents.
func originListed(origin string, list []string) bool {
	origin = strings.ToLower(origin)
	for _, l := range list {
		l = strings.ToLower(l)
		if pre, suf, wild := strings.Cut(l, "*"); wild {
			if len(origin) >= len(pre)+len(suf) && strings.HasPrefix(origin, pre) && strings.HasSuffix(origin, suf) {
				return true
			}
		} else if origin == l {
			return true
		}
	}
	return false
}

// handle sets the CORS headers of r's answer, and answers r when it is a
// preflight (then it reports true: nothing else is to be done).
func (p corsPolicy) handle(w http.ResponseWriter, r *http.Request) (answered bool) {
	p.c.HandlerFunc(w, r)
	return r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
}

// limit refuses header blocks over maxHeader bytes (431) and bodies
// declared over maxBody (413); a body of undeclared length (chunked) is
// capped at maxBody, so reading past it fails with *http.MaxBytesError,
// which the read step answers with 413.
func limit(w http.ResponseWriter, r *http.Request, maxBody int64, maxHeader int) *reqerr.Error {
	if size := headerSize(r); size > maxHeader {
		return reqerr.New(reqerr.HeadersTooLarge, "header", "the request's headers take %d bytes; the limit is %d (%d KiB)", size, maxHeader, maxHeader>>10)
	}
	if r.ContentLength > maxBody {
		return tooLarge(maxBody)
	}
	if r.ContentLength < 0 { // chunked: no declared length to trust
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	} // a declared length (≤ maxBody, checked above) is where net/http stops reading
	return nil
}

// headerSize is the size of r's header block as sent: the request line
// and each "Name: value\r\n".
func headerSize(r *http.Request) int {
	size := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len("Host: \r\n") + len(r.Host)
	for k, vs := range r.Header {
		for _, v := range vs {
			size += len(k) + len(v) + 4
		}
	}
	return size
}

func tooLarge(n int64) *reqerr.Error {
	return reqerr.New(reqerr.PayloadTooLarge, "body", "request bodies are limited to %d bytes (%d MiB)", n, n>>20)
}
