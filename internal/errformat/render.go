package errformat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/sample"
)

// maxRounds bounds the validate-and-repair rounds of one body. Each round
// moves at least one slot to its next alternative, and slots have at most
// three, so real schemas settle in two or three rounds.
const maxRounds = 12

// render fills, encodes and validates the body that answers err with
// status, repairing the values validation refuses. It fails when the
// body cannot be made valid; the error says why (for Build's warnings).
func (fm *format) render(err *reqerr.Error, status int) ([]byte, error) {
	fl := &filler{fm: fm, err: err, status: status, slots: map[string]*slot{}}
	body, ok := fl.value("", fm.schema, clone(fm.example(status, err.Code)), subject{}, fm.branch)
	if fl.failed != nil {
		return nil, fl.failed
	}
	if !ok {
		return nil, errors.New("the schema is not an object, an array or a string")
	}
	if fm.text != notText {
		return fm.renderText(body)
	}
	for range maxRounds {
		enc, decoded, e := encode(body)
		if e != nil {
			return nil, e
		}
		probs := fm.check(decoded)
		if len(probs) == 0 {
			return enc, nil
		}
		var repaired bool
		if body, repaired = fl.repair(body, probs); !repaired {
			return nil, fmt.Errorf("%s", probs[0])
		}
		if fl.failed != nil {
			return nil, fl.failed
		}
	}
	return nil, errors.New("no valid body after repairs")
}

// renderText answers in a text media type: the filled string as it is
// (HTML-escaped for text/html), valid against the documented schema as
// sent.
func (fm *format) renderText(body any) ([]byte, error) {
	text, ok := body.(string)
	if !ok {
		return nil, errors.New("a text response answers a string")
	}
	if fm.text == htmlText {
		text = html.EscapeString(text)
	}
	if probs := fm.check(text); len(probs) > 0 {
		return nil, fmt.Errorf("%s", probs[0])
	}
	return []byte(text), nil
}

// check validates a decoded body with the caller's validator.
func (fm *format) check(body any) []reqerr.Problem {
	if fm.validate == nil {
		return nil
	}
	return fm.validate(fm.mediaType, body)
}

// encode writes the body as JSON (without HTML escaping: messages say
// "<=") and decodes it back as the validator expects it, numbers as
// json.Number.
func encode(body any) ([]byte, any, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return nil, nil, fmt.Errorf("cannot encode the body: %w", err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, nil, fmt.Errorf("cannot decode the body: %w", err)
	}
	return b, v, nil
}

// repair moves each slot that a problem points into to its next
// alternative. It reports false when a problem lies where the filler put
// nothing it can change (the body as a whole, a value it cannot replace).
func (fl *filler) repair(body any, probs []reqerr.Problem) (any, bool) {
	moved := map[string]bool{}
	for _, p := range probs {
		s := fl.slotFor(p.Pointer)
		if s == nil {
			// A validator that reports an unknown property at its parent:
			// drop the members that Build added there.
			if moved["under:"+p.Pointer] {
				continue
			}
			extras := fl.extrasUnder(p.Pointer)
			if len(extras) == 0 {
				return body, false
			}
			for _, x := range extras {
				body = fl.apply(body, x, alt{drop: true})
			}
			moved["under:"+p.Pointer] = true
			continue
		}
		if moved[s.ptr] {
			continue
		}
		if len(s.alts) == 0 {
			return body, false
		}
		a := s.alts[0]
		s.alts = s.alts[1:]
		body = fl.apply(body, s, a)
		moved[s.ptr] = true
	}
	return body, len(moved) > 0
}

// slotFor finds the deepest slot at or above ptr.
func (fl *filler) slotFor(ptr string) *slot {
	var best *slot
	for _, s := range fl.slots {
		if (ptr == s.ptr || strings.HasPrefix(ptr, s.ptr+"/")) && (best == nil || len(s.ptr) > len(best.ptr)) {
			best = s
		}
	}
	return best
}

// extrasUnder lists the added members directly under ptr, in order.
func (fl *filler) extrasUnder(ptr string) []*slot {
	var out []*slot
	for _, k := range slices.Sorted(maps.Keys(fl.slots)) {
		s := fl.slots[k]
		rest, ok := strings.CutPrefix(s.ptr, ptr+"/")
		if ok && s.extra && !strings.Contains(rest, "/") {
			out = append(out, s)
		}
	}
	return out
}

// apply puts alternative a at slot s. What was filled below s goes with
// the value it replaces.
func (fl *filler) apply(body any, s *slot, a alt) any {
	for k := range fl.slots {
		if strings.HasPrefix(k, s.ptr+"/") {
			delete(fl.slots, k)
		}
	}
	if a.drop {
		delete(fl.slots, s.ptr)
		return setAt(body, s.ptr, nil, true)
	}
	v := clone(a.value)
	if a.gen != nil {
		g, err := sample.Value(a.gen)
		if err != nil {
			fl.failf("cannot generate %s: %v", s.ptr, err)
			return body
		}
		v = g
	}
	return setAt(body, s.ptr, v, false)
}

// setAt sets (or, with drop, deletes) the value at a JSON pointer in body.
func setAt(body any, ptr string, v any, drop bool) any {
	if ptr == "" {
		return v
	}
	toks := jsonptr.Split(ptr)
	cur := body
	for i, t := range toks {
		last := i == len(toks)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if drop {
					delete(c, t)
				} else {
					c[t] = v
				}
				return body
			}
			cur = c[t]
		case []any:
			n, err := strconv.Atoi(t)
			if err != nil || n < 0 || n >= len(c) {
				return body
			}
			if last {
				if !drop {
					c[n] = v
				}
				return body
			}
			cur = c[n]
		default:
			return body
		}
	}
	return body
}
