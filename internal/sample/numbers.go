package sample

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// number builds a number (an integer when integer is set) with exact
// rational arithmetic, so multipleOf 0.01 gives 0.07 and not
// 0.07000000000000001. It is the smallest allowed value at or above the
// lower bound, else 0 if allowed, else the largest allowed value below the
// upper bound. Variants step away from that value by multipleOf (or 1).
func number(s *openapi3.Schema, integer bool, variant int) (any, error) {
	b := boundsOf(s)
	step, err := stepOf(s.MultipleOf, integer)
	if err != nil {
		return nil, err
	}
	unit := step
	if unit == nil {
		unit = big.NewRat(1, 1)
	}
	var v *big.Rat
	direction := int64(1)
	switch {
	case b.lo != nil:
		v = above(b, step)
	case b.allows(new(big.Rat)):
		v = new(big.Rat)
	default:
		v = below(b, step)
		direction = -1
	}
	v.Add(v, new(big.Rat).Mul(unit, big.NewRat(direction*int64(variant), 1)))
	if all := b.withFormat(s.Format); !all.allows(v) {
		if variant > 0 {
			return nil, errNoVariant
		}
		return nil, fmt.Errorf("no %s in %s", numberKind(integer, s.MultipleOf), all)
	}
	return json.Number(decimal(v)), nil
}

// bounds are the effective lower and upper limits of a number schema.
type bounds struct {
	lo, hi         *big.Rat
	loExcl, hiExcl bool
}

// boundsOf reads minimum/maximum and exclusiveMinimum/exclusiveMaximum in
// both spellings: the 3.1 number (its own bound) and the 3.0 boolean (which
// makes minimum/maximum exclusive). When both kinds are given, the tighter
// bound wins.
func boundsOf(s *openapi3.Schema) bounds {
	var b bounds
	b.raiseLo(ratPtr(inclusiveMin(s)), false)
	b.raiseLo(ratPtr(exclusiveMin(s)), true)
	b.lowerHi(ratPtr(inclusiveMax(s)), false)
	b.lowerHi(ratPtr(exclusiveMax(s)), true)
	return b
}

// withFormat adds the range of the int32 and int64 formats. It is applied
// after choosing a value, so that a plain int64 still starts at 0 rather
// than at its minimum.
func (b bounds) withFormat(format string) bounds {
	switch format {
	case "int32":
		b.raiseLo(big.NewRat(math.MinInt32, 1), false)
		b.lowerHi(big.NewRat(math.MaxInt32, 1), false)
	case "int64":
		b.raiseLo(big.NewRat(math.MinInt64, 1), false)
		b.lowerHi(big.NewRat(math.MaxInt64, 1), false)
	}
	return b
}

// raiseLo makes r the lower bound if it is tighter than the current one.
func (b *bounds) raiseLo(r *big.Rat, exclusive bool) {
	if r == nil {
		return
	}
	if b.lo == nil || r.Cmp(b.lo) > 0 || r.Cmp(b.lo) == 0 && exclusive {
		b.lo, b.loExcl = r, exclusive
	}
}

// lowerHi makes r the upper bound if it is tighter than the current one.
func (b *bounds) lowerHi(r *big.Rat, exclusive bool) {
	if r == nil {
		return
	}
	if b.hi == nil || r.Cmp(b.hi) < 0 || r.Cmp(b.hi) == 0 && exclusive {
		b.hi, b.hiExcl = r, exclusive
	}
}

func (b bounds) allows(v *big.Rat) bool {
	if b.lo != nil && (v.Cmp(b.lo) < 0 || b.loExcl && v.Cmp(b.lo) == 0) {
		return false
	}
	if b.hi != nil && (v.Cmp(b.hi) > 0 || b.hiExcl && v.Cmp(b.hi) == 0) {
		return false
	}
	return true
}

func (b bounds) String() string {
	lo, hi := "(-∞", "∞)"
	if b.lo != nil {
		lo = "[" + b.lo.RatString()
		if b.loExcl {
			lo = "(" + b.lo.RatString()
		}
	}
	if b.hi != nil {
		hi = b.hi.RatString() + "]"
		if b.hiExcl {
			hi = b.hi.RatString() + ")"
		}
	}
	return lo + ", " + hi
}

// above is the smallest value at or above (or strictly above) the lower
// bound. Without a step (a number without multipleOf) an exclusive bound is
// left for the next integer, or for the midpoint if the range is narrower.
func above(b bounds, step *big.Rat) *big.Rat {
	if step != nil {
		k := ceil(new(big.Rat).Quo(b.lo, step))
		v := new(big.Rat).Mul(k, step)
		if b.loExcl && v.Cmp(b.lo) == 0 {
			v.Add(v, step)
		}
		return v
	}
	if !b.loExcl {
		return new(big.Rat).Set(b.lo)
	}
	v := new(big.Rat).Add(floor(b.lo), big.NewRat(1, 1))
	if !b.allows(v) && b.hi != nil {
		v.Add(b.lo, b.hi).Quo(v, big.NewRat(2, 1))
	}
	return v
}

// below mirrors above for the upper bound.
func below(b bounds, step *big.Rat) *big.Rat {
	if step != nil {
		k := floor(new(big.Rat).Quo(b.hi, step))
		v := new(big.Rat).Mul(k, step)
		if b.hiExcl && v.Cmp(b.hi) == 0 {
			v.Sub(v, step)
		}
		return v
	}
	if !b.hiExcl {
		return new(big.Rat).Set(b.hi)
	}
	return new(big.Rat).Sub(ceil(b.hi), big.NewRat(1, 1))
}

// stepOf is the spacing of allowed values: multipleOf, for integers the
// smallest integer multiple of it (1 without multipleOf), and nil for a
// number without multipleOf.
func stepOf(multipleOf *float64, integer bool) (*big.Rat, error) {
	if multipleOf == nil {
		if integer {
			return big.NewRat(1, 1), nil
		}
		return nil, nil
	}
	m := rat(*multipleOf)
	if m.Sign() <= 0 {
		return nil, fmt.Errorf("multipleOf %v is not positive", *multipleOf)
	}
	if !integer {
		return m, nil
	}
	return commonMultipleRat(m, big.NewRat(1, 1))
}

// commonMultiple is the smallest multiple of a that is also a multiple of b
// (used when allOf parts both set multipleOf).
func commonMultiple(a, b float64) (float64, error) {
	r, err := commonMultipleRat(rat(a), rat(b))
	if err != nil {
		return 0, err
	}
	f, _ := r.Float64()
	return f, nil
}

func commonMultipleRat(a, b *big.Rat) (*big.Rat, error) {
	for k := int64(1); k <= 1000; k++ {
		c := new(big.Rat).Mul(a, big.NewRat(k, 1))
		if new(big.Rat).Quo(c, b).IsInt() {
			return c, nil
		}
	}
	return nil, errors.New("multipleOf values have no small common multiple")
}

func numberKind(integer bool, multipleOf *float64) string {
	kind := "number"
	if integer {
		kind = "integer"
	}
	if multipleOf != nil {
		kind += " multiple of " + strconv.FormatFloat(*multipleOf, 'g', -1, 64)
	}
	return kind
}

func ratPtr(f *float64) *big.Rat {
	if f == nil {
		return nil
	}
	return rat(*f)
}

// rat converts a float64 through its shortest decimal form, so 0.1 is
// exactly 1/10, as the author wrote it.
func rat(f float64) *big.Rat {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	return r
}

func floor(r *big.Rat) *big.Rat {
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: rounds down for positive denominators
	return new(big.Rat).SetInt(q)
}

func ceil(r *big.Rat) *big.Rat {
	f := floor(r)
	if f.Cmp(r) != 0 {
		f.Add(f, big.NewRat(1, 1))
	}
	return f
}

// decimal writes r as an exact decimal when it has one (every value built
// from decimal bounds and steps does), else with 20 decimals.
func decimal(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	for prec := 1; prec <= 40; prec++ {
		s := r.FloatString(prec)
		if back, ok := new(big.Rat).SetString(s); ok && back.Cmp(r) == 0 {
			return s
		}
	}
	return r.FloatString(20)
}

// The four helpers below read a schema's bounds the OpenAPI 3.1 way:
// a 3.0 "exclusiveMinimum: true" turns minimum into an exclusive bound.

func inclusiveMin(s *openapi3.Schema) *float64 {
	if s.ExclusiveMin.IsTrue() {
		return nil
	}
	return s.Min
}

func exclusiveMin(s *openapi3.Schema) *float64 {
	if s.ExclusiveMin.IsTrue() {
		return s.Min
	}
	return s.ExclusiveMin.Value
}

func inclusiveMax(s *openapi3.Schema) *float64 {
	if s.ExclusiveMax.IsTrue() {
		return nil
	}
	return s.Max
}

func exclusiveMax(s *openapi3.Schema) *float64 {
	if s.ExclusiveMax.IsTrue() {
		return s.Max
	}
	return s.ExclusiveMax.Value
}

func maxFloat(a, b *float64) *float64 {
	if a == nil || b != nil && *b > *a {
		return b
	}
	return a
}

func minFloat(a, b *float64) *float64 {
	if a == nil || b != nil && *b < *a {
		return b
	}
	return a
}

func minPtr(a, b *uint64) *uint64 {
	if a == nil || b != nil && *b < *a {
		return b
	}
	return a
}
