package errformat

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/sample"
	"github.com/getkin/kin-openapi/openapi3"
)

// filler fills one body for one error. It records every value it puts in
// (a slot), with what to try instead should the schema refuse it, so that
// repair can mend the body at the places validation names.
type filler struct {
	fm     *format
	err    *reqerr.Error
	status int
	slots  map[string]*slot // by JSON pointer in the body
	failed error            // why the body cannot be made (a value cannot be generated)
}

// slot is a value the filler chose, with its alternatives.
type slot struct {
	ptr  string
	alts []alt // to try in order when the value is refused
	// extra marks a member the schema does not declare (problem details'
	// standard members, the errors extension): the first thing to drop
	// when validation refuses an object for a property it does not name.
	extra bool
}

// alt is one alternative for a slot: a value, a value to generate from a
// schema, or dropping the property.
type alt struct {
	value any
	gen   *openapi3.SchemaRef
	drop  bool
}

// subject is what one object of the body speaks of: the whole error, or
// one of its problems.
type subject struct {
	p  *reqerr.Problem // nil for the whole error
	pl place
	// whole is set when p is only the first problem of an error object
	// that has no array of problems: p places it, the message is still
	// the whole error's.
	whole bool
}

func (fl *filler) failf(format string, args ...any) {
	if fl.failed == nil {
		fl.failed = fmt.Errorf(format, args...)
	}
}

// record notes the value put at ptr and its alternatives: the example's
// value when it was replaced, a generated value when the property is
// required, else dropping it.
func (fl *filler) record(ptr string, ref *openapi3.SchemaRef, required bool, example any, replaced bool) {
	var alts []alt
	if replaced {
		alts = append(alts, alt{value: example})
	}
	if required {
		alts = append(alts, alt{gen: ref})
	} else {
		alts = append(alts, alt{drop: true})
	}
	fl.slots[ptr] = &slot{ptr: ptr, alts: alts}
}

// shape is the JSON type a value for ref is built as: "object", "array",
// "string", or "" when the schema wants something else (or says nothing
// and base gives no hint).
func shape(ref *openapi3.SchemaRef, base any) string {
	return shapeAt(ref, base, 0)
}

func shapeAt(ref *openapi3.SchemaRef, base any, depth int) string {
	s := deref(ref)
	if s != nil && depth <= maxDepth {
		for _, t := range []string{openapi3.TypeObject, openapi3.TypeArray, openapi3.TypeString} {
			if s.Type.Includes(t) {
				return t
			}
		}
		if !s.Type.IsEmpty() {
			return ""
		}
		if k := keywordType(s); k != "" {
			return k
		}
		for _, b := range slices.Concat(alternatives(s), s.AllOf) {
			if isNull(b) {
				continue
			}
			if sh := shapeAt(b, nil, depth+1); sh != "" {
				return sh
			}
		}
	}
	switch t := jsonType(base); t {
	case openapi3.TypeObject, openapi3.TypeArray, openapi3.TypeString:
		return t
	}
	return ""
}

// value fills a value of schema ref that stands for subj: the body
// itself, or the object nested in it ({"error": {...}}).
func (fl *filler) value(ptr string, ref *openapi3.SchemaRef, base any, subj subject, branch int) (any, bool) {
	switch shape(ref, base) {
	case openapi3.TypeObject:
		m, _ := base.(map[string]any)
		return fl.object(ptr, objectOf(ref, branch), m, subj, atTop, ptr == "" && fl.fm.problem), true
	case openapi3.TypeArray:
		v, ok := fl.problems(ptr, ref, base)
		if ok && ptr == "" {
			fl.arraySlot(ptr, ref, true)
		}
		return v, ok
	case openapi3.TypeString:
		return fl.text(ref, fl.message(subj, false), base), true
	}
	return nil, false
}

// object fills an object: every property whose role the error can fill
// is filled; the others keep the example's value, or are generated when
// required, or are left out.
func (fl *filler) object(ptr string, o *object, base map[string]any, subj subject, at where, problem bool) map[string]any {
	out := make(map[string]any, len(base)+len(o.props))
	for k, v := range base {
		out[k] = v
	}
	roles := fl.roles(o, at, problem)
	if at == atTop && subj.p == nil && len(fl.err.Problems) > 0 && !slices.Contains(slices.Collect(maps.Values(roles)), roleProblems) {
		// A single error object places its first problem.
		subj = subject{p: &fl.err.Problems[0], pl: placeOf(fl.err.Problems[0]), whole: true}
	}
	// A problem placed by a location property reads without its location.
	bare := false
	for name, r := range roles {
		if isWhere(r) && subj.p != nil && places(r, o.props[name], subj.pl) {
			bare = true
		}
	}
	_, hasLoc := o.props["loc"]
	_, hasMsg := o.props["msg"]
	pydantic := hasLoc && hasMsg

	for _, name := range o.names {
		ref, p := o.props[name], ptr+"/"+jsonptr.Escape(name)
		ex, had := out[name]
		required := o.required[name]
		r := roles[name]
		if r != roleNone {
			if v, ok := fl.fill(p, r, ref, ex, subj, bare, pydantic); ok {
				out[name] = v
				if r == roleProblems {
					fl.arraySlot(p, ref, required)
				} else {
					fl.record(p, ref, required, ex, had)
				}
				continue
			}
		}
		if isWhere(r) && subj.p != nil {
			// The example's place would be another problem's: a problem
			// with no place leaves the property out, or empty.
			delete(out, name)
			if required {
				out[name] = empty(shape(ref, ex))
				fl.slots[p] = &slot{ptr: p, alts: []alt{{gen: ref}}}
			}
			continue
		}
		switch {
		case had:
			fl.record(p, ref, required, nil, false)
		case required:
			v, err := sample.Value(ref)
			if err != nil {
				fl.failf("cannot generate required property %q: %v", name, err)
				continue
			}
			out[name] = v
			fl.slots[p] = &slot{ptr: p}
		}
	}
	if problem && !o.closed {
		fl.problemMembers(ptr, o, roles, out, subj)
	}
	return out
}

// roles decides the role of each property of o, then settles who carries
// the message: a string `error` beside another message carries the
// status text (Spring's {error: "Bad Request", message: ...}), and a
// title carries the message when nothing else can.
func (fl *filler) roles(o *object, at where, problem bool) map[string]role {
	roles := make(map[string]role, len(o.props))
	messages := 0
	for _, name := range o.names {
		r := roleFor(name, o.props[name], at, problem)
		roles[name] = r
		if r == roleMessage {
			messages++
		}
	}
	for _, name := range o.names {
		if roles[name] == roleMessage && normalize(name) == "error" && messages > 1 {
			roles[name] = roleTitle
			messages--
		}
	}
	_, detail := o.props["detail"]
	willAddDetail := problem && !o.closed && !detail
	if messages == 0 && !willAddDetail {
		for _, name := range o.names {
			if roles[name] == roleTitle {
				roles[name] = roleMessage
				break
			}
		}
	}
	return roles
}

// problemMembers adds the RFC 9457 members a problem details object does
// not declare but allows (type, title, status, detail), and the problems
// as the extension member "errors" (RFC 9457 §3) when no declared
// property holds them. Each may be dropped if the schema refuses it.
func (fl *filler) problemMembers(ptr string, o *object, roles map[string]role, out map[string]any, subj subject) {
	std := []struct {
		name string
		r    role
	}{{"type", roleType}, {"title", roleTitle}, {"status", roleStatus}, {"detail", roleMessage}}
	for _, m := range std {
		if _, declared := o.props[m.name]; declared {
			continue
		}
		ref := stringSchema()
		if m.r == roleStatus {
			ref = &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeInteger}}}
		}
		// An example's own member says another problem: it is replaced.
		p := ptr + "/" + m.name
		ex, had := out[m.name]
		if v, ok := fl.fill(p, m.r, ref, ex, subj, false, false); ok {
			out[m.name] = v
			fl.slots[p] = &slot{ptr: p, alts: extraAlts(ex, had), extra: true}
		}
	}
	for _, r := range roles {
		if r == roleProblems {
			return
		}
	}
	ex, had := out["errors"]
	if _, isArray := ex.([]any); had && !isArray || len(fl.err.Problems) == 0 {
		return
	}
	p := ptr + "/errors"
	if v, ok := fl.problems(p, extensionSchema(ex), ex); ok {
		out["errors"] = v
		fl.slots[p] = &slot{ptr: p, alts: extraAlts(ex, had), extra: true}
	}
}

// extraAlts are the alternatives of a member Build adds: the example's
// value, if it had one, else nothing.
func extraAlts(ex any, had bool) []alt {
	if had {
		return []alt{{value: ex}, {drop: true}}
	}
	return []alt{{drop: true}}
}

// extensionSchema is the shape of the problems Build adds to problem
// details that declare none: [{detail, pointer | parameter | header}],
// the members RFC 9457 §3 and JSON:API's source use, with those of the
// example's first item when the example has such an array.
func extensionSchema(ex any) *openapi3.SchemaRef {
	props := openapi3.Schemas{}
	if arr, ok := ex.([]any); ok && len(arr) > 0 {
		if first, ok := arr[0].(map[string]any); ok {
			props = deref(schemaFromExample(first)).Properties
		}
	}
	for _, name := range []string{"detail", "pointer", "parameter", "header"} {
		if _, ok := props[name]; !ok {
			props[name] = stringSchema()
		}
	}
	item := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Properties: props}
	return &openapi3.SchemaRef{Value: &openapi3.Schema{
		Type:  &openapi3.Types{openapi3.TypeArray},
		Items: &openapi3.SchemaRef{Value: item},
	}}
}

// fill computes the value of a property with role r; ok is false when
// the error has nothing for it (a location for the whole request) or the
// schema cannot hold it.
func (fl *filler) fill(ptr string, r role, ref *openapi3.SchemaRef, ex any, subj subject, bare, pydantic bool) (any, bool) {
	code := fl.err.Code
	switch r {
	case roleMessage:
		return fl.text(ref, fl.message(subj, bare), ex), intends(ref, openapi3.TypeString)
	case roleTitle:
		return fl.word(ref, statusText(fl.status), ex)
	case roleCode:
		// The error's code, except in pydantic's items, which say a
		// kind ("missing", "value_error"); an enum takes the value
		// closest to the kind ("missing_field" for a required value).
		c, kind := string(code), string(code)
		if subj.p != nil && !subj.whole {
			kind = kindOf(*subj.p, code, pydantic)
			if pydantic {
				c = kind
			}
		}
		if lits := literals(ref); len(lits) > 0 {
			return pickWord(lits, wordsFor(kind, code, fl.status), ex)
		}
		return truncate(inStyle(c, ex), maxLength(ref)), true
	case roleStatus:
		return fl.statusValue(ref, ex)
	case roleType:
		return fl.typeURI(ref, ex)
	case roleProblems:
		if subj.p != nil && !subj.whole {
			return nil, false
		}
		return fl.problems(ptr, ref, ex)
	case roleNested:
		return fl.value(ptr, ref, ex, subject{}, -1) // the nested object is the whole error again
	}
	return fl.where(ptr, r, ref, ex, subj)
}

// message is what subj says is wrong: every problem joined for the whole
// error; one problem with its location, or without it when a location
// property carries that (bare).
func (fl *filler) message(subj subject, bare bool) string {
	switch {
	case (subj.p == nil || subj.whole) && len(fl.err.Problems) == 0:
		return statusText(fl.status)
	case subj.p == nil || subj.whole:
		return fl.err.Error()
	case bare && subj.p.Message != "":
		return subj.p.Message
	}
	return subj.p.String()
}

// text fits a message to a string schema: an enum's closest value, else
// the message cut to maxLength.
func (fl *filler) text(ref *openapi3.SchemaRef, s string, ex any) any {
	if lits := literals(ref); len(lits) > 0 {
		if v, ok := pickWord(lits, wordsFor(s, fl.err.Code, fl.status), ex); ok {
			return v
		}
	}
	return truncate(s, maxLength(ref))
}

// word is text for a short value (a title), when the schema takes a string.
func (fl *filler) word(ref *openapi3.SchemaRef, s string, ex any) (any, bool) {
	if !intends(ref, openapi3.TypeString) {
		return nil, false
	}
	return fl.text(ref, s, ex), true
}

// statusValue is the HTTP status as the schema takes it: a number, or a
// string ("400"); a string whose example is not a number is a code
// (Google's "status": "INVALID_ARGUMENT").
func (fl *filler) statusValue(ref *openapi3.SchemaRef, ex any) (any, bool) {
	lits := literals(ref)
	if intends(ref, openapi3.TypeInteger) {
		if len(lits) > 0 {
			if v, ok := pickStatus(lits, fl.status, ex); ok {
				return v, true
			}
		}
		return fl.status, true
	}
	if !intends(ref, openapi3.TypeString) {
		return nil, false
	}
	if s, ok := ex.(string); ok {
		if _, err := strconv.Atoi(s); err != nil {
			return fl.fill("", roleCode, ref, ex, subject{}, false, false)
		}
	}
	return fl.text(ref, strconv.Itoa(fl.status), ex), true
}

// typeURI is problem details' type: the example's when it is a URI (the
// media type's example, else the property's own), else "about:blank"
// (RFC 9457 §4.2.1).
func (fl *filler) typeURI(ref *openapi3.SchemaRef, ex any) (any, bool) {
	if !intends(ref, openapi3.TypeString) {
		return nil, false
	}
	var cands []string
	if s, ok := ex.(string); ok && uriLike(s) {
		cands = append(cands, s)
	}
	if s := deref(ref); s != nil {
		for _, v := range append([]any{s.Example}, s.Examples...) {
			if str, ok := v.(string); ok && uriLike(str) {
				cands = append(cands, str)
			}
		}
	}
	cands = append(cands, "about:blank")
	if lits := literals(ref); len(lits) > 0 {
		return pickWord(lits, append(cands, wordsFor(string(fl.err.Code), fl.err.Code, fl.status)...), ex)
	}
	return cands[0], true
}

// uriLike reports whether s reads as a URI or an absolute reference.
func uriLike(s string) bool {
	return strings.Contains(s, ":") || strings.HasPrefix(s, "/")
}

// problems fills an array with one item per problem, shaped as the first
// item of the example's array where there is one.
func (fl *filler) problems(ptr string, ref *openapi3.SchemaRef, ex any) (any, bool) {
	items := itemsOf(ref)
	var baseItem any
	if arr, ok := ex.([]any); ok && len(arr) > 0 {
		baseItem = arr[0]
	}
	probs := fl.err.Problems
	if m := maxItems(ref); m >= 0 && len(probs) > m {
		probs = probs[:m]
	}
	out := make([]any, 0, len(probs))
	for i := range probs {
		subj := subject{p: &probs[i], pl: placeOf(probs[i])}
		v, ok := fl.item(ptr+"/"+strconv.Itoa(i), items, clone(baseItem), subj)
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// arraySlot records an array of problems: one the schema refuses becomes
// empty (the message still says it all), or goes when it is optional.
func (fl *filler) arraySlot(ptr string, ref *openapi3.SchemaRef, required bool) {
	var alts []alt
	if minItems(ref) == 0 {
		alts = append(alts, alt{value: []any{}})
	}
	if !required {
		alts = append(alts, alt{drop: true})
	}
	fl.slots[ptr] = &slot{ptr: ptr, alts: alts}
}

// item fills one problem's item: an object, or a string.
func (fl *filler) item(ptr string, ref *openapi3.SchemaRef, base any, subj subject) (any, bool) {
	if deref(ref) == nil || deref(ref).Always != nil {
		if m, ok := base.(map[string]any); ok {
			ref = schemaFromExample(m)
		} else {
			return subj.p.String(), true
		}
	}
	switch shape(ref, base) {
	case openapi3.TypeObject:
		m, _ := base.(map[string]any)
		return fl.object(ptr, objectOf(ref, -1), m, subj, atProblem, false), true
	case openapi3.TypeString:
		return fl.text(ref, subj.p.String(), base), true
	}
	return nil, false
}

// where fills a property that places a problem, in the form its schema
// takes: a string, the location split (FastAPI's loc: ["body",
// "device_id"]), or an object of places (JSON:API's source: {pointer}).
func (fl *filler) where(ptr string, r role, ref *openapi3.SchemaRef, ex any, subj subject) (any, bool) {
	if subj.p == nil {
		return nil, false
	}
	pl := subj.pl
	switch shape(ref, ex) {
	case openapi3.TypeArray:
		if (r != roleWhere && r != roleName) || len(pl.segments) == 0 {
			return nil, false
		}
		segs := pl.segments
		if r == roleName {
			segs = segs[1:]
		}
		ints := intends(itemsOf(ref), openapi3.TypeInteger)
		out := make([]any, len(segs))
		for i, s := range segs {
			if n, ok := s.(int); ok && !ints {
				s = strconv.Itoa(n)
			}
			out[i] = s
		}
		return out, len(out) > 0
	case openapi3.TypeObject:
		if r != roleWhere {
			return nil, false
		}
		o := objectOf(ref, -1)
		m, _ := ex.(map[string]any)
		v := fl.object(ptr, o, m, subj, atProblem, false)
		return v, len(v) > 0
	}
	if !intends(ref, openapi3.TypeString) {
		return nil, false
	}
	hash := fl.fm.problem
	if s, ok := ex.(string); ok {
		hash = strings.HasPrefix(s, "#")
	}
	cands := placeStrings(r, pl, hash)
	if len(cands) == 0 {
		return nil, false
	}
	if lits := literals(ref); len(lits) > 0 {
		for _, c := range cands {
			for _, l := range lits {
				if l == c {
					return c, true
				}
			}
		}
		return nil, false
	}
	return truncate(cands[0], maxLength(ref)), true
}

// places reports whether a property with role r and schema ref can say
// where the problem at pl is.
func places(r role, ref *openapi3.SchemaRef, pl place) bool {
	switch shape(ref, nil) {
	case openapi3.TypeArray:
		return r == roleWhere && len(pl.segments) > 0 || r == roleName && len(pl.segments) > 1
	case openapi3.TypeObject:
		return r == roleWhere && pl.full != ""
	}
	return len(placeStrings(r, pl, false)) > 0
}

// empty is the empty value of a shape: "", [], {}; null for another.
func empty(shape string) any {
	switch shape {
	case openapi3.TypeString:
		return ""
	case openapi3.TypeArray:
		return []any{}
	case openapi3.TypeObject:
		return map[string]any{}
	}
	return nil
}

// placeStrings lists the strings that can say where a problem is for
// role r, most precise first.
func placeStrings(r role, pl place, hash bool) []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	switch r {
	case roleWhere:
		add(pl.full)
		add(pl.in)
	case roleName:
		add(pl.name)
	case roleIn:
		add(pl.in)
	case rolePointer:
		if pl.in == "body" {
			if hash {
				out = append(out, "#"+pl.pointer)
			} else {
				out = append(out, pl.pointer)
			}
		}
	case roleParameter:
		if pl.in == "query" || pl.in == "path" || pl.in == "cookie" {
			add(pl.name)
		}
	case roleHeader:
		if pl.in == "header" {
			add(pl.name)
		}
	}
	return out
}

// clone deep-copies a decoded JSON value, so that filling never changes
// the examples a Formats holds.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = clone(e)
		}
		return out
	}
	return v
}
