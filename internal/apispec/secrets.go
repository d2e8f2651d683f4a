package apispec

import "net/textproto"

// Secrets names where the documents expect credentials, so that the mock
// can redact them wherever it records or logs a request.
type Secrets struct {
	headers map[string]bool // canonical header names
	query   map[string]bool
}

// alwaysSecret are credential headers whatever the documents say.
var alwaysSecret = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// Header reports whether the header name (any case) carries a credential.
func (s *Secrets) Header(name string) bool {
	return s.headers[textproto.CanonicalMIMEHeaderKey(name)]
}

// AnswerHeader reports whether a header of an answer (the mock's or the
// real API's) carries a credential: Set-Cookie, a session, or a header the
// documents name.
func (s *Secrets) AnswerHeader(name string) bool {
	switch n := textproto.CanonicalMIMEHeaderKey(name); n {
	case "Set-Cookie", "Set-Cookie2":
		return true
	default:
		return s != nil && s.headers[n]
	}
}

// Query reports whether the query parameter carries a credential.
func (s *Secrets) Query(name string) bool { return s.query[name] }

// Secrets returns where the documents' security schemes put credentials.
func (s *Spec) Secrets() *Secrets { return s.secrets }

func (s *Spec) collectSecrets() {
	sec := &Secrets{headers: map[string]bool{}, query: map[string]bool{}}
	for _, h := range alwaysSecret {
		sec.headers[h] = true
	}
	for _, op := range s.ops {
		for _, alt := range op.security {
			for _, c := range alt {
				switch c.In {
				case "header":
					sec.headers[textproto.CanonicalMIMEHeaderKey(c.Name)] = true
				case "query":
					sec.query[c.Name] = true
				}
			}
		}
	}
	s.secrets = sec
}
