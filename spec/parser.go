package spec

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/rotation"
)

// parser collects the located errors found while reading one YAML document.
type parser struct {
	file      string // name used in locations
	baseDir   string // directory relative schema paths start from
	root      string // schema files must resolve inside it
	workspace *outfile.Workspace
	specAge   rotation.Policy // the spec-wide age policy secrets inherit
	errs      []*Error
}

// newParser returns a parser for file; an empty baseDir means the root.
func newParser(file, baseDir string, opts Options) *parser {
	root := cmp.Or(opts.Root, ".")
	return &parser{file: file, baseDir: cmp.Or(baseDir, root), root: root, workspace: opts.Workspace}
}

// at returns the location of n.
func (p *parser) at(n *yaml.Node) Location {
	return Location{File: p.file, Line: n.Line, Column: n.Column}
}

// errorf records an error located at n.
func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errorAt(p.at(n), format, args...)
}

// errorAt records an error at loc.
func (p *parser) errorAt(loc Location, format string, args ...any) {
	p.errs = append(p.errs, &Error{Location: loc, Message: fmt.Sprintf(format, args...)})
}

// err returns the recorded errors in file order, joined, or nil.
func (p *parser) err() error {
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Location.Line, b.Location.Line), cmp.Compare(a.Location.Column, b.Location.Column))
	})
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// document parses data, which must hold a single YAML document, and returns its
// top node, nil when the document is empty. ok is false after a syntax error.
func (p *parser) document(data []byte) (top *yaml.Node, ok bool) {
	loader, err := yaml.NewLoader(bytes.NewReader(data))
	if err != nil {
		p.errorAt(Location{File: p.file, Line: 1, Column: 1}, "failed to read YAML")
		return nil, false
	}
	var doc yaml.Node
	if err := loader.Load(&doc); err == io.EOF {
		return nil, true
	} else if err != nil {
		p.syntaxError(data, err)
		return nil, false
	}
	var next yaml.Node
	switch err := loader.Load(&next); {
	case err == io.EOF:
	case err != nil:
		p.syntaxError(data, err)
		return nil, false
	default:
		p.errorf(&next, "a second YAML document starts here; the file must hold one document")
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	top = deref(doc.Content[0])
	if top.ShortTag() == "!!null" {
		return nil, true
	}
	return top, true
}

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for range 100 {
		if n.Kind != yaml.AliasNode || n.Alias == nil {
			return n
		}
		n = n.Alias
	}
	return n
}

// lookup returns the first key and value named key in mapping m, or nils.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := deref(m.Content[i]); k.Kind == yaml.ScalarNode && k.Value == key {
			return k, deref(m.Content[i+1])
		}
	}
	return nil, nil
}

// fields calls fn for each pair of mapping m whose key is one of known, and reports
// keys that are not strings, unknown or repeated. context follows "unknown key" in messages.
func (p *parser) fields(m *yaml.Node, context string, known []string, fn func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := deref(m.Content[i]), deref(m.Content[i+1])
		if !isString(k) {
			p.errorf(k, "keys must be strings, got %s", describe(k))
			continue
		}
		if !slices.Contains(known, k.Value) {
			p.errorf(k, "unknown key%s%s (allowed: %s)", keyRef(k.Value), context, strings.Join(known, ", "))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			p.errorf(k, "duplicate key %q (first at line %d)", k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		fn(k.Value, k, v)
	}
}

// str returns the value of n, which must be a non-empty string; what names n in messages.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if !isString(n) {
		hint := ""
		switch n.ShortTag() {
		case "!!int", "!!float", "!!bool", "!!timestamp":
			hint = " (quote it to make it a string)"
		}
		p.errorf(n, "%s must be a string, got %s%s", what, describe(n), hint)
		return "", false
	}
	if n.Value == "" {
		p.errorf(n, "%s must not be empty", what)
		return "", false
	}
	return n.Value, true
}

// isString reports whether n is a string scalar.
func isString(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str"
}

// isNull reports whether n is a null scalar such as "~" or an empty value.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names the kind of value n holds, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch tag := n.ShortTag(); tag {
		case "!!str":
			return "a string"
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		case "!!null":
			return "null"
		case "!!timestamp":
			return "a timestamp"
		default:
			return "a tagged value" // the tag is foreign content, never quoted
		}
	default:
		return "an alias"
	}
}

// boolean returns the value of n, which must be true or false; what names n
// in messages.
func (p *parser) boolean(n *yaml.Node, what string) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		p.errorf(n, "%s must be true or false, got %s", what, describe(n))
		return false, false
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", true
}
