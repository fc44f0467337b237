package spec

import (
	"fmt"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// SecretsManager names a Secrets Manager secret, the source of a secret
// instead of an SSM parameter.
type SecretsManager struct {
	// SecretID is the secret's name or ARN.
	SecretID string
	// VersionStage is the stage whose version is baked (AWSCURRENT unless
	// the spec names another); VersionID pins a version instead.
	VersionStage string
	VersionID    string
	// StageDeclared tells whether the spec names the stage, so that a pinned
	// version must hold it.
	StageDeclared bool
	// JSONKey is the one field of a JSON secret that is shipped; empty for
	// the whole value.
	JSONKey string
}

// DefaultStage is the stage a Secrets Manager secret is baked from unless the
// spec names another.
const DefaultStage = "AWSCURRENT"

// ReferencePrefix is the SSM parameter form of a Secrets Manager secret,
// which names the same secret.
const ReferencePrefix = "/aws/reference/secretsmanager/"

// The grammars of the Secrets Manager keys. A value that fails its grammar is
// located, never quoted.
var (
	secretIDPattern     = regexp.MustCompile(`^([A-Za-z0-9/_+=.@-]{1,512}|arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512})$`)
	versionStagePattern = regexp.MustCompile(`^[A-Za-z0-9_+=.@-]{1,256}$`)
	versionIDPattern    = regexp.MustCompile(`^[A-Za-z0-9-]{32,64}$`)
	jsonKeyPattern      = regexp.MustCompile(`^[A-Za-z0-9_.@:/+-]{1,128}$`)
)

// smKeys are the keys of a secret's mapping that only a Secrets Manager
// source takes.
var smKeys = []string{"secret-id", "version-stage", "version-id", "json-key"}

// smField reads one Secrets Manager key of sec from n.
func (p *parser) smField(key string, n *yaml.Node, sec *Secret) {
	if sec.SecretsManager == nil {
		sec.SecretsManager = &SecretsManager{VersionStage: DefaultStage}
	}
	sm := sec.SecretsManager
	grammar := map[string]*regexp.Regexp{"secret-id": secretIDPattern, "version-stage": versionStagePattern, "version-id": versionIDPattern, "json-key": jsonKeyPattern}[key]
	v, ok := p.str(n, fmt.Sprintf("%s of secret %q", key, sec.Name))
	if !ok {
		return
	}
	if !grammar.MatchString(v) {
		p.errorf(n, "%s of secret %q is not a valid %s", key, sec.Name, map[string]string{
			"secret-id":     "Secrets Manager secret name or ARN",
			"version-stage": "version stage (letters, digits and _+=.@-)",
			"version-id":    "version id (32 to 64 letters, digits and -)",
			"json-key":      "JSON key (1 to 128 letters, digits and _.@:/+-)",
		}[key])
		return
	}
	switch key {
	case "secret-id":
		sm.SecretID = v
	case "version-stage":
		sm.VersionStage, sm.StageDeclared = v, true
	case "version-id":
		sm.VersionID = v
	case "json-key":
		sm.JSONKey = v
	}
}

// finishSource settles where sec comes from once all its keys are read: a
// Secrets Manager secret by secret-id or by the /aws/reference/secretsmanager/
// parameter form, else its SSM parameter.
func (p *parser) finishSource(m *yaml.Node, sec *Secret) {
	if rest, ok := strings.CutPrefix(sec.Parameter, ReferencePrefix); ok {
		if sec.SecretsManager != nil && sec.SecretsManager.SecretID != "" {
			p.errorf(m, "secret %q names both a path and a secret-id: use one", sec.Name)
			return
		}
		if !secretIDPattern.MatchString(rest) {
			p.errorf(m, "secret %q: the name after %s is not a valid Secrets Manager secret name", sec.Name, ReferencePrefix)
			return
		}
		if sec.SecretsManager == nil {
			sec.SecretsManager = &SecretsManager{VersionStage: DefaultStage}
		}
		sec.SecretsManager.SecretID, sec.Parameter = rest, ""
	}
	sm := sec.SecretsManager
	switch {
	case sm == nil:
	case sm.SecretID == "":
		if k, _ := lookup(m, "secret-id"); k == nil { // an invalid one has its own error
			p.errorf(m, "secret %q has version-stage, version-id or json-key but no secret-id", sec.Name)
		}
	case sec.Parameter != "" && sec.Parameter != sec.Name:
		p.errorf(m, "secret %q names both a path and a secret-id: use one", sec.Name)
	default:
		sec.Parameter = ""
	}
}
