package cli

import (
	"fmt"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/rotation"
	"github.com/org/secret-baker/spec"
)

// ageFindings judges the version baked for each secret by the secret's age
// policy, as of now: a version older than its max-age fails the bake, one
// older than its warn-age gets a warning, each at the line that declares the
// secret, with the date the version was set and the bound it passed.
func ageFindings(sp *spec.Spec, file baked.File, now time.Time) (expired, old report.Findings) {
	for _, s := range sp.Secrets {
		e, ok := file[s.Name]
		if !ok {
			continue
		}
		verdict := s.Age.Check(e.Modified, now)
		if verdict == rotation.Fresh {
			continue
		}
		f := report.Finding{Secret: s.Name, Parameter: e.Parameter, Version: e.Version, Detail: s.Age.Explain(verdict, e.Modified, now)}
		if verdict == rotation.Expired {
			f.Kind, f.Reason = report.KindExpired, rotation.ErrExpired
			f.Detail += "; rotate it (put a new version of the parameter) or raise max-age"
			expired = append(expired, finding(sp, f))
			continue
		}
		f.Kind = report.KindOld
		f.Detail += "; rotate it soon"
		if s.Age.MaxAge > 0 {
			f.Detail += fmt.Sprintf(": bakes fail once it is older than its max-age %s", rotation.FormatAge(s.Age.MaxAge))
		}
		old = append(old, finding(sp, f))
	}
	return expired, old
}
