package sample

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	ecma "github.com/arklow/arklow-mock/internal/schema/pattern"
)

// stringValue builds a string: the format's value when it also fits the
// length limits and pattern, else a string generated from the pattern, else
// a plain word fitted to the length limits.
func stringValue(s *openapi3.Schema, variant int) (any, error) {
	limits, re, err := stringConstraints(s)
	if err != nil {
		return nil, err
	}
	if v, ok := formatValue(s.Format, variant); ok && limits.fit(v) && (re == nil || matches(re, v)) {
		return v, nil
	}
	if re != nil {
		return patternString(s.Pattern, re, limits, variant)
	}
	return plainString(limits, variant), nil
}

// lengthLimits holds minLength and maxLength (-1: none), counted in runes
// as JSON Schema counts characters.
type lengthLimits struct{ min, max int }

// stringConstraints reads a string schema's length limits (max -1: none)
// and compiles its pattern (nil: none).
func stringConstraints(s *openapi3.Schema) (lengthLimits, *ecma.Regexp, error) {
	limits := lengthLimits{min: int(s.MinLength), max: -1}
	if s.MaxLength != nil {
		limits.max = int(*s.MaxLength)
	}
	if limits.max >= 0 && limits.min > limits.max {
		return limits, nil, fmt.Errorf("minLength %d exceeds maxLength %d", limits.min, limits.max)
	}
	if s.Pattern == "" {
		return limits, nil, nil
	}
	re, err := ecma.Compile(s.Pattern)
	if err != nil {
		return limits, nil, fmt.Errorf("pattern %q: %w", s.Pattern, err)
	}
	return limits, re, nil
}

func (l lengthLimits) fit(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= l.min && (l.max < 0 || n <= l.max)
}

// formatValue returns a fixed valid value for the string formats it knows.
// Variants shift the value (a later date, another address) so that arrays
// with uniqueItems can hold distinct values.
func formatValue(format string, variant int) (string, bool) {
	// Dates and times are fixed so that values never depend on the clock.
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := base.AddDate(0, 0, variant)
	second := base.Add(time.Duration(variant) * time.Second)
	switch format {
	case "date-time":
		return day.Format(time.RFC3339), true
	case "date":
		return day.Format(time.DateOnly), true
	case "time":
		return second.Format("15:04:05Z07:00"), true
	case "duration":
		return fmt.Sprintf("P%dD", variant+1), true
	case "email", "idn-email":
		return "user" + suffix(variant) + "@example.com", true
	case "uuid":
		// A version 4 (random), variant 1 UUID; the variant is in the node field.
		return fmt.Sprintf("3fa85f64-5717-4562-b3fc-%012x", 0x2c963f66afa6+variant), true
	case "uri", "iri", "url":
		return "https://example.com/" + suffix(variant), true
	case "uri-reference", "iri-reference":
		return "/example" + suffix(variant), true
	case "uri-template":
		return "https://example.com/{id}" + suffix(variant), true
	case "hostname", "idn-hostname":
		return "host" + suffix(variant) + ".example.com", true
	case "ipv4":
		return fmt.Sprintf("192.0.%d.%d", 2+variant/254, 1+variant%254), true
	case "ipv6":
		return fmt.Sprintf("2001:db8::%x", variant+1), true
	case "byte":
		return base64.StdEncoding.EncodeToString([]byte("string" + suffix(variant))), true
	case "json-pointer":
		return "/example" + suffix(variant), true
	case "relative-json-pointer":
		return strconv.Itoa(variant), true
	case "regex":
		return "^example" + suffix(variant) + "$", true
	}
	return "", false
}

// stringFormat reports whether format is a string format known to
// formatValue (used to infer a missing type).
func stringFormat(format string) bool {
	_, ok := formatValue(format, 0)
	return ok
}

// suffix is "" for the canonical value and the variant number otherwise.
func suffix(variant int) string {
	if variant == 0 {
		return ""
	}
	return strconv.Itoa(variant)
}

// plainString is "string" (plus the variant number), padded with "x" to
// minLength and cut to maxLength. Alternatives are cut from the left so the
// variant number, which makes them distinct, survives.
func plainString(l lengthLimits, variant int) string {
	s := "string" + suffix(variant)
	if l.max >= 0 && len(s) > l.max {
		if variant == 0 {
			s = s[:l.max]
		} else {
			s = s[len(s)-l.max:]
		}
	}
	if n := utf8.RuneCountInString(s); n < l.min {
		s += strings.Repeat("x", l.min-n)
	}
	return s
}
