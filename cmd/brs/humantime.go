package main

import (
	"fmt"
	"time"
)

// humanDuration writes d, rounded to the second, the way a person reads it: 45s,
// 12m05s, 3h04m, 2d05h. Negative durations get a leading minus.
func humanDuration(d time.Duration) string {
	if d < 0 {
		return "-" + humanDuration(-d)
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd%02dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}

// relative describes t as seen at now: "in 5m00s", "12s ago", or "-" for the zero time.
func relative(t, now time.Time) string {
	switch {
	case t.IsZero():
		return "-"
	case t.After(now):
		return "in " + humanDuration(t.Sub(now))
	case now.Sub(t) < time.Second:
		return "now"
	}
	return humanDuration(now.Sub(t)) + " ago"
}

// rfc3339 formats t in UTC, or "" for the zero time (left out of JSON).
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
