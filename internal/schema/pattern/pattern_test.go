package pattern

import (
	"errors"
	"strings"
	"testing"

	"github.com/dlclark/regexp2/v2"
)

func TestCompileChoosesTheEngine(t *testing.T) {
	cases := []struct {
		src  string
		re2  bool
		in   string
		want bool
	}{
		{`^[0-9]+$`, true, "123", true},
		{`^(?!foo)[a-z]+$`, false, "foobar", false},
		{`^(?!foo)[a-z]+$`, false, "bar", true},
		{`^[a-z]+(?<!x)$`, false, "abx", false},
		{`^(ab)\1$`, false, "abab", true},
		{`^\u0041$`, false, "A", true},
		{`^(?!-)\@\-$`, false, "@-", true}, // Annex B: only legacy ECMAScript accepts \@
		{`^\-\_$`, true, "-_", true},       // identity escapes mean the same in both
		// RE2-only syntax keeps its RE2 meaning, as before.
		{`(?i)^abc$`, true, "ABC", true},
		{`^\pL+$`, true, "é", true},
	}
	for _, tc := range cases {
		re, err := Compile(tc.src)
		if err != nil {
			t.Errorf("Compile(%q): %v", tc.src, err)
			continue
		}
		if (re.re2 != nil) != tc.re2 {
			t.Errorf("Compile(%q): RE2 = %v, want %v", tc.src, re.re2 != nil, tc.re2)
		}
		if got := re.MatchString(tc.in); got != tc.want {
			t.Errorf("%q.MatchString(%q) = %v, want %v", tc.src, tc.in, got, tc.want)
		}
	}
}

// The RE2 fast path must agree with ECMAScript where RE2 reads the same
// text differently: `.` and \s, \S.
func TestRE2PathAgreesWithECMAScript(t *testing.T) {
	inputs := []string{"a", "\n", "\r", "\u2028", "\u00a0", "\ufeff", " ", "\t", "\v", "é", "😀", "a b", "a\rb"}
	for _, src := range []string{`^.$`, `^a.b$`, `^\s$`, `^\S$`, `^[\s]$`, `^[a\s]+$`, `^[^\s]$`, `^[.]$`, `^a\sb$`, `^\.$`, `^[\S]$`} {
		re, err := Compile(src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", src, err)
		}
		ref := regexp2.MustCompile(src, regexp2.ECMAScript|regexp2.Unicode)
		for _, in := range inputs {
			want, _ := ref.MatchString(in)
			if got := re.MatchString(in); got != want {
				t.Errorf("%q on %q = %v, ECMAScript says %v", src, in, got, want)
			}
		}
	}
}

func TestInvalidPatterns(t *testing.T) {
	for src, want := range map[string]string{
		`[0-9`:       "missing closing ]",
		`(x`:         "missing closing )",
		`a**`:        "invalid nested repetition operator: **",
		`(?<!x)[a-z`: "unterminated [] set",
		`(?<_)`:      "invalid capture group name",
	} {
		_, err := Compile(src)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, want) {
			t.Errorf("Compile(%q) = %v, want a SyntaxError containing %q", src, err, want)
		}
	}
}

func TestTimeout(t *testing.T) {
	re, err := Compile(`^(?!z)(a+)+$`)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", 5000) + "!"
	if _, err := re.Match(long); !errors.As(err, new(*TimeoutError)) {
		t.Fatalf("Match = %v, want a TimeoutError", err)
	}
	var got error
	func() {
		defer Recover(&got)
		re.MatchString(long)
	}()
	var te *TimeoutError
	if !errors.As(got, &te) || strings.Contains(te.Error(), "aaa") || !strings.Contains(te.Error(), re.String()) {
		t.Fatalf("recovered %v, want a TimeoutError naming the pattern, not the input", got)
	}
}

// A pattern is compiled once: the same Regexp comes back, from any goroutine.
func TestCompileOnce(t *testing.T) {
	a, err := Compile(`^[a-z]{2,8}_[A-Za-z0-9]{14}$`)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *Regexp)
	go func() {
		b, _ := Compile(`^[a-z]{2,8}_[A-Za-z0-9]{14}$`)
		done <- b
	}()
	if b := <-done; b != a {
		t.Errorf("compiled twice")
	}
	if _, err := Compile(`([`); err == nil {
		t.Errorf("an invalid pattern compiled")
	}
}
