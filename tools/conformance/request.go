package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// kv is one name and value, for query strings and cookies (order kept).
type kv struct{ name, value string }

// request is a request the tool sends: built once, cloned for variants,
// turned into an *http.Request for the validator and for the mock.
type request struct {
	method      string
	path        string // the URL path, parameters filled in and escaped
	query       []kv
	header      http.Header
	cookies     []kv
	contentType string
	body        []byte
	hasBody     bool
}

func (r *request) clone() *request {
	c := *r
	c.query = append([]kv(nil), r.query...)
	c.cookies = append([]kv(nil), r.cookies...)
	c.header = r.header.Clone()
	if c.header == nil {
		c.header = http.Header{}
	}
	c.body = append([]byte(nil), r.body...)
	return &c
}

func (r *request) rawQuery() string {
	var b strings.Builder
	for i, q := range r.query {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(q.name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(q.value))
	}
	return b.String()
}

// target is the path and query, as a request line says them.
func (r *request) target() string {
	if q := r.rawQuery(); q != "" {
		return r.path + "?" + q
	}
	return r.path
}

// httpRequest builds a fresh *http.Request against base (scheme://host).
func (r *request) httpRequest(base string) (*http.Request, error) {
	var body io.Reader
	if r.hasBody {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, base+r.target(), body)
	if err != nil {
		return nil, err
	}
	for k, vs := range r.header {
		req.Header[k] = append([]string(nil), vs...)
	}
	for _, c := range r.cookies {
		req.AddCookie(&http.Cookie{Name: c.name, Value: c.value})
	}
	if r.hasBody && r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	return req, nil
}

// describe says the request in one line, for the report: method, target,
// headers and cookies by name, and the body (shortened).
func (r *request) describe() string {
	var b strings.Builder
	b.WriteString(r.method + " " + r.target())
	var names []string
	for k := range r.header {
		names = append(names, k+": "+shorten(r.header.Get(k), 24))
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(" [" + n + "]")
	}
	for _, c := range r.cookies {
		b.WriteString(" [cookie " + c.name + "]")
	}
	if r.hasBody {
		fmt.Fprintf(&b, " (%s) %s", r.contentType, shorten(printable(r.body), 160))
	}
	return b.String()
}

// printable keeps text and replaces a binary body by its size.
func printable(b []byte) string {
	for _, c := range b {
		if c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f {
			return fmt.Sprintf("<%d bytes>", len(b))
		}
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
