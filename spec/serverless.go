package spec

import (
	"path/filepath"

	yaml "go.yaml.in/yaml/v4"
)

// isServerless reports whether top is a Serverless Framework config: by its file name,
// or by its top-level service and custom keys.
func isServerless(file string, top *yaml.Node) bool {
	switch filepath.Base(file) {
	case "serverless.yml", "serverless.yaml":
		return true
	}
	_, service := lookup(top, "service")
	_, custom := lookup(top, "custom")
	return service != nil && custom != nil
}

// serverless reads the secrets from custom.secretBaker, the section serverless-secret-baker
// reads. The rest of the file, with its ${...} variables and CloudFormation tags, is ignored.
func (p *parser) serverless(top *yaml.Node) []Secret {
	const missing = "missing custom.secretBaker: declare the secrets to bake there"
	customKey, custom := lookup(top, "custom")
	switch {
	case custom == nil:
		p.errorf(top, missing)
		return nil
	case isNull(custom):
		p.errorf(customKey, missing)
		return nil
	case custom.Kind != yaml.MappingNode:
		p.errorf(custom, "custom must be a mapping, got %s", describe(custom))
		return nil
	}
	key, secrets := lookup(custom, "secretBaker")
	if secrets == nil {
		p.errorf(customKey, missing)
		return nil
	}
	return p.secrets(key, secrets, "custom.secretBaker")
}
