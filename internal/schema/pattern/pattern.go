// Package pattern compiles the regular expressions of JSON Schema `pattern`
// and `patternProperties` with ECMA-262 semantics, as JSON Schema 2020-12
// (and so OpenAPI 3.1) defines them.
//
// Go's regexp (RE2) runs in linear time but lacks lookaround and
// backreferences. A pattern RE2 accepts is run by RE2, rewritten where the
// two dialects read the same text differently (`.` and `\s`, see ecmaToRE2).
// Any other pattern runs on dlclark/regexp2 in ECMAScript mode (with the `u`
// flag JSON Schema recommends, or without it for patterns only legacy
// ECMAScript accepts). regexp2 backtracks, so each match is bounded by
// MatchTimeout: a pattern that backtracks catastrophically on an input
// gives a *TimeoutError instead of holding the request.
package pattern

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dlclark/regexp2/v2"
	syntax2 "github.com/dlclark/regexp2/v2/syntax"
)

// MatchTimeout bounds one regexp2 match. Linear patterns finish a 1 MiB
// body's strings in well under it; only catastrophic backtracking reaches it.
const MatchTimeout = 100 * time.Millisecond

// Regexp is a compiled pattern. It is safe for concurrent use.
type Regexp struct {
	src  string
	re2  *regexp.Regexp  // set when RE2 runs the pattern
	ecma *regexp2.Regexp // set otherwise
}

// Compile compiles an ECMA-262 pattern. The error for an invalid pattern is
// a *SyntaxError.
//
// Patterns are compiled once per process: a document repeats its
// patterns (an id's, in every schema that holds one), and the schema
// compiler, kin-openapi's validation and the value generator each compile
// them again. Up to maxCompiled valid patterns are kept.
// (BenchmarkLoad/realistic-3MB without it: +16% time, +31% memory.)
func Compile(src string) (*Regexp, error) {
	if re, ok := compiled.Load(src); ok {
		return re.(*Regexp), nil
	}
	re, err := compile(src)
	if err != nil {
		return nil, err // not a typed nil
	}
	if compiledCount.Add(1) <= maxCompiled {
		compiled.Store(src, re)
	}
	return re, nil
}

// maxCompiled bounds the patterns Compile keeps: a mock reloading edited
// documents for days sees new ones, and keeps its memory.
const maxCompiled = 10_000

var (
	compiled      sync.Map // source -> *Regexp
	compiledCount atomic.Int64
)

func compile(src string) (*Regexp, error) {
	re, rerr := regexp.Compile(src)
	if rerr == nil {
		if tr, ok := ecmaToRE2(src); ok && tr != src {
			if t, err := regexp.Compile(tr); err == nil {
				return &Regexp{src: src, re2: t}, nil
			}
		} else if ok {
			return &Regexp{src: src, re2: re}, nil
		}
		// \S inside a class has no RE2 spelling: let regexp2 run it, or
		// RE2 as it stands when ECMAScript rejects it.
		if e, err := compileECMA(src); err == nil {
			return &Regexp{src: src, ecma: e}, nil
		}
		return &Regexp{src: src, re2: re}, nil
	}
	e, err := compileECMA(src)
	if err != nil {
		return nil, syntaxError(src, rerr, err)
	}
	return &Regexp{src: src, ecma: e}, nil
}

func compileECMA(src string) (*regexp2.Regexp, error) {
	re, err := regexp2.Compile(src, regexp2.ECMAScript|regexp2.Unicode)
	if err != nil {
		// Annex B (legacy) syntax that browsers accept, such as \- or \_
		// outside a class.
		var err2 error
		if re, err2 = regexp2.Compile(src, regexp2.ECMAScript); err2 != nil {
			return nil, err
		}
	}
	re.MatchTimeout = MatchTimeout
	return re, nil
}

// String returns the pattern's source.
func (r *Regexp) String() string { return r.src }

// Match reports whether s contains a match. The error is a *TimeoutError
// when the match took longer than MatchTimeout.
func (r *Regexp) Match(s string) (bool, error) {
	if r.re2 != nil {
		return r.re2.MatchString(s), nil
	}
	ok, err := r.ecma.MatchString(s)
	if err != nil {
		return false, &TimeoutError{Pattern: r.src}
	}
	return ok, nil
}

// MatchString reports whether s contains a match, for jsonschema's Regexp
// interface, which has no room for an error: a match that times out panics
// with a *TimeoutError, which the validator's caller recovers with Recover.
func (r *Regexp) MatchString(s string) bool {
	if r.re2 != nil {
		return r.re2.MatchString(s)
	}
	ok, err := r.Match(s)
	if err != nil {
		panic(err)
	}
	return ok
}

// Recover turns a *TimeoutError panic of MatchString into *err. Call it
// deferred around code that validates with compiled schemas; other panics
// continue.
func Recover(err *error) {
	if r := recover(); r != nil {
		te, ok := r.(*TimeoutError)
		if !ok {
			panic(r)
		}
		*err = te
	}
}

// TimeoutError is a match that exceeded MatchTimeout. It never carries the
// input, which may be a client's body.
type TimeoutError struct{ Pattern string }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("pattern %s took longer than %v to match; the value is rejected", e.Pattern, MatchTimeout)
}

// SyntaxError is a pattern that is not a valid regular expression.
type SyntaxError struct {
	Pattern string
	Msg     string // what is wrong, without the pattern
}

func (e *SyntaxError) Error() string { return e.Msg }

// syntaxError words why neither engine accepted src: RE2's message for
// structural mistakes (it names the offending part), regexp2's when RE2
// only objected to syntax ECMAScript has and RE2 lacks.
func syntaxError(src string, rerr, eerr error) *SyntaxError {
	var se *syntax.Error
	if errors.As(rerr, &se) {
		switch se.Code {
		case syntax.ErrMissingBracket, syntax.ErrMissingParen, syntax.ErrUnexpectedParen,
			syntax.ErrMissingRepeatArgument, syntax.ErrInvalidRepeatOp, syntax.ErrInvalidRepeatSize,
			syntax.ErrInvalidCharRange, syntax.ErrTrailingBackslash, syntax.ErrNestingDepth, syntax.ErrLarge:
			msg := string(se.Code)
			if se.Expr != src && se.Expr != "" {
				msg += ": " + se.Expr
			}
			return &SyntaxError{Pattern: src, Msg: msg}
		}
	}
	var e2 *syntax2.Error
	if errors.As(eerr, &e2) {
		msg := string(e2.Code)
		if len(e2.Args) > 0 {
			msg = fmt.Sprintf(msg, e2.Args...)
		}
		return &SyntaxError{Pattern: src, Msg: msg}
	}
	return &SyntaxError{Pattern: src, Msg: strings.TrimPrefix(eerr.Error(), "error parsing regexp: ")}
}

// ECMA-262 WhiteSpace and LineTerminator code points: \s.
const ecmaSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// ecmaToRE2 rewrites an RE2-valid pattern so RE2 reads it as ECMAScript
// does: `.` excludes every line terminator (RE2: only \n), and \s, \S are
// Unicode white space (RE2: ASCII). ok is false when that cannot be
// expressed (\S inside a class) or the pattern sets RE2 flags ((?s), (?i)…),
// which ECMAScript does not have.
func ecmaToRE2(src string) (out string, ok bool) {
	if !strings.ContainsAny(src, `.\`) {
		return src, true // the common case, e.g. ^[0-9]+$
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			n := src[i+1]
			i++
			switch {
			case n == 's' && inClass:
				b.WriteString(ecmaSpace)
			case n == 's':
				b.WriteString("[" + ecmaSpace + "]")
			case n == 'S' && inClass:
				return "", false
			case n == 'S':
				b.WriteString("[^" + ecmaSpace + "]")
			case n == 'Q':
				return "", false // RE2 quoting: ECMAScript has none
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
		case inClass:
			b.WriteByte(c)
			if c == '[' && strings.HasPrefix(src[i:], "[:") {
				if end := strings.Index(src[i+2:], ":]"); end >= 0 { // [[:alpha:]]
					b.WriteString(src[i+1 : i+2+end+2])
					i += 2 + end + 1
				}
			} else if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			b.WriteByte(c)
			// RE2 reads a ] right after [ or [^ as a literal.
			if strings.HasPrefix(src[i+1:], "^") {
				b.WriteByte('^')
				i++
			}
			if strings.HasPrefix(src[i+1:], "]") {
				b.WriteByte(']')
				i++
			}
		case c == '.':
			b.WriteString(`[^\n\r\x{2028}\x{2029}]`)
		case c == '(' && strings.HasPrefix(src[i:], "(?") && !strings.HasPrefix(src[i:], "(?:") &&
			!strings.HasPrefix(src[i:], "(?P<") && !strings.HasPrefix(src[i:], "(?<"):
			return "", false // a flag group: (?i), (?s:…)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
