package sample

import (
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	ecma "github.com/arklow/arklow-mock/internal/schema/pattern"
)

// certainlyValid is mayMatch's strict counterpart: it returns true only when
// it can tell that v is valid against ref. A keyword it cannot check
// (unevaluated*, $dynamicRef, a format it does not know, an if it cannot
// decide) makes it return false. Generate uses it to accept a value written
// in the document (example, default) or proposed for plausibility, and
// falls back to building a value from the constraints when it says no.
func certainlyValid(ref *openapi3.SchemaRef, v any, depth int) bool {
	if ref == nil {
		return true
	}
	s := ref.Value
	if s == nil || depth > maxDepth {
		return false
	}
	if s.Always != nil {
		return *s.Always
	}
	if s.DynamicRef != "" || s.UnevaluatedItems.Has != nil || s.UnevaluatedItems.Schema != nil ||
		s.UnevaluatedProperties.Has != nil ||
		s.UnevaluatedProperties.Schema != nil {
		return false
	}
	if !typeConstEnumAllow(s, v) {
		return false
	}
	if !compositionCertainlyValid(s, v, depth) {
		return false
	}
	switch v := v.(type) {
	case string:
		return stringCertainlyValid(s, v)
	case json.Number:
		r, ok := new(big.Rat).SetString(v.String())
		return ok && numberMayMatch(s, r)
	case map[string]any:
		return objectCertainlyValid(s, v, depth)
	case []any:
		return arrayCertainlyValid(s, v, depth)
	case nil, bool:
		return true
	}
	// Other Go numbers come from kin-openapi's decoding of literals.
	r, ok := toRat(v)
	return ok && numberMayMatch(s, r)
}

// compositionCertainlyValid checks allOf, anyOf, oneOf, not and
// if/then/else.
func compositionCertainlyValid(s *openapi3.Schema, v any, depth int) bool {
	for _, part := range s.AllOf {
		if !certainlyValid(part, v, depth+1) {
			return false
		}
	}
	if len(s.AnyOf) > 0 && !slices.ContainsFunc(s.AnyOf, func(b *openapi3.SchemaRef) bool {
		return certainlyValid(b, v, depth+1)
	}) {
		return false
	}
	if len(s.OneOf) > 0 {
		// Exactly one branch: one that surely matches, and none other that
		// might.
		matched := -1
		for i, b := range s.OneOf {
			if certainlyValid(b, v, depth+1) {
				matched = i
				break
			}
		}
		if matched < 0 || matchesAnother(s.OneOf, matched, v) {
			return false
		}
	}
	if s.Not != nil && mayMatch(s.Not, v, depth+1) {
		return false
	}
	if s.If != nil {
		switch {
		case certainlyValid(s.If, v, depth+1):
			return certainlyValid(s.Then, v, depth+1)
		case !mayMatch(s.If, v, depth+1):
			return certainlyValid(s.Else, v, depth+1)
		default:
			return false
		}
	}
	return true
}

func stringCertainlyValid(s *openapi3.Schema, v string) bool {
	if s.Pattern != "" {
		if _, err := ecma.Compile(s.Pattern); err != nil {
			return false // a pattern that does not compile certifies nothing
		}
	}
	return stringMayMatch(s, v) && formatOK(s.Format, v) // stringMayMatch matches the pattern
}

func objectCertainlyValid(s *openapi3.Schema, v map[string]any, depth int) bool {
	if !objectMayMatch(s, v, depth) {
		return false
	}
	for _, name := range sortedKeys(s.DependentRequired) {
		if _, ok := v[name]; !ok {
			continue
		}
		for _, dep := range s.DependentRequired[name] {
			if _, ok := v[dep]; !ok {
				return false
			}
		}
	}
	for name, dep := range s.DependentSchemas {
		if _, ok := v[name]; ok && !certainlyValid(dep, v, depth+1) {
			return false
		}
	}
	for name, e := range v {
		if s.PropertyNames != nil && !certainlyValid(s.PropertyNames, name, depth+1) {
			return false
		}
		refs, _ := schemasFor(s, name)
		for _, ref := range refs {
			if !certainlyValid(ref, e, depth+1) {
				return false
			}
		}
	}
	return true
}

func arrayCertainlyValid(s *openapi3.Schema, v []any, depth int) bool {
	if !arrayMayMatch(s, v, depth) {
		return false
	}
	for i, e := range v {
		item := s.Items
		if i < len(s.PrefixItems) {
			item = s.PrefixItems[i]
		}
		if !certainlyValid(item, e, depth+1) {
			return false
		}
	}
	if s.Contains == nil {
		return true
	}
	sure, maybe := 0, 0
	for _, e := range v {
		if certainlyValid(s.Contains, e, depth+1) {
			sure++
		}
		if mayMatch(s.Contains, e, depth+1) {
			maybe++
		}
	}
	need := uint64(1)
	if s.MinContains != nil {
		need = *s.MinContains
	}
	return uint64(sure) >= need && (s.MaxContains == nil || uint64(maybe) <= *s.MaxContains)
}

// checkedFormat reports whether formatOK checks format itself (rather than
// trusting it, or refusing every value of it).
func checkedFormat(format string) bool {
	switch format {
	case "date-time", "date", "time", "email", "uuid", "ipv4", "ipv6", "hostname", "uri", "url",
		"uri-reference", "byte", "duration":
		return true
	}
	return false
}

// formatOK reports whether v is surely valid for format. Formats that JSON
// Schema validators assert and that it does not check make it return false;
// formats nobody asserts (password, int64, ...) are always fine.
func formatOK(format, v string) bool {
	switch format {
	case "date-time":
		return validDateTime(v)
	case "date":
		return validDate(v)
	case "time":
		return validTime(v)
	case "email":
		return validEmail(v)
	case "uuid":
		return shape(v, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
	case "ipv4":
		a, err := netip.ParseAddr(v)
		return err == nil && a.Is4()
	case "ipv6":
		a, err := netip.ParseAddr(v)
		return err == nil && a.Is6() && a.Zone() == "" && !strings.Contains(v, ".")
	case "hostname":
		return validHostname(v)
	case "uri", "url":
		u, err := url.Parse(v)
		return err == nil && u.IsAbs() && asciiURI(v)
	case "uri-reference":
		_, err := url.Parse(v)
		return err == nil && asciiURI(v)
	case "byte":
		_, err := base64.StdEncoding.DecodeString(v)
		return err == nil
	case "duration":
		return validDuration(v)
	case "iri", "iri-reference", "idn-email", "idn-hostname", "uri-template", "json-pointer",
		"relative-json-pointer", "regex", "semver", "period":
		return false
	}
	return true
}

// shape reports whether v has the layout of pattern, where '9' stands for
// an ASCII digit, 'x' for a hexadecimal digit and any other byte for itself.
func shape(v, pattern string) bool {
	if len(v) != len(pattern) {
		return false
	}
	for i := range len(v) {
		c := v[i]
		switch pattern[i] {
		case '9':
			if c < '0' || c > '9' {
				return false
			}
		case 'x':
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		default:
			if c != pattern[i] {
				return false
			}
		}
	}
	return true
}

func validDate(v string) bool {
	_, err := time.Parse(time.DateOnly, v)
	return err == nil && shape(v, "9999-99-99")
}

// validTime accepts hh:mm:ss, optional fraction, then Z or an offset.
func validTime(v string) bool {
	if len(v) < 9 || !shape(v[:8], "99:99:99") {
		return false
	}
	rest := v[8:]
	if strings.HasPrefix(rest, ".") {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	if rest != "Z" && rest != "z" && !(shape(rest, "+99:99") || shape(rest, "-99:99")) {
		return false
	}
	_, err := time.Parse("15:04:05Z07:00", v[:8]+strings.ToUpper(rest))
	return err == nil
}

// validDuration accepts ISO 8601 durations as JSON Schema defines them:
// PnW, or PnYnMnD with an optional TnHnMnS, units in that order.
func validDuration(v string) bool {
	rest, ok := strings.CutPrefix(v, "P")
	if !ok || rest == "" {
		return false
	}
	if w, ok := strings.CutSuffix(rest, "W"); ok {
		return w != "" && strings.Trim(w, "0123456789") == ""
	}
	date, clock, hasT := strings.Cut(rest, "T")
	if hasT && clock == "" {
		return false
	}
	return unitsInOrder(date, "YMD") && unitsInOrder(clock, "HMS")
}

// unitsInOrder reports whether s is a run of number+unit pairs whose units
// appear in units' order, each at most once.
func unitsInOrder(s, units string) bool {
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) {
			return false
		}
		at := strings.IndexByte(units, s[i])
		if at < 0 {
			return false
		}
		units, s = units[at+1:], s[i+1:]
	}
	return true
}

// validDateTime accepts RFC 3339 date-times with an explicit offset, as both
// JSON Schema and kin-openapi do.
func validDateTime(v string) bool {
	return len(v) >= 20 && (v[10] == 'T' || v[10] == 't') && validDate(v[:10]) && validTime(v[11:])
}

func validEmail(v string) bool {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || len(v) > 254 || at > 64 {
		return false
	}
	local, domain := v[:at], v[at+1:]
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, c := range local {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", c)) {
			return false
		}
	}
	return strings.Contains(domain, ".") && validHostname(domain)
}

func validHostname(v string) bool {
	if v == "" || len(v) > 253 {
		return false
	}
	for _, label := range strings.Split(v, ".") {
		if len(label) < 1 || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// asciiURI rejects characters a URI may not hold unescaped.
func asciiURI(v string) bool {
	for _, c := range v {
		if c <= ' ' || c >= 0x7f || strings.ContainsRune(`"<>\^`+"`{|}", c) {
			return false
		}
	}
	return true
}
