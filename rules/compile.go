package rules

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Set is the validators declared for one secret; the zero value means none.
type Set struct {
	Regex  *Regex
	Schema *Schema
}

// Regex is a compiled RE2 pattern a secret's plaintext must match (anywhere, unless anchored).
type Regex struct {
	re *regexp.Regexp
}

// String returns the pattern as declared.
func (r *Regex) String() string { return r.re.String() }

// Schema is a compiled JSON Schema a secret's plaintext, parsed as JSON, must satisfy.
type Schema struct {
	schema *jsonschema.Schema
	source string
}

// String describes where the schema was declared (a file path or a spec location).
func (s *Schema) String() string { return s.source }

// CompileRegex compiles pattern with Go's RE2 syntax. PCRE-only constructs that RE2 lacks
// (look-around, backreferences, possessive quantifiers, ...) are named in the error; any other
// error is located by character positions, never quoted.
func CompileRegex(pattern string) (*Regex, error) {
	re, err := regexp.Compile(pattern)
	if err == nil {
		return &Regex{re: re}, nil
	}
	var se *syntax.Error
	if !errors.As(err, &se) {
		return nil, fmt.Errorf("invalid regex: %w", err)
	}
	if c, ok := findPCRE(pattern); ok && se.Expr != "" && (strings.HasPrefix(c.text, se.Expr) || strings.HasPrefix(se.Expr, c.text)) {
		msg := fmt.Sprintf("invalid regex: %s `%s` is not supported by Go's RE2 syntax", c.name, c.text)
		if c.hint != "" {
			msg += "; " + c.hint
		}
		return nil, errors.New(msg)
	}
	return nil, fmt.Errorf("invalid regex: %s%s", se.Code, span(pattern, se.Expr))
}

// span locates expr, the part of pattern the compiler failed at, by character positions: a
// pattern that fails the grammar may be a value pasted where a regex belongs, so it is never
// quoted.
func span(pattern, expr string) string {
	i := strings.Index(pattern, expr)
	if i < 0 || expr == "" {
		return ""
	}
	from := utf8.RuneCountInString(pattern[:i]) + 1
	to := from + utf8.RuneCountInString(expr) - 1
	if from == to {
		return fmt.Sprintf(" (character %d)", from)
	}
	return fmt.Sprintf(" (characters %d to %d)", from, to)
}

// pcreConstruct is a piece of PCRE syntax found in a pattern.
type pcreConstruct struct {
	text string // as written in the pattern
	name string
	hint string
}

// pcreGroups are the group openings RE2 lacks, longest prefix first where they overlap.
var pcreGroups = []pcreConstruct{
	{text: "(?<=", name: "look-behind"},
	{text: "(?<!", name: "negative look-behind"},
	{text: "(?=", name: "look-ahead"},
	{text: "(?!", name: "negative look-ahead"},
	{text: "(?>", name: "atomic group", hint: "use a non-capturing group `(?:...)`"},
	{text: "(?(", name: "conditional group"},
	{text: "(?R", name: "recursion"},
	{text: "(?&", name: "subroutine call"},
	{text: "(?P>", name: "subroutine call"},
	{text: "(?P=", name: "named backreference"},
	{text: "(?#", name: "comment group"},
	{text: "(?|", name: "branch reset group"},
}

// pcreEscapes are the escapes RE2 lacks outside character classes, keyed by the escaped byte.
var pcreEscapes = map[byte]pcreConstruct{
	'G': {name: "start-of-match anchor"},
	'Z': {name: "end-of-subject anchor", hint: "use `\\z` or `$`"},
	'K': {name: "match reset"},
	'k': {name: "named backreference"},
	'g': {name: "backreference"},
}

// findPCRE returns the first PCRE-only construct in pattern, skipping escaped text,
// \Q...\E quotes and character classes, where these constructs mean something else.
func findPCRE(p string) (pcreConstruct, bool) {
	quantEnd := -1 // index just past the last quantifier, for possessive detection
	quantStart := 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\' && i+1 < len(p):
			e := p[i+1]
			if e >= '1' && e <= '9' && !isOctalEscape(p[i+1:]) {
				return pcreConstruct{text: p[i : i+2], name: "backreference"}, true
			}
			if pc, ok := pcreEscapes[e]; ok {
				pc.text = p[i : i+2]
				return pc, true
			}
			i = skipEscape(p, i)
		case c == '[':
			i = skipClass(p, i)
		case c == '(' && strings.HasPrefix(p[i:], "(?"):
			for _, g := range pcreGroups {
				if strings.HasPrefix(p[i:], g.text) {
					return g, true
				}
			}
			if n := recursionLen(p[i+2:]); n > 0 {
				return pcreConstruct{text: p[i : i+2+n], name: "recursion"}, true
			}
			i++ // the '?' opens a group, it is no quantifier
		case c == '+' && i == quantEnd:
			return pcreConstruct{
				text: p[quantStart : i+1],
				name: "possessive quantifier",
				hint: "drop the trailing `+`",
			}, true
		case c == '*' || c == '+' || c == '?':
			if c == '?' && i == quantEnd {
				continue // lazy modifier
			}
			quantStart, quantEnd = i, i+1
		case c == '{':
			if n := repeatLen(p[i:]); n > 0 {
				quantStart, quantEnd = i, i+n
				i += n - 1
			}
		}
	}
	return pcreConstruct{}, false
}

// skipEscape returns the index of the last byte of the escape starting at p[i] == '\\'.
func skipEscape(p string, i int) int {
	switch e := p[i+1]; {
	case e == 'Q':
		if end := strings.Index(p[i+2:], `\E`); end >= 0 {
			return i + 2 + end + 1
		}
		return len(p) - 1
	case (e == 'x' || e == 'p' || e == 'P') && i+2 < len(p) && p[i+2] == '{':
		if end := strings.IndexByte(p[i+2:], '}'); end >= 0 {
			return i + 2 + end
		}
		return len(p) - 1
	default:
		return i + 1
	}
}

// skipClass returns the index of the ']' closing the character class opened at p[i].
func skipClass(p string, i int) int {
	j := i + 1
	if j < len(p) && p[j] == '^' {
		j++
	}
	if j < len(p) && p[j] == ']' {
		j++ // a leading ']' is literal
	}
	for ; j < len(p); j++ {
		switch {
		case p[j] == '\\' && j+1 < len(p):
			j = skipEscape(p, j)
		case strings.HasPrefix(p[j:], "[:"):
			if end := strings.Index(p[j+2:], ":]"); end >= 0 {
				j += 2 + end + 1
			}
		case p[j] == ']':
			return j
		}
	}
	return len(p) - 1
}

// repeatLen returns the length of a counted repetition {n}, {n,} or {n,m} at the start of s, or 0.
func repeatLen(s string) int {
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return 0
	}
	lo, hi, comma := strings.Cut(s[1:end], ",")
	if !isDigits(lo) || (comma && hi != "" && !isDigits(hi)) {
		return 0
	}
	return end + 1
}

// recursionLen returns the length of a numbered recursion body such as "1", "-1" or "+2" at the start of s, or 0.
func recursionLen(s string) int {
	n := 0
	if n < len(s) && (s[n] == '-' || s[n] == '+') {
		n++
	}
	digits := n
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == digits || n >= len(s) || s[n] != ')' {
		return 0
	}
	return n
}

// isOctalEscape reports whether s, following a backslash, is an octal escape such as "12" that RE2 accepts.
func isOctalEscape(s string) bool {
	return len(s) >= 2 && s[0] >= '1' && s[0] <= '7' && s[1] >= '0' && s[1] <= '7'
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// schemaURL is the resource URL schemas are compiled under; nothing is ever fetched from it.
const schemaURL = "https://secret-baker.invalid/schema.json"

// CompileSchema compiles a JSON Schema (Draft 2020-12 unless it declares another $schema)
// with format assertions on. doc is a decoded JSON value; source describes where it was
// declared and is returned by String. External references are never loaded.
func CompileSchema(source string, doc any) (*Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(jsonschema.SchemeURLLoader{})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("invalid JSON Schema: %s", trimSchemaURL(err.Error()))
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, schemaCompileError(err)
	}
	return &Schema{schema: s, source: source}, nil
}

// schemaCompileError turns a jsonschema compile error into a message that names schema
// locations as JSON pointers instead of internal URLs.
func schemaCompileError(err error) error {
	var sve *jsonschema.SchemaValidationError
	var ve *jsonschema.ValidationError
	if errors.As(err, &sve) && errors.As(sve.Err, &ve) {
		var leaves []string
		collectLeaves(*ve.DetailedOutput(), &leaves)
		sort.Strings(leaves)
		return fmt.Errorf("invalid JSON Schema: %s", strings.Join(leaves, "; "))
	}
	var le *jsonschema.LoadURLError
	if errors.As(err, &le) {
		return fmt.Errorf("invalid JSON Schema: cannot load %q: external schemas are not loaded, keep $ref and $schema inside the document", trimSchemaURL(le.URL))
	}
	return fmt.Errorf("invalid JSON Schema: %s", trimSchemaURL(err.Error()))
}

// collectLeaves appends "at POINTER: message" for each innermost error of a meta-schema validation.
func collectLeaves(u jsonschema.OutputUnit, leaves *[]string) {
	if len(u.Errors) == 0 && u.Error != nil {
		loc := u.InstanceLocation
		if loc == "" {
			loc = "/"
		}
		*leaves = append(*leaves, fmt.Sprintf("at %q: %s", loc, u.Error))
	}
	for _, c := range u.Errors {
		collectLeaves(c, leaves)
	}
}

// trimSchemaURL removes the internal resource URL from library messages, leaving relative references.
func trimSchemaURL(s string) string {
	s = strings.ReplaceAll(s, schemaURL, "")
	return strings.ReplaceAll(s, strings.TrimSuffix(schemaURL, "schema.json"), "")
}
