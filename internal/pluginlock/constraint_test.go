package pluginlock

import "testing"

func TestConstraints(t *testing.T) {
	cases := []struct {
		c     string
		allow []string
		deny  []string
	}{
		{"1.2.3", []string{"1.2.3"}, []string{"1.2.4", "1.2.2", "1.2.3-rc1"}},
		{"= 1.2.3", []string{"1.2.3"}, []string{"1.3.0"}},
		{"~> 1.2", []string{"1.2.0", "1.2.9", "1.9.0"}, []string{"1.1.9", "2.0.0", "2.0.0-beta"}},
		{"~> 1.2.3", []string{"1.2.3", "1.2.10"}, []string{"1.2.2", "1.3.0"}},
		{"~> 1", []string{"1.0.0", "1.99.0"}, []string{"0.9.0", "2.0.0"}},
		{">= 1.2, < 2.0, != 1.5.0", []string{"1.2.0", "1.9.9"}, []string{"1.1.0", "1.5.0", "2.0.0"}},
		{"> 1.0.0", []string{"1.0.1"}, []string{"1.0.0", "1.1.0-rc1"}},
		{"<= 1.0.0", []string{"1.0.0", "0.1.0"}, []string{"1.0.1"}},
		{"1.3.0-rc1", []string{"1.3.0-rc1"}, []string{"1.3.0"}},
	}
	for _, tc := range cases {
		c, err := ParseConstraints(tc.c)
		if err != nil {
			t.Fatalf("%q: %v", tc.c, err)
		}
		for _, v := range tc.allow {
			if !c.Allows(v) {
				t.Errorf("%q does not allow %s", tc.c, v)
			}
		}
		for _, v := range tc.deny {
			if c.Allows(v) {
				t.Errorf("%q allows %s", tc.c, v)
			}
		}
	}
	for _, bad := range []string{"", "~>", "v1.2.3", "1.x", "latest", ">= 1.2,", "1.2.3.4"} {
		if _, err := ParseConstraints(bad); err == nil {
			t.Errorf("ParseConstraints(%q) accepted", bad)
		}
	}
	c, _ := ParseConstraints("~> 1.2")
	if got := c.Newest([]string{"1.1.0", "1.2.0", "1.10.0", "1.9.0", "2.0.0", "junk"}); got != "1.10.0" {
		t.Errorf("Newest = %q, want 1.10.0", got)
	}
	if got := c.Newest([]string{"2.0.0"}); got != "" {
		t.Errorf("Newest = %q, want none", got)
	}
}
