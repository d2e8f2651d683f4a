package apispec

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/suggest"
	"github.com/gorilla/mux"
)

// buildRouter registers every documented path with gorilla/mux. Literal
// paths are registered before templated ones, segment by segment, so
// /users/me wins over /users/{id} as OpenAPI requires.
//
// gorilla/mux tries routes one by one, so one router over thousands of
// paths would make every request pay for all of them. Paths are bucketed
// by their first two segments (a parameter segment counts as "*"), each
// bucket its own mux.Router, so a request tries only the few paths that
// share its prefix, and routing cost stays flat as the spec grows.
func (s *Spec) buildRouter(entries map[string]*pathEntry) diag.List {
	s.buckets = map[string]*mux.Router{}
	tpls := make([]string, 0, len(entries))
	for t := range entries {
		tpls = append(tpls, t)
	}
	sort.Slice(tpls, func(i, j int) bool { return pathLess(tpls[i], tpls[j]) })
	var diags diag.List
	for _, k := range tpls {
		e := entries[k]
		t := e.template
		methods := make([]string, 0, len(e.byMethod))
		for m, ops := range e.byMethod {
			methods = append(methods, m)
			slices.SortStableFunc(ops, func(a, b *Operation) int { // twins: in document order
				if a.File != b.File {
					return strings.Compare(a.File, b.File)
				}
				return a.Line - b.Line
			})
			for _, op := range ops {
				op.renames = renames(t, op.Path)
			}
		}
		sort.Strings(methods)
		e.allow = strings.Join(methods, ", ")
		key := bucketKey(templateSegments(t))
		r := s.buckets[key]
		if r == nil {
			r = mux.NewRouter()
			s.buckets[key] = r
		}
		route := r.Path(t)
		if err := route.GetError(); err != nil {
			diags.Add(e.file, e.line, "path %q cannot be routed: %v", t, err)
			continue
		}
		s.paths[route] = e
		s.tpls = append(s.tpls, t)
		s.longest = max(s.longest, len(t))
	}
	sort.Slice(s.ops, func(i, j int) bool {
		if s.ops[i].Path != s.ops[j].Path {
			return s.ops[i].Path < s.ops[j].Path
		}
		return s.ops[i].Method < s.ops[j].Method
	})
	return diags
}

// pathLess orders templates so literal segments come before parameters.
func pathLess(a, b string) bool {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		ap, bp := strings.Contains(as[i], "{"), strings.Contains(bs[i], "{")
		if ap != bp {
			return !ap
		}
		if as[i] != bs[i] {
			return as[i] < bs[i]
		}
	}
	return len(as) < len(bs)
}

// templateSegments returns a template's first two segments, a parameter
// (or partly parameter) segment as "*".
func templateSegments(tpl string) [2]string {
	var out [2]string
	rest := strings.TrimPrefix(tpl, "/")
	for i := range out {
		seg, after, _ := strings.Cut(rest, "/")
		if strings.Contains(seg, "{") {
			seg = "*"
		}
		out[i], rest = seg, after
	}
	return out
}

func bucketKey(segs [2]string) string { return segs[0] + "/" + segs[1] }

// match finds the route for r: in the bucket of its first two segments,
// then in the buckets where either (or both) is a parameter — literal
// paths first, as in a single router.
func (s *Spec) match(r *http.Request, m *mux.RouteMatch) bool {
	rest := strings.TrimPrefix(r.URL.Path, "/")
	a, rest, _ := strings.Cut(rest, "/")
	b, _, _ := strings.Cut(rest, "/")
	for _, key := range [4][2]string{{a, b}, {a, "*"}, {"*", b}, {"*", "*"}} {
		if key[0] == "*" && a == "" || key[1] == "*" && b == "" {
			continue // a parameter never matches an empty segment
		}
		if router := s.buckets[key[0]+"/"+key[1]]; router != nil && router.Match(r, m) {
			return true
		}
		*m = mux.RouteMatch{}
	}
	return false
}

// Route finds the operation for r by path and method only — never by host,
// so the mock answers on localhost, 127.0.0.1 or behind a port map alike.
// A path nothing documents is not_found, naming the closest documented
// path; a method the path does not document is method_not_allowed.
func (s *Spec) Route(r *http.Request) (*Operation, map[string]string, *reqerr.Error) {
	matches, err := s.RouteAll(r)
	if err != nil {
		return nil, nil, err
	}
	return matches[0].Op, matches[0].Params, nil
}

// Match is an operation a request is routed to, with the request's path
// parameters under the names that operation gives them.
type Match struct {
	Op     *Operation
	Params map[string]string
}

// RouteAll is Route, with the operation's twins after it: operations on
// path keys that differ only by a #fragment, a ?query or the names of
// their parameters, in document order. A request goes to the first whose
// request schemas accept it.
func (s *Spec) RouteAll(r *http.Request) ([]Match, *reqerr.Error) {
	var m mux.RouteMatch
	if !s.match(r, &m) {
		if closest := s.closest(r.URL.Path); closest != "" {
			return nil, reqerr.New(reqerr.NotFound, "", "no operation is documented for %s; the closest documented path is %s", r.URL.Path, closest)
		}
		return nil, reqerr.New(reqerr.NotFound, "", "no operation is documented for %s", r.URL.Path)
	}
	e := s.paths[m.Route]
	ops := e.byMethod[r.Method]
	if len(ops) == 0 {
		err := reqerr.New(reqerr.MethodNotAllowed, "", "method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, e.allow)
		err.Allow = strings.Split(e.allow, ", ")
		return nil, err
	}
	out := make([]Match, len(ops))
	for i, op := range ops {
		out[i] = Match{Op: op, Params: renameParams(m.Vars, op.renames)}
	}
	return out, nil
}

// paramRename is a route parameter a twin's path key names otherwise.
type paramRename struct{ route, key string }

// renames lists the parameters of route that the path key tpl names
// otherwise (the same segments); nil when none is.
func renames(route, tpl string) []paramRename {
	from, to := paramNames(route), paramNames(tpl)
	if slices.Equal(from, to) || len(from) != len(to) {
		return nil
	}
	out := make([]paramRename, len(from))
	for i := range from {
		out[i] = paramRename{from[i], to[i]}
	}
	return out
}

// renameParams gives the parameters matched by the route the names of
// the operation's own path key.
func renameParams(vars map[string]string, renames []paramRename) map[string]string {
	if renames == nil {
		return vars
	}
	out := make(map[string]string, len(vars))
	for _, r := range renames {
		out[r.key] = vars[r.route]
	}
	return out
}

// paramNames lists a template's parameter names, in order.
func paramNames(tpl string) []string {
	var names []string
	for seg := range strings.SplitSeq(routeOf(tpl), "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			names = append(names, seg[1:len(seg)-1])
		}
	}
	return names
}

// closest returns the documented template nearest to path, by edit
// distance after filling the template's parameters from path's segments.
func (s *Spec) closest(path string) string {
	// Past the longest template, extra bytes only add the same number of
	// edits to every candidate: they cannot change which one is closest
	// by much, and would make a hostile path cost milliseconds.
	if limit := s.longest + 16; len(path) > limit {
		path = path[:limit]
	}
	segs := strings.Split(path, "/")
	best, bestD := "", len(path)+s.longest+1
	for _, t := range s.tpls {
		if d, ok := suggest.Within(path, fill(t, segs), bestD-1); ok {
			best, bestD = t, d
		}
	}
	return best
}

// fill replaces each {param} segment of tpl by the request's segment at
// the same position, so /users/{id} compares to /users/42 as /users/42.
func fill(tpl string, segs []string) string {
	ts := strings.Split(tpl, "/")
	for i, t := range ts {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") && i < len(segs) {
			ts[i] = segs[i]
		}
	}
	return strings.Join(ts, "/")
}
