package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// knownFailures are valid requests known to get no conforming 2xx, each
// with why, keyed by "DOCUMENT METHOD PATH" (DOCUMENT the file's base
// name). -strict does not fail on them, and fails when one of them passes
// or names no operation: the list can only shrink.
type knownFailures map[string]string

// readKnown reads a known-failures file: one "DOCUMENT METHOD PATH: why"
// per line; blank lines and lines starting with # are skipped.
func readKnown(path string) (knownFailures, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k := knownFailures{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, why, _ := strings.Cut(line, ": ")
		fields := strings.Fields(key)
		if len(fields) != 3 || strings.TrimSpace(why) == "" {
			return nil, fmt.Errorf("%s:%d: want DOCUMENT METHOD PATH: WHY, got %q", path, i+1, line)
		}
		k[strings.Join(fields, " ")] = strings.TrimSpace(why)
	}
	return k, nil
}

// key is the known-failures key of the document's operation.
func (d *docReport) key(o opReport) string {
	return filepath.Base(d.path) + " " + o.method + " " + o.path
}

// knownProblems lists the document's known failures that no longer hold:
// an operation that passes now, or an entry that names no operation.
func (d *docReport) knownProblems(known knownFailures) []string {
	var out []string
	prefix := filepath.Base(d.path) + " "
	for _, o := range d.ops {
		if _, ok := known[d.key(o)]; ok && o.skipped == "" && o.valid.verdict == vOK {
			out = append(out, fmt.Sprintf("%s %s conforms now: take it off the known failures", o.method, o.path))
		}
	}
	if d.refused != "" || d.failure != "" {
		return out
	}
	var stale []string
	for k := range known {
		if strings.HasPrefix(k, prefix) && !slices.ContainsFunc(d.ops, func(o opReport) bool { return d.key(o) == k }) {
			stale = append(stale, fmt.Sprintf("known failure %q names no operation of the document", strings.TrimPrefix(k, prefix)))
		}
	}
	slices.Sort(stale)
	return append(out, stale...)
}
