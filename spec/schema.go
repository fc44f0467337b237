package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"

	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/rules"
)

// maxInlineSchemaValues bounds an inline schema once aliases are expanded.
const maxInlineSchemaValues = 10000

// schema compiles the schema rule of sec from n: a JSON file path or an inline mapping.
func (p *parser) schema(n *yaml.Node, sec *Secret) {
	switch {
	case isString(n):
		path, ok := p.str(n, fmt.Sprintf("schema of secret %q", sec.Name))
		if !ok {
			return
		}
		doc, ok := p.schemaFile(n, path)
		if !ok {
			return
		}
		s, err := rules.CompileSchema(path, doc)
		if err != nil {
			p.errorf(n, "schema file %q: %v", path, err)
			return
		}
		sec.Rules.Schema = s
	case n.Kind == yaml.MappingNode:
		budget := maxInlineSchemaValues
		doc, ok := p.jsonValue(n, &budget)
		if !ok {
			return
		}
		s, err := rules.CompileSchema("inline schema at "+p.at(n).String(), doc)
		if err != nil {
			p.errorf(n, "%v", err)
			return
		}
		sec.Rules.Schema = s
	default:
		p.errorf(n, "schema of secret %q must be a file path or a mapping, got %s", sec.Name, describe(n))
	}
}

// schemaFile reads the JSON schema file at path (relative to the base directory) through
// the workspace held open, so that it stays inside the root whatever changes on its way.
// n locates errors.
func (p *parser) schemaFile(n *yaml.Node, path string) (any, bool) {
	ws := p.workspace
	if ws == nil {
		opened, err := outfile.OpenWorkspace(p.root)
		if err != nil {
			p.errorf(n, "%v", err)
			return nil, false
		}
		defer opened.Close()
		ws = opened
	}
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(p.baseDir, full)
	}
	full, err := filepath.Abs(full)
	if err == nil {
		var data []byte
		if data, err = ws.ReadFile(full); err == nil {
			return p.schemaJSON(n, path, data)
		}
	}
	switch {
	case errors.Is(err, outfile.ErrOutsideWorkspace):
		p.errorf(n, "schema file %q is outside the repository root", path)
	case errors.Is(err, fs.ErrNotExist):
		p.errorf(n, "schema file %q not found", path)
	case errors.Is(err, outfile.ErrNotRegular):
		p.errorf(n, "schema file %q is not a regular file", path)
	case errors.Is(err, outfile.ErrUnsafeName):
		p.errorf(n, "schema file path holds a control character: rename the file")
	default:
		p.errorf(n, "failed to read schema file %q: %v", path, err)
	}
	return nil, false
}

// schemaJSON decodes the data of the schema file at path.
func (p *parser) schemaJSON(n *yaml.Node, path string, data []byte) (any, bool) {
	doc, err := rules.DecodeJSON(data)
	var jerr *rules.JSONError
	if errors.As(err, &jerr) {
		line, col := jerr.LineColumn(data)
		p.errorf(n, "schema file %q is not valid JSON (schema files must be JSON): %s at line %d, column %d", path, jerr.Kind, line, col)
		return nil, false
	}
	return doc, true
}

// jsonValue converts the YAML of an inline schema into a JSON value, reporting what JSON
// cannot hold. budget counts the values left before the schema is too large.
func (p *parser) jsonValue(n *yaml.Node, budget *int) (any, bool) {
	n = deref(n)
	if *budget--; *budget < 0 {
		if *budget == -1 {
			p.errorf(n, "inline schema is too large: more than %d values once aliases are expanded", maxInlineSchemaValues)
		}
		return nil, false
	}
	switch n.Kind {
	case yaml.MappingNode:
		obj := make(map[string]any, len(n.Content)/2)
		lines := map[string]int{}
		ok := true
		for i := 0; i+1 < len(n.Content) && *budget >= 0; i += 2 {
			k := deref(n.Content[i])
			if !isString(k) {
				p.errorf(k, "inline schema keys must be strings, got %s", describe(k))
				ok = false
				continue
			}
			if line, dup := lines[k.Value]; dup {
				p.errorf(k, "duplicate key%s (first at line %d)", keyRef(k.Value), line)
				ok = false
				continue
			}
			lines[k.Value] = k.Line
			v, vok := p.jsonValue(n.Content[i+1], budget)
			obj[k.Value], ok = v, ok && vok
		}
		return obj, ok && *budget >= 0
	case yaml.SequenceNode:
		arr := make([]any, 0, len(n.Content))
		ok := true
		for _, item := range n.Content {
			if *budget < 0 {
				break
			}
			v, vok := p.jsonValue(item, budget)
			arr, ok = append(arr, v), ok && vok
		}
		return arr, ok && *budget >= 0
	default:
		return p.jsonScalar(n)
	}
}

// jsonScalar converts a YAML scalar into a JSON string, number, boolean or null.
func (p *parser) jsonScalar(n *yaml.Node) (any, bool) {
	switch n.ShortTag() {
	case "!!str", "!!timestamp":
		return n.Value, true
	case "!!null":
		return nil, true
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			p.errorf(n, "inline schema value is not a valid %s", describe(n)[2:])
			return nil, false
		}
		if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
			p.errorf(n, "inline schema value %s is not a JSON number", n.Value)
			return nil, false
		}
		return v, true
	default:
		p.errorf(n, "inline schema values must be JSON, got %s", describe(n))
		return nil, false
	}
}
