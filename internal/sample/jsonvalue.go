package sample

import (
	"bytes"
	"encoding/json"
	"math/big"
)

// decodeJSON decodes one JSON value, keeping numbers as json.Number.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// canonical renders v so that equal JSON values give equal strings: numbers
// are compared by value ("1" and "1.0" are the same number) and object keys
// are sorted by encoding/json.
func canonical(v any) string {
	b, err := json.Marshal(canonicalNumbers(v))
	if err != nil {
		return "\x00invalid"
	}
	return string(b)
}

// canonicalNumbers rewrites every number to its exact reduced fraction.
func canonicalNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = canonicalNumbers(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = canonicalNumbers(e)
		}
		return out
	}
	if r, ok := toRat(v); ok {
		return "\x00num:" + r.RatString()
	}
	return v
}

// jsonEqual reports whether a and b are the same JSON value.
func jsonEqual(a, b any) bool {
	return canonical(a) == canonical(b)
}

// toRat converts a JSON number in any of the Go forms it may take to an
// exact rational.
func toRat(v any) (*big.Rat, bool) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = v.String()
	case float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, false
		}
		s = string(b)
	default:
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}
