package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// verdict is what one answer of the mock was worth.
type verdict int

const (
	vNone         verdict = iota // not sent (skipped, or the variant does not apply)
	vOK                          // valid request: a 2xx valid for the document; variant: a 4xx valid for the documented response
	vUndocumented                // variant: a 4xx whose status the operation does not document (nor 4XX, nor default)
	vBadFormat                   // variant: a 4xx that does not validate against the documented response
	vAccepted                    // variant: a 2xx
	vNot2xx                      // valid request: neither 2xx nor 5xx
	vBadAnswer                   // valid request: a 2xx that does not validate against the document
	vServerError                 // a 5xx
	vOther                       // variant: neither 2xx, 4xx nor 5xx
	vNoAnswer                    // the request failed: no answer at all
)

// result is one request sent and what came back.
type result struct {
	verdict     verdict
	status      int
	fixture     string // X-Mock-Fixture
	contentType string
	request     string // the request, in one line
	answer      string // the answer's body, shortened
	detail      string // the validator's words, or the transport error
}

type checker struct {
	doc    *document
	base   string
	client *http.Client
}

func newChecker(d *document, base string) *checker {
	return &checker{doc: d, base: base, client: &http.Client{
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// send sends r to the mock; the answer's body is read whole.
func (c *checker) send(r *request) (*http.Response, []byte, error) {
	hr, err := r.httpRequest(c.base)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.client.Do(hr)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// validateAnswer runs libopenapi-validator's response validation on the
// answer, for the request as the document sees it; "" when valid.
func (c *checker) validateAnswer(o *operation, r *request, resp *http.Response, body []byte) string {
	hr, err := r.httpRequest("http://127.0.0.1")
	if err != nil {
		return err.Error()
	}
	copyResp := *resp
	copyResp.Body = io.NopCloser(bytes.NewReader(body))
	copyResp.Request = hr
	ok, errs := c.doc.answers.GetResponseBodyValidator().ValidateResponseBodyWithPathItem(hr, &copyResp, o.pathItem, o.urlPath())
	if ok {
		return ""
	}
	return describeErrors(errs)
}

func (c *checker) exchange(r *request) (result, *http.Response, []byte) {
	res := result{request: r.describe()}
	resp, body, err := c.send(r)
	if err != nil {
		res.verdict = vNoAnswer
		res.detail = err.Error()
		return res, nil, nil
	}
	res.status = resp.StatusCode
	res.fixture = resp.Header.Get("X-Mock-Fixture")
	res.contentType = resp.Header.Get("Content-Type")
	res.answer = shorten(printable(body), 200)
	return res, resp, body
}

// checkValid sends the valid request: it must get a 2xx the validator
// finds valid for the operation's documented response.
func (c *checker) checkValid(o *operation, r *request) result {
	res, resp, body := c.exchange(r)
	if resp == nil {
		return res
	}
	switch {
	case res.status >= 500:
		res.verdict = vServerError
	case res.status < 200 || res.status > 299:
		res.verdict = vNot2xx
	default:
		if p := c.validateAnswer(o, r, resp, body); p != "" {
			res.verdict = vBadAnswer
			res.detail = p
		} else {
			res.verdict = vOK
		}
	}
	return res
}

// checkRejected sends an invalid variant: it must get a 4xx, in the
// documented format when the operation documents that status.
func (c *checker) checkRejected(o *operation, r *request) result {
	res, resp, body := c.exchange(r)
	if resp == nil {
		return res
	}
	switch {
	case res.status >= 500:
		res.verdict = vServerError
	case res.status >= 200 && res.status <= 299:
		res.verdict = vAccepted
	case res.status >= 400 && res.status <= 499:
		if documentedFor(o, res.status) == "" {
			res.verdict = vUndocumented
		} else if p := c.validateAnswer(o, r, resp, body); p != "" {
			res.verdict = vBadFormat
			res.detail = p
		} else {
			res.verdict = vOK
		}
	default:
		res.verdict = vOther
	}
	return res
}

// documentedFor names the response the operation documents for status:
// the status itself, else its range (4XX), else default; "" if none.
func documentedFor(o *operation, status int) string {
	rs := o.op.Responses
	if rs == nil {
		return ""
	}
	code := strconv.Itoa(status)
	if rs.Codes != nil {
		if rs.Codes.GetOrZero(code) != nil {
			return code
		}
		rng := fmt.Sprintf("%dXX", status/100)
		for p := rs.Codes.First(); p != nil; p = p.Next() {
			if strings.EqualFold(p.Key(), rng) {
				return rng
			}
		}
	}
	if rs.Default != nil {
		return "default"
	}
	return ""
}
