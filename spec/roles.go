package spec

import (
	"fmt"
	"regexp"

	yaml "go.yaml.in/yaml/v4"
)

// RoleARNPattern is what an IAM role ARN looks like: partition, a 12-digit
// account, an optional path of non-empty segments each followed by "/", and
// a name of 1 to 64 of IAM's characters.
var RoleARNPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/){0,32}[A-Za-z0-9+=,.@_-]{1,64}$`)

// FunctionRole is a Lambda function's execution role that the spec names,
// whose right to decrypt the secrets is to be proved.
type FunctionRole struct {
	// ARN is the role's ARN; empty when the spec names the role in a way
	// that is not checked, such as a CloudFormation reference.
	ARN      string
	Location Location
	// Where says which key names the role, for serverless.yml
	// ("functions.api.role").
	Where string
	// Unchecked says, after Where, why a role without ARN is not checked.
	Unchecked string
}

// Why a serverless.yml role is not checked.
const (
	notLiteral          = "is not a literal IAM role ARN (a CloudFormation reference, a variable, or a role the framework makes)"
	frameworkRole       = "names no role, nor does the provider, so the function runs as the role the Serverless Framework makes"
	functionsNotMapping = "is not a mapping, so the functions' roles are not read"
)

// functionRoles reads the spec's function-roles list of role ARNs.
func (p *parser) functionRoles(n *yaml.Node) []FunctionRole {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "function-roles must be a list of IAM role ARNs, got %s", describe(n))
		return nil
	}
	var roles []FunctionRole
	for i, item := range n.Content {
		item = deref(item)
		arn, ok := p.str(item, fmt.Sprintf("item %d of function-roles", i+1))
		switch {
		case !ok:
		case !RoleARNPattern.MatchString(arn):
			p.errorf(item, "item %d of function-roles is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", i+1)
		default:
			roles = append(roles, FunctionRole{ARN: arn, Location: p.at(item)})
		}
	}
	if len(roles) == 0 && len(n.Content) == 0 {
		p.errorf(n, "function-roles is empty: list the functions' role ARNs, or leave the key out")
	}
	return roles
}

// serverlessRoles reads the roles a serverless.yml gives its functions:
// provider.iam.role (or provider.role) and functions.*.role. A literal role
// ARN is checked; anything else (a role the framework makes, a logical name,
// a variable or a CloudFormation function) is listed as not checked, never
// guessed at: so is a function that names no role when the provider names
// none, at its name, and a functions key that is not a mapping.
func (p *parser) serverlessRoles(top *yaml.Node) []FunctionRole {
	var roles []FunctionRole
	add := func(where string, n *yaml.Node) {
		r := FunctionRole{Location: p.at(n), Where: where, Unchecked: notLiteral}
		if isString(n) && RoleARNPattern.MatchString(n.Value) {
			r.ARN, r.Unchecked = n.Value, ""
		}
		roles = append(roles, r)
	}
	if _, provider := lookup(top, "provider"); provider != nil && provider.Kind == yaml.MappingNode {
		if _, iam := lookup(provider, "iam"); iam != nil && iam.Kind == yaml.MappingNode {
			if _, role := lookup(iam, "role"); role != nil {
				add("provider.iam.role", role)
			}
		}
		if _, role := lookup(provider, "role"); role != nil {
			add("provider.role", role)
		}
	}
	providerRole := len(roles) > 0
	_, functions := lookup(top, "functions")
	switch {
	case functions == nil || isNull(functions):
	case functions.Kind != yaml.MappingNode:
		roles = append(roles, FunctionRole{Location: p.at(functions), Where: "functions", Unchecked: functionsNotMapping})
	default:
		for i := 0; i+1 < len(functions.Content); i += 2 {
			name, fn := deref(functions.Content[i]), deref(functions.Content[i+1])
			if fn.Kind != yaml.MappingNode || !isString(name) || !namePattern.MatchString(name.Value) {
				continue
			}
			if _, role := lookup(fn, "role"); role != nil {
				add("functions."+name.Value+".role", role)
			} else if !providerRole {
				roles = append(roles, FunctionRole{Location: p.at(name), Where: "functions." + name.Value, Unchecked: frameworkRole})
			}
		}
	}
	return roles
}
