package specdiag

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// SchemaError explains why the JSON Schema compiler (schema.Compiler)
// could not compile the schema at ptr of file: a schema the meta-schema
// rejects, an invalid pattern, a $ref or $schema it cannot resolve.
func (x *Explainer) SchemaError(file, ptr string, err error) diag.List {
	var out diag.List
	var sve *jsonschema.SchemaValidationError
	if errors.As(err, &sve) {
		f, base := x.schemaURL(sve.URL, file, ptr)
		var ve *jsonschema.ValidationError
		if errors.As(sve.Err, &ve) {
			// A pattern the regexp engine rejects fails the meta-schema's
			// `format: regex`: say so in the words kin-openapi used.
			// Not len(out): a schema $ref'd twice gives the same diagnostic
			// twice, and add keeps only the first.
			found := false
			schema.EachError(ve, func(e *jsonschema.ValidationError) {
				if k, ok := e.ErrorKind.(*kind.Format); ok && k.Want == "regex" && k.Err != nil {
					found = true
					src := fmt.Sprint(k.Got)
					p := base + jsonptr.Join(e.InstanceLocation)
					if len(e.InstanceLocation) == 0 { // a patternProperties key: its location is its own
						p = x.patternKey(f, base, src)
					}
					out = x.add(out, f, x.line(f, p), p, fmt.Sprintf("pattern %q is not a valid regular expression: %v", src, k.Err))
				}
			})
			if found {
				return out
			}
			leaves := schema.Leaves(ve)
			for _, l := range leaves {
				p := base + jsonptr.Join(l.At)
				out = x.add(out, f, x.line(f, p), p, "invalid schema: "+fieldName(p)+": "+l.Msg)
			}
			if len(leaves) > 0 {
				return out
			}
		}
		return x.add(out, f, x.line(f, base), base, "invalid schema: "+x.cleanURLs(firstLine(sve.Err.Error())))
	}
	var (
		rx   *jsonschema.InvalidRegexError
		anc  *jsonschema.AnchorNotFoundError
		jp   *jsonschema.JSONPointerNotFoundError
		load *jsonschema.LoadURLError
		drft *jsonschema.UnsupportedDraftError
	)
	switch {
	case errors.As(err, &rx):
		f, p := x.schemaURL(rx.URL, file, ptr)
		return x.add(out, f, x.line(f, p), p, fmt.Sprintf("pattern %q is not a valid regular expression: %v", rx.Regex, rx.Err))
	case errors.As(err, &anc):
		_, frag, _ := strings.Cut(anc.Reference, "#")
		return x.atRef(out, file, ptr, func(v string) bool { return strings.HasSuffix(v, "#"+frag) },
			fmt.Sprintf("invalid schema: %q: the schema has no anchor %q", "#"+frag, frag))
	case errors.As(err, &jp):
		target := x.shortURL(jp.URL)
		_, frag, _ := strings.Cut(jp.URL, "#")
		if u, err := url.Parse(jp.URL); err == nil {
			frag = u.Fragment
		}
		return x.atRef(out, file, ptr, func(v string) bool { _, vf, _ := strings.Cut(v, "#"); return vf == frag },
			fmt.Sprintf("invalid schema: $ref target %s does not exist", target))
	case errors.As(err, &load):
		u := load.URL
		return x.atRef(out, file, ptr, func(v string) bool { return refMatchesURL(v, u) },
			"invalid schema: "+x.cleanURLs(firstLine(loadMessage(load))))
	case errors.As(err, &drft):
		u := drft.URL
		return x.atRef(out, file, ptr, func(v string) bool { return refMatchesURL(v, u) },
			fmt.Sprintf("invalid schema: $schema %q is not a supported JSON Schema draft", u))
	}
	// Anything else: the schema URL it names, when it is one of ours.
	f, p := file, ptr
	if u := urlField(err); u != "" {
		f, p = x.schemaURL(u, file, ptr)
	}
	return x.add(out, f, x.line(f, p), p, "invalid schema: "+x.cleanURLs(firstLine(err.Error())))
}

func loadMessage(e *jsonschema.LoadURLError) string {
	if e.Err != nil && strings.Contains(e.Err.Error(), e.URL) {
		return e.Err.Error()
	}
	return fmt.Sprintf("cannot load %s: %v", e.URL, e.Err)
}

// atRef reports msg at the $ref under ptr that match accepts, else at ptr.
func (x *Explainer) atRef(out diag.List, file, ptr string, match func(string) bool, msg string) diag.List {
	if v, ok := x.valueAt(file, ptr); ok {
		var at string
		if walkRefs(v, ptr, func(p, ref string) bool { at = p; return match(ref) }) {
			return x.add(out, file, x.line(file, at), at, msg)
		}
	}
	return x.add(out, file, x.line(file, ptr), ptr, msg)
}

// refMatchesURL reports whether a $ref (or $schema) as written may resolve
// to the absolute URL u.
func refMatchesURL(ref, u string) bool {
	if ref == u {
		return true
	}
	rp, _, _ := strings.Cut(ref, "#")
	up, _, _ := strings.Cut(u, "#")
	return rp != "" && (rp == up || strings.HasSuffix(up, "/"+strings.TrimPrefix(rp, "./")))
}

// schemaURL maps a compiler URL (file://...#/ptr) to a file and pointer,
// or to file and ptr when it is not one of the spec's files.
func (x *Explainer) schemaURL(u, file, ptr string) (string, string) {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "file" {
		return file, ptr
	}
	f := x.name("file://" + parsed.EscapedPath())
	if x.raw(f) == nil {
		return file, ptr
	}
	return f, parsed.Fragment
}

// shortURL renders a compiler URL with the file's display name.
func (x *Explainer) shortURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "file" {
		return u
	}
	s := x.name("file://" + parsed.EscapedPath())
	if parsed.Fragment != "" {
		s += "#" + parsed.Fragment
	}
	return s
}

var fileURL = regexp.MustCompile(`file://[^\s"']+`)

// cleanURLs replaces the compiler's file:// URLs by display names.
func (x *Explainer) cleanURLs(s string) string {
	return fileURL.ReplaceAllStringFunc(s, x.shortURL)
}

// urlField returns the URL field of a compiler error, if it has one.
func urlField(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
			if f := v.Elem().FieldByName("URL"); f.IsValid() && f.Kind() == reflect.String {
				return f.String()
			}
		}
	}
	return ""
}

// patternKey finds the patternProperties key src within the schema at base
// of file f (base itself when it is not found).
func (x *Explainer) patternKey(f, base, src string) string {
	raw := x.raws[f]
	if raw == nil {
		return base
	}
	suffix := "/patternProperties/" + jsonptr.Escape(src)
	best := base
	v, _ := jsonptr.Lookup(raw.Value, base)
	eachPointer(v, base, func(p string) {
		if strings.HasSuffix(p, suffix) && (best == base || p < best) {
			best = p
		}
	})
	return best
}

// eachPointer calls f with the pointer of every value inside v, which is
// at ptr.
func eachPointer(v any, ptr string, f func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, item := range x {
			p := ptr + "/" + jsonptr.Escape(k)
			f(p)
			eachPointer(item, p, f)
		}
	case []any:
		for i, item := range x {
			p := ptr + "/" + strconv.Itoa(i)
			f(p)
			eachPointer(item, p, f)
		}
	}
}
