package upstream

import (
	"net/http"
	"net/textproto"
	"strings"
)

// hopByHop are the headers of one connection, not of the message
// (RFC 9110 §7.6.1), which a proxy does not pass on; Proxy-Authorization
// is a credential for a proxy, and no proxy stands between the mock and
// the upstream.
var hopByHop = []string{
	"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// removeHopByHop deletes the hop-by-hop headers of h, and those its
// Connection header names.
func removeHopByHop(h http.Header) {
	for _, v := range h.Values("Connection") {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, name := range hopByHop {
		h.Del(name)
	}
}

// forwardHeader is the header sent to the upstream: the request's, without
// hop-by-hop headers, the mock's own (X-Mock-*), and the headers the
// outgoing request sets itself: Host (the upstream's), Content-Length (of
// the body as read), Expect (the body is already read), Accept-Encoding
// (the transport asks for gzip and decompresses, so the mock can check
// the body; a client's own encoding would reach it compressed).
func forwardHeader(in http.Header) http.Header {
	out := make(http.Header, len(in))
	for name, values := range in {
		name = textproto.CanonicalMIMEHeaderKey(name)
		if strings.HasPrefix(name, "X-Mock-") {
			continue
		}
		switch name {
		case "Host", "Content-Length", "Expect", "Accept-Encoding":
			continue
		}
		out[name] = append([]string(nil), values...)
	}
	removeHopByHop(out)
	return out
}
