package suggest

import "testing"

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
}
