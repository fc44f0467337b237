package cli

import (
	"errors"
	"testing"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/rotation"
	"github.com/org/secret-baker/spec"
)

func TestAgeFindings(t *testing.T) {
	t.Parallel()
	set := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	policy := rotation.Policy{MaxAge: 90 * rotation.Day, WarnAge: 60 * rotation.Day}
	sp := &spec.Spec{Secrets: []spec.Secret{
		{Name: "A", Parameter: "/a", Age: policy, Location: spec.Location{File: "s.yml", Line: 3, Column: 3}},
		{Name: "NO_POLICY", Parameter: "/n"},
		{Name: "UNKNOWN_DATE", Parameter: "/u", Age: policy},
		{Name: "NOT_BAKED", Parameter: "/x", Age: policy},
	}}
	file := baked.File{
		"A":            {Parameter: "/a", Version: 4, Modified: set},
		"NO_POLICY":    {Parameter: "/n", Version: 1, Modified: set.Add(-1000 * rotation.Day)},
		"UNKNOWN_DATE": {Parameter: "/u", Version: 1},
	}
	tests := []struct {
		name         string
		now          time.Time
		wantExpired  string
		wantOld      string
		wantLocation spec.Location
	}{
		{name: "at warn-age", now: set.Add(60 * rotation.Day)},
		{
			name:    "a second past warn-age",
			now:     set.Add(60*rotation.Day + time.Second),
			wantOld: `s.yml:3:3: secret "A" (parameter "/a", version 4): it was set on 2026-09-01 12:00:00 UTC, 60d ago, which is more than its warn-age 60d; rotate it soon: bakes fail once it is older than its max-age 90d`,
		},
		{
			name:    "at max-age",
			now:     set.Add(90 * rotation.Day),
			wantOld: `s.yml:3:3: secret "A" (parameter "/a", version 4): it was set on 2026-09-01 12:00:00 UTC, 90d ago, which is more than its warn-age 60d; rotate it soon: bakes fail once it is older than its max-age 90d`,
		},
		{
			name:        "a second past max-age",
			now:         set.Add(90*rotation.Day + time.Second),
			wantExpired: `s.yml:3:3: secret "A" (parameter "/a", version 4): it was set on 2026-09-01 12:00:00 UTC, 90d ago, which is more than its max-age 90d; rotate it (put a new version of the parameter) or raise max-age`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expired, old := ageFindings(sp, file, tc.now)
			if got := expired.Error(); got != tc.wantExpired {
				t.Errorf("expired = %q, want %q", got, tc.wantExpired)
			}
			if got := old.Error(); got != tc.wantOld {
				t.Errorf("old = %q, want %q", got, tc.wantOld)
			}
			if tc.wantExpired != "" && (!errors.Is(expired, rotation.ErrExpired) || expired[0].Title() != "Secret A is older than its max-age") {
				t.Errorf("expired = %+v, want the cause rotation.ErrExpired and a title", expired)
			}
		})
	}
}
