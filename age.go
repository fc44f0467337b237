package main

import (
	"fmt"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/rotation"
	"github.com/org/secret-baker/spec"
)

// ageFindings judges the version baked for each secret by the secret's age
// policy, as of now: a version older than its max-age fails the bake, one
// older than its warn-age gets a warning, each at the line that declares the
// secret, with the date the version was set and the bound it passed.
func ageFindings(sp *spec.Spec, file baked.File, now time.Time) (expired, old findingsError) {
	for _, s := range sp.Secrets {
		e, ok := file[s.Name]
		if !ok {
			continue
		}
		verdict := s.Age.Check(e.Modified, now)
		if verdict == rotation.Fresh {
			continue
		}
		f := finding{
			location: s.Location,
			message:  fmt.Sprintf("secret %q (parameter %q, version %d): %s", s.Name, e.Parameter, e.Version, s.Age.Explain(verdict, e.Modified, now)),
		}
		if verdict == rotation.Expired {
			f.title = fmt.Sprintf("Secret %s is older than its max-age", s.Name)
			f.message += "; rotate it (put a new version of the parameter) or raise max-age"
			f.cause = rotation.ErrExpired
			expired = append(expired, f)
			continue
		}
		f.title = fmt.Sprintf("Secret %s is older than its warn-age", s.Name)
		f.message += "; rotate it soon"
		if s.Age.MaxAge > 0 {
			f.message += fmt.Sprintf(": bakes fail once it is older than its max-age %s", rotation.FormatAge(s.Age.MaxAge))
		}
		old = append(old, f)
	}
	return expired, old
}
