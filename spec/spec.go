// Package spec reads the secret-baker spec, a YAML file declaring which SSM parameters to
// bake and how to validate them, or the custom.secretBaker section of a serverless.yml,
// into secrets that keep the file, line and column they were declared at.
package spec

import (
	"fmt"
	"os"
	"path/filepath"

	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/rotation"
	"github.com/org/secret-baker/rules"
)

// Spec is a loaded spec file.
type Spec struct {
	// File is the path the spec was loaded from, as given.
	File string
	// Output is the baked file's path, empty when the spec leaves it to the caller.
	Output string
	// OutputLocation is where Output is declared.
	OutputLocation Location
	// KMSKeyID is the expected KMS key, empty when the spec does not name one.
	KMSKeyID string
	// KMSKeyIDLocation is where KMSKeyID is declared.
	KMSKeyIDLocation Location
	// Secrets are the declared secrets in declaration order; names are unique.
	Secrets []Secret
	// Bundle asks for a bundle: every value sealed together, so that a
	// cold start makes one KMS call per chunk instead of one per secret.
	Bundle         bool
	BundleLocation Location
	// FunctionRoles are the functions' execution roles the spec names
	// (function-roles, or a serverless.yml's provider and function roles).
	FunctionRoles []FunctionRole
}

// Secret is one declared secret.
type Secret struct {
	// SecretsManager is the Secrets Manager secret the secret comes from,
	// nil for an SSM parameter (Parameter).
	SecretsManager *SecretsManager
	// Name is the key the secret is baked under.
	Name string
	// Parameter is the SSM parameter as declared; it may end in a ":VERSION" or ":LABEL" selector.
	Parameter string
	// Rules are the validators declared for the secret.
	Rules rules.Set
	// Age is the secret's rotation age policy: its own max-age and warn-age,
	// else the spec's.
	Age rotation.Policy
	// Location is where the secret's name is declared.
	Location Location
}

// Options control how a spec is loaded.
type Options struct {
	// Root is the repository or workspace root; schema files must resolve (after
	// symlinks) inside it. Empty means the current directory.
	Root string
	// Workspace, when set, is Root held open: schema files are read through it.
	// When nil, Root is opened for each schema file.
	Workspace *outfile.Workspace
}

// Load reads and parses the spec file at path; see Parse. A file that cannot be read is
// reported as a wrapped os error, not as an *Error.
func Load(path string, opts Options) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read spec: %w", err)
	}
	return Parse(path, data, opts)
}

// Parse parses data read from file. A file named serverless.yml or serverless.yaml, or a
// document with top-level service and custom keys, is read from its custom.secretBaker
// section. Schema paths are relative to file's directory. Every problem found is returned,
// joined, as an *Error (see Errors).
func Parse(file string, data []byte, opts Options) (*Spec, error) {
	p := newParser(file, filepath.Dir(file), opts)
	top, ok := p.document(data)
	if !ok {
		return nil, p.err()
	}
	s := &Spec{File: file}
	switch {
	case top == nil:
		p.errorAt(Location{File: file, Line: 1}, "the spec is empty: declare the secrets to bake under %q", "secrets")
	case top.Kind != yaml.MappingNode:
		p.errorf(top, "the spec must be a mapping with a %q key, got %s", "secrets", describe(top))
	case isServerless(file, top):
		s.Secrets = p.serverless(top)
		s.FunctionRoles = p.serverlessRoles(top)
	default:
		p.spec(top, s)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseSecrets parses data holding only a secrets section (a mapping or a list), such as the
// Action's secrets input. file names data in locations; schema paths are relative to opts.Root.
func ParseSecrets(file string, data []byte, opts Options) ([]Secret, error) {
	p := newParser(file, "", opts)
	top, ok := p.document(data)
	if !ok {
		return nil, p.err()
	}
	var secrets []Secret
	if top == nil {
		p.errorAt(Location{File: file, Line: 1}, "secrets is empty: declare at least one secret")
	} else {
		secrets = p.secrets(nil, top, "secrets")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return secrets, nil
}

// Lookup returns the secret declared as name.
func (s *Spec) Lookup(name string) (Secret, bool) {
	for _, sec := range s.Secrets {
		if sec.Name == name {
			return sec, true
		}
	}
	return Secret{}, false
}

// spec reads the top-level mapping of a secret-baker spec into s.
func (p *parser) spec(top *yaml.Node, s *Spec) {
	var secretsKey, secrets, ageNode *yaml.Node
	p.fields(top, "", append([]string{"output", "kms-key-id", "bundle", "function-roles", "secrets"}, ageKeys...), func(key string, k, v *yaml.Node) {
		switch key {
		case "function-roles":
			s.FunctionRoles = p.functionRoles(v)
		case "bundle":
			s.Bundle, _ = p.boolean(v, "bundle")
			s.BundleLocation = p.at(v)
		case "max-age", "warn-age":
			p.age(key, v, &p.specAge, "the spec")
			ageNode = v
		case "output":
			s.Output, _ = p.str(v, "output")
			s.OutputLocation = p.at(v)
		case "kms-key-id":
			s.KMSKeyID, _ = p.str(v, "kms-key-id")
			s.KMSKeyIDLocation = p.at(v)
		case "secrets":
			secretsKey, secrets = k, v
		}
	})
	if ageNode != nil {
		p.checkSpecAge(ageNode)
	}
	if secrets == nil {
		p.errorf(top, "missing %q: declare the secrets to bake", "secrets")
		return
	}
	s.Secrets = p.secrets(secretsKey, secrets, "secrets")
}
