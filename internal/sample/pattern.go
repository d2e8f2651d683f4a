package sample

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"

	ecma "github.com/arklow/arklow-mock/internal/schema/pattern"
)

const (
	// maxPatternRunes stops quantifier growth in nested repetitions.
	maxPatternRunes = 4096
	// maxAlternatives is how many characters of a class are kept for variants.
	maxAlternatives = 10
	// maxRandomAlternatives is how many characters of a class a drawn
	// character is chosen from.
	maxRandomAlternatives = 62
	// extraGrowth is how far quantifiers may grow beyond minLength when
	// looking for a string that fits.
	extraGrowth = 8
)

const errTooLong = constError("generated string too long")

// patternString generates a string matching re (compiled from pattern)
// within the length limits. It walks the parsed pattern taking the first
// alternative and the first usable character of each class, with every
// quantifier at its minimum plus extra. Extra grows until a candidate fits
// (candidates also pad or cut the string); each candidate is checked with
// re, so the result always matches.
func patternString(pattern string, re *ecma.Regexp, l lengthLimits, variant int) (string, error) {
	tree, err := syntax.Parse(re2Shape(pattern), syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("pattern %q: %w", pattern, err)
	}
	prev := ""
	outOfVariants := false
	for extra := 0; extra <= l.min+extraGrowth; extra++ {
		b := &patternBuilder{extra: extra}
		if err := b.walk(tree); errors.Is(err, errTooLong) {
			break
		} else if err != nil {
			return "", fmt.Errorf("pattern %q: %w", pattern, err)
		}
		base := string(b.out)
		if extra > 0 && base == prev {
			break // every quantifier is at its maximum: nothing new to try
		}
		prev = base
		s, ok := b.withVariant(variant)
		if !ok {
			outOfVariants = true
			continue
		}
		for _, c := range candidates(s, l) {
			if l.fit(c) && matches(re, c) {
				return c, nil
			}
		}
		if l.max >= 0 && utf8.RuneCountInString(base) > l.max {
			break // longer strings will not fit either
		}
	}
	if outOfVariants {
		return "", errNoVariant
	}
	return "", fmt.Errorf("no string matching pattern %q has a length in %s", pattern, l)
}

func (l lengthLimits) String() string {
	if l.max < 0 {
		return fmt.Sprintf("[%d, ∞)", l.min)
	}
	return fmt.Sprintf("[%d, %d]", l.min, l.max)
}

// candidates returns s and, when it misses the length limits, versions of
// it padded (repeating its first or last character, or a letter or digit)
// or cut at either end.
func candidates(s string, l lengthLimits) []string {
	r := []rune(s)
	out := []string{s}
	if k := l.min - len(r); k > 0 {
		pads := []string{"a", "0"}
		if len(r) > 0 {
			pads = append([]string{string(r[len(r)-1]), string(r[0])}, pads...)
		}
		for _, p := range pads {
			fill := strings.Repeat(p, k)
			out = append(out, s+fill, fill+s)
		}
	}
	if l.max >= 0 && len(r) > l.max {
		out = append(out, string(r[:l.max]), string(r[len(r)-l.max:]))
	}
	return out
}

// patternBuilder accumulates the generated runes and remembers which came
// from character classes, and what else those classes allow, so variants
// can change them.
type patternBuilder struct {
	extra int
	out   []rune
	slots []slot
	// rng, when set, draws characters, alternatives and repetition counts
	// (randomPattern) instead of taking the first of each.
	rng *gofakeit.Faker
}

type slot struct {
	pos  int
	alts []rune
}

func (b *patternBuilder) walk(re *syntax.Regexp) error {
	if len(b.out) > maxPatternRunes {
		return errTooLong
	}
	switch re.Op {
	case syntax.OpLiteral:
		b.out = append(b.out, re.Rune...)
	case syntax.OpCharClass:
		limit := maxAlternatives
		if b.rng != nil {
			limit = maxRandomAlternatives
		}
		alts := classRunes(re.Rune, limit)
		if len(alts) == 0 {
			return errors.New("character class without a printable character")
		}
		b.emit(alts)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.emit([]rune("abcdefghij"))
	case syntax.OpCapture:
		return b.walk(re.Sub[0])
	case syntax.OpAlternate:
		if b.rng != nil {
			return b.walk(re.Sub[b.rng.IntN(len(re.Sub))])
		}
		return b.walk(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if err := b.walk(sub); err != nil {
				return err
			}
		}
	case syntax.OpStar:
		return b.repeat(re.Sub[0], 0, -1)
	case syntax.OpPlus:
		return b.repeat(re.Sub[0], 1, -1)
	case syntax.OpQuest:
		return b.repeat(re.Sub[0], 0, 1)
	case syntax.OpRepeat:
		return b.repeat(re.Sub[0], re.Min, re.Max)
	case syntax.OpNoMatch:
		return errors.New("pattern matches nothing")
	}
	// Anchors, word boundaries and empty matches produce no characters.
	return nil
}

// repeat emits sub min+extra times, at most max times (max < 0: unbounded).
func (b *patternBuilder) repeat(sub *syntax.Regexp, min, max int) error {
	n := min + b.extra
	if b.rng != nil {
		n += b.rng.IntN(3)
	}
	if max >= 0 && n > max {
		n = max
	}
	for range n {
		if err := b.walk(sub); err != nil {
			return err
		}
	}
	return nil
}

func (b *patternBuilder) emit(alts []rune) {
	b.slots = append(b.slots, slot{pos: len(b.out), alts: alts})
	if b.rng != nil {
		b.out = append(b.out, alts[b.rng.IntN(len(alts))])
		return
	}
	b.out = append(b.out, alts[0])
}

// randomPattern draws a string matching re (compiled from pattern) within
// the length limits: characters, alternatives and repetition counts come
// from r. Repetitions grow as in patternString until a string fits; only
// then are drawn strings padded or cut to the limits. ok is false when
// nothing fits (patternString then decides).
func randomPattern(pattern string, re *ecma.Regexp, l lengthLimits, r *gofakeit.Faker) (string, bool) {
	tree, err := syntax.Parse(re2Shape(pattern), syntax.Perl)
	if err != nil {
		return "", false
	}
	var drawn []string
	for extra := 0; extra <= l.min+extraGrowth; extra++ {
		b := &patternBuilder{extra: extra, rng: r}
		if err := b.walk(tree); err != nil {
			return "", false
		}
		s := string(b.out)
		if l.fit(s) && matches(re, s) {
			return s, true
		}
		drawn = append(drawn, s)
		if l.max >= 0 && utf8.RuneCountInString(s) > l.max {
			break
		}
	}
	for _, s := range drawn {
		for _, c := range candidates(s, l) {
			if l.fit(c) && matches(re, c) {
				return c, true
			}
		}
	}
	return "", false
}

// withVariant returns the generated string with variant spent like an
// odometer on the character classes, last class first. ok is false when
// the classes cannot express that many distinct strings.
func (b *patternBuilder) withVariant(variant int) (s string, ok bool) {
	out := slices.Clone(b.out)
	for i := len(b.slots) - 1; i >= 0 && variant > 0; i-- {
		alts := b.slots[i].alts
		out[b.slots[i].pos] = alts[variant%len(alts)]
		variant /= len(alts)
	}
	return string(out), variant == 0
}

// classRunes lists up to limit characters of a class (given as
// rune ranges), in class order: ASCII letters and digits if it has any,
// else visible characters, else any printable one. Readable characters make
// readable mock data.
func classRunes(ranges []rune, limit int) []rune {
	for _, usable := range []func(rune) bool{isASCIIAlnum, isVisible, unicode.IsPrint} {
		var alts []rune
		for i := 0; i+1 < len(ranges) && len(alts) < limit; i += 2 {
			lo, hi := ranges[i], ranges[i+1]
			// Classes such as [^/] span the whole of Unicode; the first few
			// hundred runes of each range are plenty.
			for r := lo; r <= hi && r < lo+256 && len(alts) < limit; r++ {
				if usable(r) {
					alts = append(alts, r)
				}
			}
		}
		if len(alts) > 0 {
			return alts
		}
	}
	return nil
}

func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func isVisible(r rune) bool {
	return unicode.IsPrint(r) && !unicode.IsSpace(r)
}

// matches reports whether re matches s; a match that times out counts as
// none, so generation moves on to the next candidate.
func matches(re *ecma.Regexp, s string) bool {
	ok, err := re.Match(s)
	return ok && err == nil
}

// re2Shape rewrites an ECMA-262 pattern into one Go's regexp/syntax can
// parse, for walking only: lookaround groups and backreferences are
// dropped (they consume no characters of their own, or repeat a group's),
// and \uXXXX and \u{X} escapes become \x{X}. Candidates built from the
// shape are checked against the real pattern, so the result still matches
// it (or generation fails naming the pattern).
func re2Shape(src string) string {
	if !strings.Contains(src, "(?") && !strings.Contains(src, `\`) {
		return src
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			n := src[i+1]
			switch {
			case n == 'u' && strings.HasPrefix(src[i+2:], "{"):
				if end := strings.IndexByte(src[i:], '}'); end > 0 {
					b.WriteString(`\x` + src[i+2:i+end+1])
					i += end
					continue
				}
			case n == 'u' && i+6 <= len(src):
				b.WriteString(`\x{` + src[i+2:i+6] + "}")
				i += 5
				continue
			case n == 'k' && !inClass && strings.HasPrefix(src[i+2:], "<"):
				if end := strings.IndexByte(src[i:], '>'); end > 0 {
					i += end // \k<name>
					continue
				}
			case n >= '1' && n <= '9' && !inClass:
				for i+2 < len(src) && src[i+2] >= '0' && src[i+2] <= '9' {
					i++
				}
				i++ // \1
				continue
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		case inClass:
			b.WriteByte(c)
			inClass = c != ']'
		case c == '[':
			inClass = true
			b.WriteByte(c)
		case c == '(' && (strings.HasPrefix(src[i:], "(?=") || strings.HasPrefix(src[i:], "(?!") ||
			strings.HasPrefix(src[i:], "(?<=") || strings.HasPrefix(src[i:], "(?<!")):
			i = groupEnd(src, i)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// groupEnd returns the index of the ) closing the group opened at src[i].
func groupEnd(src string, i int) int {
	depth, inClass := 0, false
	for ; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return len(src)
}
