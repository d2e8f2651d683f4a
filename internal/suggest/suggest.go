// Package suggest finds the known name closest to a mistyped one, for
// "did you mean" messages.
package suggest

import "strings"

// Distance is the Levenshtein edit distance between a and b, in bytes.
func Distance(a, b string) int {
	d, _ := Within(a, b, max(len(a), len(b)))
	return d
}

// Within is Distance when it is at most limit; otherwise it reports false,
// having stopped as soon as no alignment could stay within the limit. A
// search for the closest of many candidates passes its best distance so
// far, and most candidates are dismissed after a few rows.
func Within(a, b string, limit int) (int, bool) {
	if len(a)-len(b) > limit || len(b)-len(a) > limit {
		return 0, false // every alignment inserts or deletes the difference
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return 0, false // distances never fall from one row to the next
		}
		prev, cur = cur, prev
	}
	if prev[len(b)] > limit {
		return 0, false
	}
	return prev[len(b)], true
}

// Closest returns the candidate nearest to name, if one is near enough to
// be a plausible typo: fewer edits than half of name's length, plus two;
// else the shortest candidate that name begins (a name cut short).
func Closest(name string, candidates []string) (string, bool) {
	best, bestD := "", len(name)/2+2
	for _, c := range candidates {
		if d, ok := Within(name, c, bestD-1); ok {
			best, bestD = c, d
		}
	}
	if best == "" && name != "" { // a name cut short: "reused" for "reused-code"
		for _, c := range candidates {
			if strings.HasPrefix(strings.ToLower(c), strings.ToLower(name)) && (best == "" || len(c) < len(best)) {
				best = c
			}
		}
	}
	return best, best != ""
}
