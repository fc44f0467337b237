package rotation

import (
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	set := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	policy := Policy{MaxAge: 90 * Day, WarnAge: 60 * Day}
	tests := []struct {
		name     string
		policy   Policy
		modified time.Time
		now      time.Time
		want     Verdict
	}{
		{"just set", policy, set, set, Fresh},
		{"exactly warn-age", policy, set, set.Add(60 * Day), Fresh},
		{"a second past warn-age", policy, set, set.Add(60*Day + time.Second), Old},
		{"exactly max-age", policy, set, set.Add(90 * Day), Old},
		{"a second past max-age", policy, set, set.Add(90*Day + time.Second), Expired},
		{"max-age only", Policy{MaxAge: 90 * Day}, set, set.Add(89 * Day), Fresh},
		{"max-age only, past it", Policy{MaxAge: 90 * Day}, set, set.Add(91 * Day), Expired},
		{"warn-age only, past it", Policy{WarnAge: time.Hour}, set, set.Add(2 * time.Hour), Old},
		{"no policy", Policy{}, set, set.Add(1000 * Day), Fresh},
		{"unknown modified time", policy, time.Time{}, set, Fresh},
		{"clock behind SSM", policy, set, set.Add(-Day), Fresh},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.policy.Check(tc.modified, tc.now); got != tc.want {
				t.Errorf("Check() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	set := time.Date(2026, 9, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	p := Policy{MaxAge: 90 * Day, WarnAge: 12 * time.Hour}
	now := set.Add(91*Day + 3*time.Hour)
	tests := []struct {
		v    Verdict
		want string
	}{
		{Expired, "it was set on 2026-09-01 10:00:00 UTC, 91d 3h ago, which is more than its max-age 90d"},
		{Old, "it was set on 2026-09-01 10:00:00 UTC, 91d 3h ago, which is more than its warn-age 12h"},
		{Fresh, ""},
	}
	for _, tc := range tests {
		if got := p.Explain(tc.v, set, now); got != tc.want {
			t.Errorf("Explain(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy  Policy
		wantErr string
	}{
		{Policy{}, ""},
		{Policy{MaxAge: 90 * Day}, ""},
		{Policy{WarnAge: 90 * Day}, ""},
		{Policy{MaxAge: 90 * Day, WarnAge: 60 * Day}, ""},
		{Policy{MaxAge: 90 * Day, WarnAge: 90 * Day}, "warn-age 90d must be shorter than max-age 90d"},
		{Policy{MaxAge: 12 * time.Hour, WarnAge: 30 * Day}, "warn-age 30d must be shorter than max-age 12h"},
	}
	for _, tc := range tests {
		err := tc.policy.Validate()
		if got := errString(err); got != tc.wantErr {
			t.Errorf("%+v.Validate() = %q, want %q", tc.policy, got, tc.wantErr)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
