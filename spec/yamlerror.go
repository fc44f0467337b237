package spec

import (
	"errors"
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// yamlProblems are the YAML library's messages that name no content of the file: constants of
// its source, copied and checked here word for word. The library's other messages may quote
// the file (an alias's name, a tag, a character), so they are reported by kind only.
var yamlProblems = set(
	"block sequence entries are not allowed in this context",
	"could not find expected ':'",
	"could not find expected directive name",
	"did not find URI escaped octet",
	"did not find expected '!'",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document end> before directive",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected alphabetic or numeric character",
	"did not find expected comment or line break",
	"did not find expected digit or '.' character",
	"did not find expected hexadecimal number",
	"did not find expected key",
	"did not find expected node content",
	"did not find expected tag URI",
	"did not find expected version number",
	"did not find expected whitespace",
	"did not find expected whitespace or line break",
	"did not find the expected '>'",
	"found a comment without preceding whitespace",
	"found a tab character that violates indentation",
	"found a tab character where an indentation space is expected",
	"found an incorrect leading UTF-8 octet",
	"found an incorrect trailing UTF-8 octet",
	"found an indentation indicator equal to 0",
	"found character that cannot start any token",
	"found extremely long version number",
	"found incompatible YAML document",
	"found indentation style that differs from earlier lines",
	"found invalid Unicode character escape code",
	"found mixed spaces and tabs in indentation",
	"found spaces where tab indentation is required",
	"found tabs where space indentation is required",
	"found undefined tag handle",
	"found unexpected content after document-end marker",
	"found unexpected document indicator",
	"found unexpected end of stream",
	"found unexpected non-alphabetical character",
	"found unknown directive name",
	"found unknown escape character",
	"invalid length of a UTF-8 sequence",
	"mapping keys are not allowed in this context",
	"mapping values are not allowed in this context",
)

// yamlContexts are the library's context messages, all constants naming no content.
var yamlContexts = set(
	"while increasing flow level",
	"while increasing indent level",
	"while parsing a block collection",
	"while parsing a block mapping",
	"while parsing a block node",
	"while parsing a flow mapping",
	"while parsing a flow node",
	"while parsing a flow sequence",
	"while parsing a node",
	"while parsing a tag",
	"while scanning a block scalar",
	"while scanning a directive",
	"while scanning a document-end marker",
	"while scanning a plain scalar",
	"while scanning a quoted scalar",
	"while scanning a simple key",
	"while scanning a tag",
	"while scanning an alias",
	"while scanning an anchor",
	"while scanning for the next token",
)

// set returns the set of words.
func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// syntaxError records a YAML syntax error of data at its position, in words of our own: the
// library's message when it is one of yamlProblems, else the kind of problem its stage finds.
func (p *parser) syntaxError(data []byte, err error) {
	var le *yaml.LoadError
	if !errors.As(err, &le) {
		p.errorAt(Location{File: p.file, Line: 1, Column: 1}, "malformed YAML")
		return
	}
	msg := "malformed YAML: " + yamlProblem(le)
	if yamlContexts[le.ContextMsg] && le.ContextMark.Line > 0 {
		contextLine, _ := clampPosition(data, le.ContextMark.Line, le.ContextMark.Column, le.ContextMark.Index)
		msg += fmt.Sprintf(" (%s started at line %d)", le.ContextMsg, contextLine)
	}
	line, column := clampPosition(data, le.Mark.Line, le.Mark.Column, le.Mark.Index)
	p.errorAt(Location{File: p.file, Line: line, Column: column}, "%s", msg)
}

// yamlProblem describes what le found, without quoting the file.
func yamlProblem(le *yaml.LoadError) string {
	switch {
	case yamlProblems[le.Message]:
		return le.Message
	case le.Stage == yaml.ReaderStage:
		return "a byte that is not valid UTF-8 or a character that is not allowed"
	case le.Stage == yaml.ScannerStage:
		return "a character that cannot be read here"
	case le.Stage == yaml.ComposerStage && strings.HasPrefix(le.Message, "unknown anchor "):
		return "an alias (*) names no anchor (&) defined before it"
	case le.Stage == yaml.ComposerStage:
		return "an alias cannot be resolved"
	default:
		return "unexpected content here"
	}
}
