// Package upstream forwards requests the mock has validated to the real
// API (--upstream), and checks what it answers against the document: the
// ways an answer breaks the document are its drift.
//
// The destination is fixed when the Client is made: a request contributes
// its method, path, query, headers and body, never a host. Nothing the
// client sends (Host, an absolute-form request target, a redirect) can
// send a request, or the credentials it carries, anywhere else. Every
// failure is a *reqerr.Error (502 upstream_unavailable, 504
// upstream_timeout) naming the upstream's host, within the timeout.
package upstream

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/arklow/arklow-mock/internal/reqerr"
)

// DefaultTimeout bounds one exchange with the upstream, the answer's body
// included (DESIGN §1, --upstream-timeout).
const DefaultTimeout = 30 * time.Second

// DefaultMaxBody is the largest answer body read from the upstream. An
// answer is held whole (its drift is checked before it is sent on), so it
// needs a bound; the request limit (1 MiB) is too small for what real APIs
// answer (a page of a list), and a recorded answer must still load as a
// fixture, whose files are capped at 8 MiB: 4 MiB of JSON leaves room for
// YAML's indentation.
const DefaultMaxBody = 4 << 20

// maxHeaderBytes bounds the upstream's header block.
const maxHeaderBytes = 1 << 20

// Options configure a Client. Zero values are usable defaults.
type Options struct {
	// Timeout bounds one exchange, from the dial to the answer's last byte.
	Timeout time.Duration
	// MaxBody is the largest answer body accepted; default DefaultMaxBody.
	MaxBody int64
	// Now is the clock; default time.Now.
	Now func() time.Time
	// DialContext replaces the dialer (tests: a DNS failure with no DNS).
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLS is the TLS configuration; default the system's roots.
	TLS *tls.Config
}

// Client forwards requests to one upstream. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	client  *http.Client
	timeout time.Duration
	maxBody int64
	now     func() time.Time
}

// ParseURL reads an upstream URL: http or https, a host, an optional base
// path; no credentials (they would show in logs and `ps`: send them as the
// client's headers, which are forwarded), no query or fragment.
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%q is not a URL: %v", raw, errors.Unwrap(err))
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q: want an http:// or https:// URL, like https://api.arklow.io", raw)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("%q has no host", raw)
	case u.User != nil:
		return nil, fmt.Errorf("%q holds credentials: leave them out of the URL (the client's own credential headers are forwarded)", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("%q: want no query or fragment, only scheme, host and a base path", raw)
	}
	return u, nil
}

// New returns a client of the upstream at base (see ParseURL).
func New(base string, opts Options) (*Client, error) {
	u, err := ParseURL(base)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	dial := opts.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: opts.Timeout, KeepAlive: 30 * time.Second}).DialContext
	}
	var tlsConf *tls.Config
	if opts.TLS != nil {
		tlsConf = opts.TLS.Clone()
	}
	tr := &http.Transport{
		Proxy:                  nil, // the upstream is reached directly, whatever HTTP_PROXY says
		DialContext:            dial,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    min(10*time.Second, opts.Timeout),
		MaxResponseHeaderBytes: maxHeaderBytes,
		MaxIdleConnsPerHost:    16,
		IdleConnTimeout:        90 * time.Second,
		ForceAttemptHTTP2:      true,
	}
	return &Client{
		base: u,
		client: &http.Client{
			Transport: tr,
			// A redirect goes back to the client as it came: following it
			// would send the request, and its credentials, to wherever the
			// Location says.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		timeout: opts.Timeout,
		maxBody: opts.MaxBody,
		now:     opts.Now,
	}, nil
}

// Host is the upstream's host[:port], as errors and logs name it.
func (c *Client) Host() string { return c.base.Host }

// URL is the upstream's base URL.
func (c *Client) URL() string { return c.base.String() }

// Close releases idle connections.
func (c *Client) Close() { c.client.CloseIdleConnections() }

// Request is what is forwarded of a request the mock received.
type Request struct {
	Method string
	// Path is the request's path as received, escaped (url.URL.EscapedPath):
	// it is appended to the upstream's base path.
	Path     string
	RawQuery string
	// Header is the request's header; hop-by-hop headers and the mock's
	// own (X-Mock-*) are not forwarded.
	Header http.Header
	Body   []byte
}

// Answer is the upstream's answer, read whole.
type Answer struct {
	Status int
	// Header is the answer's header, without hop-by-hop headers; a body
	// the transport decompressed has lost its Content-Encoding.
	Header   http.Header
	Body     []byte
	Duration time.Duration
}

// Forward sends req to the upstream and reads its answer, within the
// timeout. A failure is 502 upstream_unavailable or 504 upstream_timeout.
func (c *Client) Forward(ctx context.Context, req Request) (*Answer, *reqerr.Error) {
	start := c.now()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	out, err := c.outgoing(ctx, req)
	if err != nil {
		return nil, reqerr.New(reqerr.UpstreamUnavailable, "", "the request cannot be forwarded to upstream %s: %v", c.Host(), err)
	}
	resp, err := c.client.Do(out)
	if err != nil {
		return nil, c.failure(ctx, err, "")
	}
	defer resp.Body.Close()
	if resp.ContentLength > c.maxBody {
		return nil, c.tooLarge(resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, c.failure(ctx, err, "while its answer was read")
	}
	if int64(len(body)) > c.maxBody {
		return nil, c.tooLarge(-1)
	}
	h := resp.Header.Clone()
	removeHopByHop(h)
	return &Answer{Status: resp.StatusCode, Header: h, Body: body, Duration: c.now().Sub(start)}, nil
}

// outgoing builds the request to the upstream: its scheme and host are
// the configured ones, whatever req holds.
func (c *Client) outgoing(ctx context.Context, req Request) (*http.Request, error) {
	path := req.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u := &url.URL{Scheme: c.base.Scheme, Host: c.base.Host, RawQuery: req.RawQuery}
	decoded, err := url.PathUnescape(path)
	if err != nil {
		return nil, fmt.Errorf("path %q: %v", path, err)
	}
	u.Path = strings.TrimSuffix(c.base.Path, "/") + decoded
	u.RawPath = strings.TrimSuffix(c.base.EscapedPath(), "/") + path
	var body io.Reader = http.NoBody
	if len(req.Body) > 0 {
		body = bytes.NewReader(req.Body)
	}
	out, err := http.NewRequestWithContext(ctx, req.Method, c.base.String(), body)
	if err != nil {
		return nil, err
	}
	out.URL, out.Host = u, c.base.Host
	out.Header = forwardHeader(req.Header)
	return out, nil
}

func (c *Client) tooLarge(n int64) *reqerr.Error {
	size := "more"
	if n >= 0 {
		size = fmt.Sprintf("%d bytes, more", n)
	}
	limit := fmt.Sprintf("%d bytes", c.maxBody)
	if c.maxBody >= 1<<20 && c.maxBody%(1<<20) == 0 {
		limit += fmt.Sprintf(" (%d MiB)", c.maxBody>>20)
	}
	return reqerr.New(reqerr.UpstreamUnavailable, "", "upstream %s answered a body of %s than the %s the mock accepts from it", c.Host(), size, limit)
}

// failure explains why no answer came, without the URL (its query may hold
// a credential) or the socket addresses: upstream HOST and what happened.
func (c *Client) failure(ctx context.Context, err error, when string) *reqerr.Error {
	host := c.Host()
	if when != "" {
		when = " " + when
	}
	var (
		ne       net.Error
		dnsErr   *net.DNSError
		certErr  *tls.CertificateVerificationError
		recErr   tls.RecordHeaderError
		alertErr tls.AlertError
		authErr  x509.UnknownAuthorityError
		nameErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return reqerr.New(reqerr.UpstreamTimeout, "", "upstream %s did not answer within %s (--upstream-timeout)%s", host, c.timeout, when)
	case errors.Is(err, context.Canceled):
		return reqerr.New(reqerr.UpstreamUnavailable, "", "the client went away before upstream %s answered", host)
	case errors.As(err, &dnsErr):
		why := dnsErr.Err
		if dnsErr.IsNotFound {
			why = "no such host"
		}
		return reqerr.New(reqerr.UpstreamUnavailable, "", "upstream host %s cannot be resolved: %s", c.base.Hostname(), why)
	case errors.Is(err, syscall.ECONNREFUSED):
		return reqerr.New(reqerr.UpstreamUnavailable, "", "upstream %s refused the connection: is the API running there?", host)
	case errors.As(err, &certErr), errors.As(err, &authErr), errors.As(err, &nameErr), errors.As(err, &invalid):
		return reqerr.New(reqerr.UpstreamUnavailable, "", "the TLS handshake with upstream %s failed: its certificate is not trusted (%v)", host, certReason(err))
	case errors.As(err, &recErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return reqerr.New(reqerr.UpstreamUnavailable, "", "the TLS handshake with upstream %s failed: it does not speak TLS (is it http://, not https://?)", host)
	case errors.As(err, &alertErr):
		return reqerr.New(reqerr.UpstreamUnavailable, "", "the TLS handshake with upstream %s failed: %v", host, alertErr)
	case strings.Contains(err.Error(), "malformed HTTP"):
		return reqerr.New(reqerr.UpstreamUnavailable, "", "upstream %s answered something that is not HTTP", host)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return reqerr.New(reqerr.UpstreamUnavailable, "", "upstream %s closed the connection without a complete answer%s", host, when)
	}
	return reqerr.New(reqerr.UpstreamUnavailable, "", "upstream %s gave no usable answer%s: %v", host, when, innermost(err))
}

// certReason is the certificate error without the URL around it.
func certReason(err error) error {
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return certErr.Err
	}
	return innermost(err)
}

// innermost strips *url.Error (which names the URL, query included) and
// *net.OpError (which names the socket addresses) from err.
func innermost(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	return err
}
