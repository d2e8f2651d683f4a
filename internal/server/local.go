package server

import (
	"net"
	"net/url"
	"strings"
)

// The mock runs on a developer's machine, where any web page open in the
// browser can send it requests. Two checks keep other pages out, as
// webpack-dev-server and Vite do since CVE-2018-14732 and CVE-2025-24010:
// the Host a request names must be local (or listed), which defeats DNS
// rebinding; and the admin API answers CORS only for local origins (or
// listed ones), so no other page can read the journal or change state.

// hostPolicy says which Host names the mock answers: IP addresses,
// localhost and *.localhost always; listed names; any with "*".
type hostPolicy struct {
	any   bool
	names []string // lower case; ".example.test" also allows its subdomains
}

func newHostPolicy(allowed []string) hostPolicy {
	var p hostPolicy
	for _, n := range allowed {
		n = strings.ToLower(strings.TrimSpace(n))
		switch {
		case n == "*":
			p.any = true
		case n != "":
			p.names = append(p.names, n)
		}
	}
	return p
}

// allows reports whether a request naming host (host or host:port) is
// served. A request without a Host (HTTP/1.0) names no one else's site.
func (p hostPolicy) allows(host string) bool {
	if p.any || host == "" {
		return true
	}
	name := hostname(host)
	if isLocalName(name) {
		return true
	}
	for _, n := range p.names {
		if name == n || strings.HasPrefix(n, ".") && (name == n[1:] || strings.HasSuffix(name, n)) {
			return true
		}
	}
	return false
}

// hostname is host without its port and brackets, in lower case.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
}

// isLocalName reports whether a host name can only mean this machine (or
// is an address, which DNS rebinding cannot use): an IP address,
// localhost, or a *.localhost name (RFC 6761).
func isLocalName(name string) bool {
	name = strings.TrimSuffix(name, ".")
	return name == "localhost" || strings.HasSuffix(name, ".localhost") || net.ParseIP(name) != nil
}

// isLocalOrigin reports whether a browser origin is a page served from
// this machine: http(s) on localhost, *.localhost or a loopback address.
func isLocalOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	name := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip := net.ParseIP(name); ip != nil {
		return ip.IsLoopback()
	}
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}
