package spec

import (
	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/rotation"
)

// ageKeys are the rotation age keys, allowed at the top of a spec, for
// every secret, and in each secret, for that one.
var ageKeys = []string{"max-age", "warn-age"}

// age reads the age key of policy from n; what names the policy's owner in
// messages.
func (p *parser) age(key string, n *yaml.Node, policy *rotation.Policy, what string) {
	if !isString(n) {
		p.errorf(n, "%s of %s must be an age such as 90d or 12h, got %s", key, what, describe(n))
		return
	}
	d, err := rotation.ParseAge(n.Value)
	if err != nil {
		// rotation's error quotes the value, which need not be an age at all.
		p.errorf(n, "%s of %s must be an age from 1h to %s, a whole number of days or hours such as 90d or 12h", key, what, rotation.FormatAge(rotation.MaxAge))
		return
	}
	if key == "max-age" {
		policy.MaxAge = d
	} else {
		policy.WarnAge = d
	}
}

// inheritAge gives each secret the spec-wide bounds it does not set itself,
// and checks the policy of each secret that sets one.
func (p *parser) inheritAge(secrets []Secret) {
	for i := range secrets {
		own := secrets[i].Age
		if own == (rotation.Policy{}) {
			secrets[i].Age = p.specAge
			continue
		}
		if own.MaxAge == 0 {
			secrets[i].Age.MaxAge = p.specAge.MaxAge
		}
		if own.WarnAge == 0 {
			secrets[i].Age.WarnAge = p.specAge.WarnAge
		}
		if err := secrets[i].Age.Validate(); err != nil {
			p.errorAt(secrets[i].Location, "secret %q: %v", secrets[i].Name, err)
		}
	}
}

// checkSpecAge checks the spec-wide policy, reporting a problem at n.
func (p *parser) checkSpecAge(n *yaml.Node) {
	if err := p.specAge.Validate(); err != nil {
		p.errorf(n, "%v", err)
	}
}
