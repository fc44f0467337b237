package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/internal/selector"
	"github.com/org/secret-baker/rules"
)

// namePattern is what a secret name may look like: baked.NamePattern, the
// grammar of the baked file's names, as a test checks.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.\-/]{1,256}$`)

// secrets reads a secrets section n: a mapping of NAME: parameter or NAME: {path, regex,
// schema}, or a list of names and {name, path, regex, schema} mappings, mixed freely.
// key is the section's key (nil when n is a whole document); what names n in messages.
func (p *parser) secrets(key, n *yaml.Node, what string) []Secret {
	var secrets []Secret
	switch {
	case isNull(n) && key != nil:
		p.errorf(key, "%s is empty: declare at least one secret", what)
		return nil
	case (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && len(n.Content) == 0:
		p.errorf(n, "%s is empty: declare at least one secret", what)
		return nil
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if sec, ok := p.mapEntry(deref(n.Content[i]), deref(n.Content[i+1])); ok {
				secrets = append(secrets, sec)
			}
		}
	case n.Kind == yaml.SequenceNode:
		for _, item := range n.Content {
			if sec, ok := p.listEntry(deref(item), what); ok {
				secrets = append(secrets, sec)
			}
		}
	default:
		p.errorf(n, "%s must be a mapping of NAME: parameter or a list, got %s", what, describe(n))
		return nil
	}
	p.checkDuplicates(secrets)
	p.inheritAge(secrets)
	return secrets
}

// mapEntry reads "NAME: parameter" or "NAME: {path, regex, schema}". ok reports whether
// the entry has a name, even if it has other errors.
func (p *parser) mapEntry(k, v *yaml.Node) (sec Secret, ok bool) {
	name, ok := p.name(k)
	if !ok {
		return Secret{}, false
	}
	sec = Secret{Name: name, Parameter: name, Location: p.at(k)}
	switch {
	case isNull(v):
		p.errorf(k, "secret %q has no parameter: write %s: /parameter/name", name, name)
	case v.Kind == yaml.ScalarNode:
		sec.Parameter = p.parameter(v, name)
		p.finishSource(v, &sec)
	case v.Kind == yaml.MappingNode:
		p.longForm(v, &sec, append(append([]string{"path", "regex", "schema"}, smKeys...), ageKeys...))
	default:
		p.errorf(v, "secret %q must be a parameter name or a mapping with path, regex or schema, got %s", name, describe(v))
	}
	return sec, true
}

// listEntry reads "- NAME" or "- {name, path, regex, schema}". ok reports whether the
// entry has a name, even if it has other errors.
func (p *parser) listEntry(item *yaml.Node, what string) (sec Secret, ok bool) {
	switch {
	case isNull(item):
		p.errorf(item, "%s entry is empty", what)
	case item.Kind == yaml.ScalarNode:
		if name, ok := p.name(item); ok {
			return Secret{Name: name, Parameter: name, Location: p.at(item)}, true
		}
	case item.Kind == yaml.MappingNode:
		_, nameNode := lookup(item, "name")
		if nameNode == nil {
			p.errorf(item, "%s entry has no name", what)
			return Secret{}, false
		}
		if name, ok := p.name(nameNode); ok {
			sec = Secret{Name: name, Parameter: name, Location: p.at(nameNode)}
			p.longForm(item, &sec, append(append([]string{"name", "path", "regex", "schema"}, smKeys...), ageKeys...))
			return sec, true
		}
	default:
		p.errorf(item, "%s entry must be a secret name or a mapping with name, path, regex or schema, got %s", what, describe(item))
	}
	return Secret{}, false
}

// name reads a secret name from n and checks its form; ok is false when n is
// no valid name. An invalid name is located, never quoted.
func (p *parser) name(n *yaml.Node) (string, bool) {
	name, ok := p.str(n, "secret name")
	if !ok || namePattern.MatchString(name) {
		return name, ok
	}
	if strings.Contains(name, "${") {
		p.errorf(n, "secret name uses a Serverless variable ${...}, which secret-baker cannot resolve: write the name")
	} else {
		p.errorf(n, `invalid secret name%s: use 1 to 256 letters, digits, "_", ".", "-" or "/"`, invalidAt(name))
	}
	return "", false
}

// invalidAt says where name, which does not match namePattern, goes wrong,
// without quoting it.
func invalidAt(name string) string {
	if len(name) > 256 {
		return fmt.Sprintf(" (%d bytes long)", len(name))
	}
	for i, r := range name {
		if !namePattern.MatchString(string(r)) {
			return fmt.Sprintf(" (character %d is not allowed)", utf8.RuneCountInString(name[:i])+1)
		}
	}
	return ""
}

// parameter reads the SSM parameter of secret name from n and checks it against the selector
// grammar. An invalid parameter is located, never quoted: it may be a value pasted where a
// name belongs.
func (p *parser) parameter(n *yaml.Node, name string) string {
	param, ok := p.str(n, fmt.Sprintf("path of secret %q", name))
	if !ok {
		return ""
	}
	if strings.Contains(param, "${") {
		p.errorf(n, "path of secret %q uses a Serverless variable ${...}, which secret-baker cannot resolve: write the parameter name", name)
		return ""
	}
	if _, err := selector.Parse(param); err != nil {
		p.errorf(n, "path of secret %q: %v", name, err)
		return ""
	}
	return param
}

// longForm reads the keys of a secret written as a mapping into sec; known lists the keys allowed.
func (p *parser) longForm(m *yaml.Node, sec *Secret, known []string) {
	p.fields(m, fmt.Sprintf(" in secret %q", sec.Name), known, func(key string, _, v *yaml.Node) {
		switch key {
		case "path":
			sec.Parameter = p.parameter(v, sec.Name)
		case "regex":
			p.regex(v, sec)
		case "schema":
			p.schema(v, sec)
		case "max-age", "warn-age":
			p.age(key, v, &sec.Age, fmt.Sprintf("secret %q", sec.Name))
		case "secret-id", "version-stage", "version-id", "json-key":
			p.smField(key, v, sec)
		}
	})
	p.finishSource(m, sec)
}

// regex compiles the regex rule of sec from n.
func (p *parser) regex(n *yaml.Node, sec *Secret) {
	pattern, ok := p.str(n, fmt.Sprintf("regex of secret %q", sec.Name))
	if !ok {
		return
	}
	re, err := rules.CompileRegex(pattern)
	if err != nil {
		p.errorf(n, "%v", err)
		return
	}
	sec.Rules.Regex = re
}

// checkDuplicates reports each repeated name at every place it is declared.
func (p *parser) checkDuplicates(secrets []Secret) {
	first := map[string]int{}
	again := map[int][]string{}
	for i, sec := range secrets {
		j, dup := first[sec.Name]
		if !dup {
			first[sec.Name] = i
			continue
		}
		p.errorAt(sec.Location, "duplicate secret %q (first declared at line %d)", sec.Name, secrets[j].Location.Line)
		again[j] = append(again[j], strconv.Itoa(sec.Location.Line))
	}
	for j, lines := range again {
		plural := ""
		if len(lines) > 1 {
			plural = "s"
		}
		p.errorAt(secrets[j].Location, "secret %q is declared again at line%s %s", secrets[j].Name, plural, strings.Join(lines, ", "))
	}
}
