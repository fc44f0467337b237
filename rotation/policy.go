package rotation

import (
	"errors"
	"fmt"
	"time"
)

// ErrExpired is the reason of a version older than its max-age; test with
// errors.Is.
var ErrExpired = errors.New("parameter version older than its max-age")

// Policy bounds the age of a baked parameter version, counted from when the
// version was set (SSM's LastModifiedDate). A zero field sets no bound.
type Policy struct {
	// MaxAge fails a bake of a version older than it.
	MaxAge time.Duration
	// WarnAge warns about a version older than it.
	WarnAge time.Duration
}

// Validate checks that the policy warns before it fails: a WarnAge at or
// beyond MaxAge would never warn.
func (p Policy) Validate() error {
	if p.MaxAge > 0 && p.WarnAge >= p.MaxAge {
		return fmt.Errorf("warn-age %s must be shorter than max-age %s", FormatAge(p.WarnAge), FormatAge(p.MaxAge))
	}
	return nil
}

// Verdict is what a Policy says of one version's age.
type Verdict int

// Verdicts, from best to worst.
const (
	Fresh   Verdict = iota // within every bound, or no bound applies
	Old                    // older than WarnAge
	Expired                // older than MaxAge
)

// Check judges a version set at modified, as of now. A version exactly as
// old as a bound is within it. An unknown modified time (zero) is Fresh:
// there is nothing to judge.
func (p Policy) Check(modified, now time.Time) Verdict {
	if modified.IsZero() {
		return Fresh
	}
	age := now.Sub(modified)
	switch {
	case p.MaxAge > 0 && age > p.MaxAge:
		return Expired
	case p.WarnAge > 0 && age > p.WarnAge:
		return Old
	default:
		return Fresh
	}
}

// Explain says why a version got verdict v: when it was set, how old it is
// and the bound it passed; "" for Fresh.
func (p Policy) Explain(v Verdict, modified, now time.Time) string {
	var bound string
	switch v {
	case Expired:
		bound = "max-age " + FormatAge(p.MaxAge)
	case Old:
		bound = "warn-age " + FormatAge(p.WarnAge)
	default:
		return ""
	}
	return fmt.Sprintf("it was set on %s, %s ago, which is more than its %s",
		modified.UTC().Format(time.DateTime+" UTC"), FormatAge(now.Sub(modified)), bound)
}
