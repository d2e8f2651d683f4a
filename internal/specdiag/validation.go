package specdiag

import (
	"errors"
	"fmt"
	"reflect"
	"regexp/syntax"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/arklow/arklow-mock/internal/schema/pattern"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ValidationError explains an error of kin-openapi's validation of the
// document file (openapi3.T.Validate): one diagnostic per error, for an
// openapi3.MultiError (openapi3.EnableMultiError). Lines are exact when
// the document was loaded with origins (openapi3.Loader.IncludeOrigin);
// without, they are those of the closest object kin's wrappers name.
func (x *Explainer) ValidationError(file string, err error) diag.List {
	var leaves []error
	if me, ok := err.(openapi3.MultiError); ok {
		leaves = me
	} else {
		leaves = []error{err}
	}
	var out diag.List
	for _, e := range leaves {
		f, line, ptr, msg := x.validation(file, e)
		out = x.add(out, f, line, ptr, msg)
	}
	return out
}

var originType = reflect.TypeFor[*openapi3.Origin]()

// validation locates one validation error of doc file. Its context wrappers
// give the pointer of an ancestor; an Origin (present when loaded with
// origins) gives the exact file and line of the offending object.
func (x *Explainer) validation(file string, err error) (f string, line int, ptr, msg string) {
	var (
		origin *openapi3.Origin
		field  string
		leafE  error
		exact  string // a pointer the error itself carries
		open   = true // the wrappers so far spell a pointer
	)
	ptr = ""
	for e := err; e != nil; e = errors.Unwrap(e) {
		if leafE == nil {
			if seg, ok := x.wrapperSegment(file, e); ok {
				if seg == "" {
					open = false // somewhere below: the Origin, if any, says where
				} else if open {
					ptr += seg
				}
				continue
			}
			leafE = e
		}
		if origin == nil {
			origin, field = originOf(e)
		}
		if exact == "" {
			exact = pointerField(e)
		}
	}
	if leafE == nil {
		leafE = err
	}
	msg = validationMessage(leafE)
	f = file
	switch {
	case exact != "":
		ptr = exact
		line = x.keyLine(f, ptr)
	case origin != nil:
		f, line, ptr = x.atOrigin(file, origin, field, ptr)
		if r := refine(leafE, ptr, true); r != ptr && f == file && x.exactLine(f, r) > 0 {
			ptr, line = r, x.keyLine(f, r)
		}
	default:
		ptr = refine(leafE, ptr, false)
		line = x.keyLine(f, ptr)
	}
	return f, line, ptr, msg
}

// wrapperSegment is the pointer segment a kin validation wrapper adds
// ("/paths", "/~1pets", "/get", …); ok is false for an error that is not
// a wrapper. A wrapper whose place kin does not name gives "".
func (x *Explainer) wrapperSegment(file string, e error) (seg string, ok bool) {
	switch w := e.(type) {
	case *openapi3.SectionValidationError:
		return "/" + sectionKey(w.Section), true
	case *openapi3.PathValidationError:
		return "/" + jsonptr.Escape(w.Path), true
	case *openapi3.OperationValidationError:
		return "/" + strings.ToLower(w.Method), true
	case *openapi3.ComponentValidationError:
		return "/" + componentKey(w.Section) + "/" + jsonptr.Escape(w.Name), true
	case *openapi3.WebhookValidationError:
		return "/" + jsonptr.Escape(w.Name), true
	case *openapi3.TagValidationError:
		return "/" + x.tagIndex(file, w.Name), true
	case *openapi3.ExternalDocsURLValidationError:
		return "/url", true
	case *openapi3.HeaderFieldValidationError, *openapi3.MediaTypeExampleValidationError,
		*openapi3.MediaTypeEncodingValidationError, *openapi3.ParameterFieldValidationError,
		*openapi3.ParameterExampleValidationError, *openapi3.SecuritySchemeFlowValidationError,
		*openapi3.OAuthFlowValidationError, *openapi3.OAuthFlowFieldValidationError,
		*openapi3.SchemaCombinatorElementValidationError:
		return "", true
	}
	return "", false
}

// atOrigin locates an Origin: the key of the field at fault when the error
// names one, else the object (found by any of its fields' keys, or by the
// key heading it; kin's Key is not always the heading key).
func (x *Explainer) atOrigin(file string, o *openapi3.Origin, field, fallback string) (string, int, string) {
	fileName := file
	switch {
	case o.Key != nil && o.Key.File != "":
		fileName = x.name(o.Key.File)
	case len(o.Fields) > 0 && o.Fields[0].File != "":
		fileName = x.name(o.Fields[0].File)
	}
	n := x.node(fileName)
	if field != "" {
		if loc, ok := o.Fields.Lookup(field); ok {
			if p, ok := pointerAt(n, loc.Line, loc.Column, field, true); ok {
				return fileName, loc.Line, p
			}
		}
	}
	obj, ok := "", false
	for _, loc := range o.Fields {
		if p, found := pointerAt(n, loc.Line, loc.Column, loc.Name, true); found {
			obj, ok = parentPointer(p), true
			break
		}
	}
	if !ok && o.Key != nil {
		obj, ok = pointerAt(n, o.Key.Line, o.Key.Column, o.Key.Name, true)
		if !ok {
			obj, ok = pointerAt(n, o.Key.Line, o.Key.Column, "", false)
		}
	}
	switch {
	case ok:
		return fileName, x.keyLine(fileName, obj), obj
	case fileName != file && o.Key != nil:
		return fileName, o.Key.Line, "" // a position, but no pointer for it
	}
	return file, x.line(file, fallback), fallback
}

// originOf returns the Origin an error carries (kin fills it when the
// document is loaded with origins) and the field of the object at fault.
func originOf(e error) (*openapi3.Origin, string) {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, ""
	}
	s := v.Elem()
	f := s.FieldByName("Origin")
	if !f.IsValid() || f.Type() != originType || f.IsNil() {
		return nil, ""
	}
	o := f.Interface().(*openapi3.Origin)
	switch e := e.(type) {
	case *openapi3.SchemaPatternRegexError:
		return o, "pattern"
	case *openapi3.SchemaTypeError, *openapi3.InvalidSecuritySchemeTypeError:
		return o, "type"
	case *openapi3.APIKeyInInvalidError, *openapi3.InvalidParameterInError:
		return o, "in"
	case *openapi3.ServerURLTemplateError:
		return o, "url"
	case *openapi3.InvalidHTTPSchemeError:
		return o, "scheme"
	case *openapi3.SchemaMultipleOfNotPositiveError:
		return o, "multipleOf"
	case *openapi3.DuplicateRequiredFieldError:
		return o, "required"
	case *openapi3.ExtraSiblingFieldsError:
		if len(e.Fields) > 0 {
			return o, e.Fields[0]
		}
	case *openapi3.MutuallyExclusiveFieldsError:
		return o, e.Field2
	}
	for _, name := range []string{"ValueKind", "Field"} {
		if sf := s.FieldByName(name); sf.IsValid() && sf.Kind() == reflect.String {
			field := sf.String()
			if i := strings.LastIndexByte(field, '.'); i >= 0 {
				field = field[i+1:]
			}
			return o, field
		}
	}
	return o, ""
}

// pointerField returns the JSON pointer an error carries itself.
func pointerField(e error) string {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	if f := v.Elem().FieldByName("JSONPointer"); f.IsValid() && f.Kind() == reflect.String && strings.HasPrefix(f.String(), "/") {
		return f.String()
	}
	return ""
}

// refine narrows a pointer by what the error itself names. With an
// origin, ptr is already the object's.
func refine(e error, ptr string, origin bool) string {
	switch e := e.(type) {
	case *openapi3.PathMustStartWithSlashError:
		return "/paths/" + jsonptr.Escape(e.Path)
	case *openapi3.ConflictingPathsError:
		return "/paths/" + jsonptr.Escape(e.Path2)
	case *openapi3.PathParametersError:
		return "/paths/" + jsonptr.Escape(e.Path) + "/" + strings.ToLower(e.Method)
	case *openapi3.DuplicateOperationIDError:
		if origin {
			return ptr + "/operationId" // the origin is the duplicate's
		}
		if m, p, ok := strings.Cut(e.Endpoint2, " "); ok {
			return "/paths/" + jsonptr.Escape(p) + "/" + strings.ToLower(m) + "/operationId"
		}
	}
	return ptr
}

// sectionKey maps kin's section names to the document's keys.
func sectionKey(s string) string {
	switch s {
	case "external docs":
		return "externalDocs"
	}
	return jsonptr.Escape(s)
}

// componentKey maps kin's component kinds to keys under components.
func componentKey(s string) string {
	switch s {
	case "schema":
		return "schemas"
	case "parameter":
		return "parameters"
	case "header":
		return "headers"
	case "request body":
		return "requestBodies"
	case "response":
		return "responses"
	case "security scheme":
		return "securitySchemes"
	case "example":
		return "examples"
	case "link":
		return "links"
	case "callback":
		return "callbacks"
	case "path item":
		return "pathItems"
	}
	return jsonptr.Escape(s)
}

// tagIndex returns the index of the tag named name in file's tags.
func (x *Explainer) tagIndex(file, name string) string {
	if v, ok := x.valueAt(file, "/tags"); ok {
		if tags, ok := v.([]any); ok {
			for i, t := range tags {
				if m, ok := t.(map[string]any); ok && m["name"] == name {
					return strconv.Itoa(i)
				}
			}
		}
	}
	return "-"
}

// validationMessage words a validation error without kin's context
// prefixes (the pointer says where) and without its schema dumps.
func validationMessage(e error) string {
	var sp *openapi3.SchemaPatternRegexError
	if errors.As(e, &sp) {
		var se *syntax.Error
		if errors.As(sp, &se) {
			if se.Expr == sp.Pattern || se.Expr == "" {
				return fmt.Sprintf("pattern %q is not a valid regular expression: %s", sp.Pattern, se.Code)
			}
			return fmt.Sprintf("pattern %q is not a valid regular expression: %s: %s", sp.Pattern, se.Code, se.Expr)
		}
		var pe *pattern.SyntaxError
		if errors.As(sp, &pe) {
			return fmt.Sprintf("pattern %q is not a valid regular expression: %s", sp.Pattern, pe.Msg)
		}
		return fmt.Sprintf("pattern %q is not a valid regular expression", sp.Pattern)
	}
	var st *openapi3.SchemaTypeError
	if errors.As(e, &st) {
		return fmt.Sprintf("type %q is not a JSON Schema type (string, number, integer, boolean, array, object or null)", st.Type)
	}
	var sv *openapi3.SchemaValueError
	if errors.As(e, &sv) {
		var ve *jsonschema.ValidationError
		if errors.As(sv.Cause, &ve) {
			leaves := schema.Leaves(ve)
			if len(leaves) > 0 {
				at := ""
				if len(leaves[0].At) > 0 {
					at = " at " + jsonptr.Join(leaves[0].At)
				}
				return fmt.Sprintf("%s does not match its schema%s: %s", sv.ValueKind, at, leaves[0].Msg)
			}
		}
		var se *openapi3.SchemaError
		if errors.As(sv.Cause, &se) && se.Reason != "" {
			return fmt.Sprintf("%s does not match its schema: %s", sv.ValueKind, firstLine(se.Reason))
		}
	}
	msg := firstLine(e.Error())
	var rf *openapi3.RequiredFieldError
	if errors.As(e, &rf) {
		name := rf.Field[strings.LastIndexByte(rf.Field, '.')+1:]
		if name != "" && !strings.Contains(msg, name) {
			msg = name + ": " + msg
		}
	}
	return msg
}
