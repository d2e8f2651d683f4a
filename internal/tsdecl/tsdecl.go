// Package tsdecl writes TypeScript declarations for Go types that are sent
// as JSON: each struct becomes an interface whose fields are the JSON
// names, optional where omitempty or omitzero may leave them out. It
// reads the types by reflection, so the declarations cannot drift from
// what encoding/json writes.
package tsdecl

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Named is a Go type declared under a TypeScript name.
type Named struct {
	Name string
	Type reflect.Type
	Doc  string // a one-line comment above the declaration
}

// Writer declares types in order; a struct met inside another is declared
// too, under its Go name, the first time it is met.
type Writer struct {
	// Override gives the TypeScript type of Go types that encode
	// themselves (a json.Marshaler), keyed by the Go type.
	Override map[reflect.Type]string

	names    map[reflect.Type]string // declared or to declare
	pending  []reflect.Type
	declared map[reflect.Type]bool
}

// Declare writes an interface for each named struct, and those they use.
func (w *Writer) Declare(out io.Writer, types ...Named) error {
	if w.names == nil {
		w.names, w.declared = map[reflect.Type]string{}, map[reflect.Type]bool{}
	}
	docs := map[reflect.Type]string{}
	for _, n := range types {
		w.names[n.Type] = n.Name
		docs[n.Type] = n.Doc
	}
	for _, n := range types {
		w.pending = append(w.pending, n.Type)
	}
	var b strings.Builder
	for len(w.pending) > 0 {
		t := w.pending[0]
		w.pending = w.pending[1:]
		if w.declared[t] {
			continue
		}
		w.declared[t] = true
		if d := docs[t]; d != "" {
			fmt.Fprintf(&b, "/** %s */\n", d)
		}
		if t.Kind() != reflect.Struct {
			fmt.Fprintf(&b, "export type %s = %s;\n\n", w.names[t], w.typeOf(t))
			continue
		}
		fmt.Fprintf(&b, "export interface %s ", w.names[t])
		b.WriteString(w.object(t, ""))
		b.WriteString("\n\n")
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// object renders a struct's fields as an object type, indented by indent.
func (w *Writer) object(t reflect.Type, indent string) string {
	var b strings.Builder
	b.WriteString("{\n")
	w.fields(&b, t, indent+"  ")
	b.WriteString(indent + "}")
	return b.String()
}

// fields writes t's JSON fields, embedded structs' fields inlined as
// encoding/json does.
func (w *Writer) fields(b *strings.Builder, t reflect.Type, indent string) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			w.fields(b, f.Type, indent) // inlined, exported or not, as encoding/json does
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		ts := f.Tag.Get("ts") // the field's type, where the Go type says less
		if ts == "" {
			ts = w.typeOf(f.Type)
		}
		q := "?"
		if !optional {
			q = ""
		}
		fmt.Fprintf(b, "%s%s%s: %s;\n", indent, propName(name), q, ts)
	}
}

var timeType = reflect.TypeFor[time.Time]()

// typeOf is the TypeScript type of values of t, as encoding/json writes
// them.
func (w *Writer) typeOf(t reflect.Type) string {
	if o, ok := w.Override[t]; ok {
		return o
	}
	if t == timeType {
		return "string"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return w.typeOf(t.Elem()) + " | null"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		elem := w.typeOf(t.Elem())
		if strings.Contains(elem, " ") {
			elem = "(" + elem + ")"
		}
		return elem + "[]" // the types declared never send a nil slice (null)
	case reflect.Map:
		return "Record<string, " + w.typeOf(t.Elem()) + ">"
	case reflect.Interface:
		return "unknown"
	case reflect.Struct:
		if name, ok := w.names[t]; ok {
			if !w.declared[t] {
				w.pending = append(w.pending, t)
			}
			return name
		}
		if t.Name() != "" {
			w.names[t] = t.Name()
			w.pending = append(w.pending, t)
			return t.Name()
		}
		var b strings.Builder // an anonymous struct, on one line
		w.fields(&b, t, "")
		return "{ " + strings.ReplaceAll(strings.TrimSuffix(b.String(), "\n"), "\n", " ") + " }"
	}
	return "unknown"
}

// Union renders string literals as a union type ("never" for none).
func Union(values []string) string {
	if len(values) == 0 {
		return "never"
	}
	sorted := append([]string(nil), values...)
	sort.Strings(sorted)
	parts := make([]string, len(sorted))
	for i, v := range sorted {
		parts[i] = quote(v)
	}
	return strings.Join(parts, " | ")
}

// quote renders s as a TypeScript string literal (JSON's syntax is one).
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// propName renders a property name: bare when it is an identifier.
func propName(s string) string {
	for i, r := range s {
		if !(r == '_' || r == '$' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			return quote(s)
		}
	}
	if s == "" {
		return quote(s)
	}
	return s
}
