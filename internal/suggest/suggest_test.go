package suggest

import (
	"math/rand/v2"
	"testing"
)

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"/v1/backup", "/v1/backups", 1},
		{"same", "same", 0},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"mfa/backup/reused_code", "mfa/backup/valid_code"}
	if got, ok := Closest("mfa/backup/reused_kode", known); !ok || got != "mfa/backup/reused_code" {
		t.Errorf("Closest(typo) = %q, %v", got, ok)
	}
	if got, ok := Closest("orders/create", known); ok {
		t.Errorf("Closest(unrelated) = %q, want none", got)
	}
	scenarios := []string{"default", "reused-code", "reused-code-twice", "valid-code"}
	if got, ok := Closest("Reused", scenarios); !ok || got != "reused-code" {
		t.Errorf("Closest(a name cut short) = %q, %v; want the shortest it begins, reused-code", got, ok)
	}
	if got, ok := Closest("", scenarios); ok {
		t.Errorf("Closest(\"\") = %q, want none", got)
	}
}

// Within agrees with the full distance: it reports it when it is within
// the limit and false otherwise, whatever the cut-offs skipped.
func TestWithinAgreesWithDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = "ab/c"[rng.IntN(4)]
		}
		return string(b)
	}
	for range 5000 {
		a, b, limit := word(), word(), rng.IntN(10)
		want := reference(a, b)
		d, ok := Within(a, b, limit)
		if ok != (want <= limit) || ok && d != want {
			t.Fatalf("Within(%q, %q, %d) = %d, %v; the distance is %d", a, b, limit, d, ok, want)
		}
	}
}

// reference is the textbook recursion, memoised.
func reference(a, b string) int {
	memo := map[[2]int]int{}
	var d func(i, j int) int
	d = func(i, j int) int {
		if i == 0 || j == 0 {
			return i + j
		}
		if v, ok := memo[[2]int{i, j}]; ok {
			return v
		}
		cost := 1
		if a[i-1] == b[j-1] {
			cost = 0
		}
		v := min(d(i-1, j)+1, d(i, j-1)+1, d(i-1, j-1)+cost)
		memo[[2]int{i, j}] = v
		return v
	}
	return d(len(a), len(b))
}
