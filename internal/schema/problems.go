package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// printer renders the library's own messages for the rarer keywords.
// message.Printer is safe for concurrent use and holds no mutable state
// after construction.
var printer = message.NewPrinter(language.English)

// problems appends one problem per leaf of a JSON Schema validation
// error. anyOf/oneOf noise is pruned: branches that failed only on type are
// dropped when another branch got further, and enum alternatives merge, so
// `anyOf: [{enum: [a]}, {enum: [b]}]` reads "must be one of "a", "b"".
// Messages never contain schema URLs or keyword locations. An error that
// is not a validation error (a pattern that timed out) is one problem at
// prefix. The problems come in the order of the schema as written (see
// Leaves), so the same request always gets the same answer.
func problems(out []reqerr.Problem, prefix string, instance any, err error, line func(url string) int) []reqerr.Problem {
	if err == nil {
		return out
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return append(out, reqerr.Problem{Location: prefix, Message: err.Error()})
	}
	for _, l := range leaves(ve, line) {
		out = append(out, reqerr.Problem{
			Location: location(prefix, instance, l.At),
			Message:  l.Msg,
			Pointer:  jsonptr.Join(l.At),
		})
	}
	return out
}

// Leaf is one thing a validation error says is wrong.
type Leaf struct {
	At  []string // where, in the instance: its JSON pointer's tokens
	Msg string   // what, in the mock's words

	// order is the line, in the document, of the schema that governs each
	// level of At: the property as declared (before any $ref is followed).
	order []int
}

// Leaves returns what a validation error says is wrong, pruned and worded
// as Problems reports it, in a fixed order: the validator reports the
// properties of an object in map order, which varies from run to run. The
// diagnostics word a document's invalid schemas (checked against the
// meta-schema) with it too.
func Leaves(ve *jsonschema.ValidationError) []Leaf { return leaves(ve, nil) }

// leaves is Leaves, ordered as the schema is written when line (a schema
// URL's line in its document) is known, else by JSON pointer.
func leaves(ve *jsonschema.ValidationError, line func(url string) int) []Leaf {
	c := collector{line: line}
	var out []Leaf
	c.collect(ve, nil, &out)
	slices.SortStableFunc(out, func(a, b Leaf) int {
		if d := slices.Compare(a.order, b.order); d != 0 {
			return d
		}
		return slices.Compare(a.At, b.At)
	})
	return out
}

// collector walks a validation error's tree into leaves.
type collector struct{ line func(url string) int }

// lineOf is the line of the schema at url, 0 when unknown.
func (c collector) lineOf(url string) int {
	if c.line == nil {
		return 0
	}
	return c.line(url)
}

// leaf is a leaf at the instance location at, under trail.
func (c collector) leaf(trail []int, at []string, msg string) Leaf {
	return Leaf{At: at, Msg: msg, order: trail}
}

// collect appends ve's leaves to out. trail holds the schema line of each
// instance level above ve; the first error met at a deeper level (the
// property's own schema, before a $ref is followed) gives that level's.
func (c collector) collect(ve *jsonschema.ValidationError, trail []int, out *[]Leaf) {
	if d := len(ve.InstanceLocation); d > len(trail) {
		l := c.lineOf(ve.SchemaURL)
		trail = slices.Clip(trail)
		for len(trail) < d {
			trail = append(trail, l)
		}
	}
	switch k := ve.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.AllOf, *kind.Reference:
		if len(ve.Causes) == 0 {
			*out = append(*out, c.leaf(trail, ve.InstanceLocation, message_(ve)))
		}
		for _, cause := range ve.Causes {
			c.collect(cause, trail, out)
		}
	case *kind.AnyOf, *kind.OneOf:
		if len(ve.Causes) == 0 { // oneOf matched more than one branch
			*out = append(*out, c.leaf(trail, ve.InstanceLocation, message_(ve)))
			return
		}
		c.collectAlternatives(ve, trail, out)
	case *kind.Required:
		for _, m := range k.Missing {
			declared := c.lineOf(ve.SchemaURL + "/properties/" + jsonptr.Escape(m))
			*out = append(*out, c.leaf(append(slices.Clip(trail), declared), append(slices.Clip(ve.InstanceLocation), m), "is required"))
		}
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			*out = append(*out, c.leaf(append(slices.Clip(trail), c.lineOf(ve.SchemaURL)), append(slices.Clip(ve.InstanceLocation), p), "is not allowed (unknown property)"))
		}
	default:
		*out = append(*out, c.leaf(trail, ve.InstanceLocation, message_(ve)))
	}
}

// collectAlternatives reports the branch that came closest, or merges the
// branches when every one failed the same simple way.
func (c collector) collectAlternatives(ve *jsonschema.ValidationError, trail []int, out *[]Leaf) {
	type branch struct{ leaves []Leaf }
	var rest []branch // the branches that failed on more than their type
	for _, cause := range ve.Causes {
		var ls []Leaf
		c.collect(cause, trail, &ls)
		for _, l := range ls {
			if !isTypeLeaf(l, ve.InstanceLocation) {
				rest = append(rest, branch{ls})
				break
			}
		}
	}
	switch {
	case len(rest) == 0:
		// Every branch wanted another type: say which types are allowed.
		var want []string
		got := ""
		for _, cause := range ve.Causes {
			EachError(cause, func(e *jsonschema.ValidationError) {
				if t, ok := e.ErrorKind.(*kind.Type); ok {
					got = t.Got
					for _, w := range t.Want {
						if !slices.Contains(want, w) {
							want = append(want, w)
						}
					}
				}
			})
		}
		*out = append(*out, c.leaf(trail, ve.InstanceLocation, fmt.Sprintf("expected %s, got %s", strings.Join(want, " or "), got)))
	case allEnums(ve):
		*out = append(*out, c.leaf(trail, ve.InstanceLocation, mergedEnum(ve)))
	default:
		*out = append(*out, rest[0].leaves...)
	}
}

func isTypeLeaf(l Leaf, at []string) bool {
	return strings.HasPrefix(l.Msg, "expected ") && slices.Equal(l.At, at)
}

// EachError calls f with ve and each of its causes, depth first.
func EachError(ve *jsonschema.ValidationError, f func(*jsonschema.ValidationError)) {
	f(ve)
	for _, c := range ve.Causes {
		EachError(c, f)
	}
}

// allEnums reports whether every failed branch failed on enum or const
// (or on type) at the alternative's own location.
func allEnums(ve *jsonschema.ValidationError) bool {
	found := false
	ok := true
	for _, c := range ve.Causes {
		EachError(c, func(e *jsonschema.ValidationError) {
			switch e.ErrorKind.(type) {
			case *kind.Enum, *kind.Const:
				found = true
				if !slices.Equal(e.InstanceLocation, ve.InstanceLocation) {
					ok = false
				}
			case *kind.Type, *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
			default:
				ok = false
			}
		})
	}
	return found && ok
}

func mergedEnum(ve *jsonschema.ValidationError) string {
	var want []string
	var got any
	for _, c := range ve.Causes {
		EachError(c, func(e *jsonschema.ValidationError) {
			switch k := e.ErrorKind.(type) {
			case *kind.Enum:
				got = k.Got
				for _, w := range k.Want {
					want = appendUnique(want, Display(w))
				}
			case *kind.Const:
				got = k.Got
				want = appendUnique(want, Display(k.Want))
			}
		})
	}
	return enumMessage(want, got)
}

// enumMessage says that got is none of the values want lists (displayed).
func enumMessage(want []string, got any) string {
	if len(want) == 0 {
		return fmt.Sprintf("no value is allowed here (its enum is empty); got %s", Display(got))
	}
	return fmt.Sprintf("must be one of %s; got %s", strings.Join(want, ", "), Display(got))
}

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// message_ renders one error kind in the mock's own words.
func message_(ve *jsonschema.ValidationError) string {
	switch k := ve.ErrorKind.(type) {
	case *kind.Type:
		return fmt.Sprintf("expected %s, got %s", strings.Join(k.Want, " or "), k.Got)
	case *kind.Pattern:
		return fmt.Sprintf("string %s does not match pattern %s", Display(k.Got), k.Want)
	case *kind.MinLength:
		return fmt.Sprintf("must be at least %d characters long, got %d", k.Want, k.Got)
	case *kind.MaxLength:
		return fmt.Sprintf("must be at most %d characters long, got %d", k.Want, k.Got)
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = Display(w)
		}
		return enumMessage(want, k.Got)
	case *kind.Const:
		return fmt.Sprintf("must be %s; got %s", Display(k.Want), Display(k.Got))
	case *kind.Format:
		return fmt.Sprintf("%s is not a valid %s", Display(k.Got), k.Want)
	case *kind.Minimum:
		return fmt.Sprintf("must be >= %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.Maximum:
		return fmt.Sprintf("must be <= %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("must be > %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.ExclusiveMaximum:
		return fmt.Sprintf("must be < %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.MultipleOf:
		return fmt.Sprintf("must be a multiple of %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.MinItems:
		return fmt.Sprintf("must have at least %d items, got %d", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("must have at most %d items, got %d", k.Want, k.Got)
	case *kind.FalseSchema:
		return "is not allowed"
	case *kind.OneOf:
		return "matches more than one of the allowed shapes (oneOf)"
	}
	return ve.ErrorKind.LocalizedString(printer)
}

func rat(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Display renders a JSON value compactly for a message, cut at 80 bytes:
// how problems (and the diagnostics) quote a value.
func Display(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

// location renders an instance location as prefix.a.b[0].c, looking at the
// instance to tell array indices from object keys.
func location(prefix string, instance any, at []string) string {
	var b strings.Builder
	b.WriteString(prefix)
	cur := instance
	for _, tok := range at {
		switch c := cur.(type) {
		case []any:
			b.WriteString("[" + tok + "]")
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(c) {
				cur = c[i]
			} else {
				cur = nil
			}
		case map[string]any:
			b.WriteString("." + tok)
			cur = c[tok]
		default:
			b.WriteString("." + tok)
			cur = nil
		}
	}
	return b.String()
}
