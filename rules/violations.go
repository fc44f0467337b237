package rules

import (
	"cmp"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// violations turns the leaves of a validation error tree into violations sorted by instance and
// keyword location. jsonschema's own messages embed the failing value, so each message is
// built here from the error kind's fields that come from the schema, never from the value.
func violations(root *jsonschema.ValidationError, doc any, declared map[string]bool) []Violation {
	var found []Violation
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 && !opaque(e.ErrorKind) {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		instance := instanceLocation(e.InstanceLocation, doc, declared)
		keyword := keywordLocation(e)
		where := instance
		if where == "" {
			where = "(root)"
		}
		found = append(found, Violation{
			Reason:           ErrSchema,
			Message:          fmt.Sprintf("%s: %s (schema %s)", where, describe(e.ErrorKind), keyword),
			InstanceLocation: instance,
			KeywordLocation:  keyword,
		})
	}
	walk(root)
	slices.SortStableFunc(found, func(a, b Violation) int {
		return cmp.Or(cmp.Compare(a.InstanceLocation, b.InstanceLocation), cmp.Compare(a.KeywordLocation, b.KeywordLocation))
	})
	return found
}

// opaque reports whether the causes of an error of kind k are no violations of their own: the
// reasons why items fail contains, or errors found in another document than the secret's (a
// property name, decoded content) whose locations would mislead.
func opaque(k jsonschema.ErrorKind) bool {
	switch k.(type) {
	case *kind.PropertyNames, *kind.ContentSchema, *kind.Contains, *kind.MinContains:
		return true
	}
	return false
}

// instanceLocation renders the JSON pointer of tokens, walking doc to tell array indexes from
// property names, and replacing the names the schema does not declare (which are part of the
// secret) by "*".
func instanceLocation(tokens []string, doc any, declared map[string]bool) string {
	var sb strings.Builder
	v := doc
	for _, tok := range tokens {
		shown := "*"
		switch x := v.(type) {
		case []any:
			shown = tok
			i, err := strconv.Atoi(tok)
			v = nil
			if err == nil && i >= 0 && i < len(x) {
				v = x[i]
			}
		case map[string]any:
			if declared[tok] {
				shown = escapePointer(tok)
			}
			v = x[tok]
		default:
			v = nil
		}
		sb.WriteString("/" + shown)
	}
	return sb.String()
}

// keywordLocation returns the location of the failing keyword as a JSON pointer into the
// schema document, or as an absolute URL when it lies in another document.
func keywordLocation(e *jsonschema.ValidationError) string {
	loc := e.SchemaURL
	for _, tok := range keywordPath(e.ErrorKind) {
		loc += "/" + escapePointer(tok)
	}
	ptr, ok := strings.CutPrefix(loc, schemaURL+"#")
	if !ok {
		return loc
	}
	if unescaped, err := url.PathUnescape(ptr); err == nil {
		ptr = unescaped
	}
	if ptr == "" {
		return "/"
	}
	return ptr
}

// keywordPath is the path from an error's SchemaURL to its keyword. It corrects the library's
// paths of two kinds: propertyNames errors already point at the keyword, and not errors point at
// the schema holding it.
func keywordPath(k jsonschema.ErrorKind) []string {
	switch k.(type) {
	case *kind.PropertyNames:
		return nil
	case *kind.Not:
		return []string{"not"}
	}
	return k.KeywordPath()
}

// escapePointer escapes a JSON pointer token.
func escapePointer(tok string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(tok)
}

// describe says what a validation error of kind k means, from the schema's side only.
func describe(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("got %s, want %s", k.Got, strings.Join(k.Want, " or "))
	case *kind.Enum:
		return fmt.Sprintf("is not one of the %d values allowed by enum", len(k.Want))
	case *kind.Const:
		return "is not the value required by const"
	case *kind.Format:
		return fmt.Sprintf("is not a valid %s (format)", k.Want)
	case *kind.Pattern:
		return fmt.Sprintf("does not match pattern `%s`", k.Want)
	case *kind.MinLength:
		return fmt.Sprintf("has length %d, want at least %d", k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("has length %d, want at most %d", k.Got, k.Want)
	case *kind.ContentEncoding:
		return fmt.Sprintf("is not %s encoded", k.Want)
	case *kind.ContentMediaType:
		return fmt.Sprintf("is not valid %s content", k.Want)
	case *kind.ContentSchema:
		return "has content that does not satisfy contentSchema"
	case *kind.Minimum:
		return fmt.Sprintf("is less than the minimum %s", formatRat(k.Want))
	case *kind.Maximum:
		return fmt.Sprintf("is greater than the maximum %s", formatRat(k.Want))
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("is not greater than the exclusive minimum %s", formatRat(k.Want))
	case *kind.ExclusiveMaximum:
		return fmt.Sprintf("is not less than the exclusive maximum %s", formatRat(k.Want))
	case *kind.MultipleOf:
		return fmt.Sprintf("is not a multiple of %s", formatRat(k.Want))
	case *kind.Required:
		return fmt.Sprintf("missing required %s", quotedNames("property", "properties", k.Missing))
	case *kind.DependentRequired:
		return fmt.Sprintf("has property %q, which requires %s", k.Prop, quotedNames("property", "properties", k.Missing))
	case *kind.Dependency:
		return fmt.Sprintf("has property %q, which requires %s", k.Prop, quotedNames("property", "properties", k.Missing))
	case *kind.AdditionalProperties:
		return fmt.Sprintf("has %d %s not allowed by additionalProperties (names withheld)", len(k.Properties), plural(len(k.Properties), "property", "properties"))
	case *kind.PropertyNames:
		return "has a property name that does not satisfy propertyNames (name withheld)"
	case *kind.MinProperties:
		return fmt.Sprintf("has %d %s, want at least %d", k.Got, plural(k.Got, "property", "properties"), k.Want)
	case *kind.MaxProperties:
		return fmt.Sprintf("has %d %s, want at most %d", k.Got, plural(k.Got, "property", "properties"), k.Want)
	case *kind.MinItems:
		return fmt.Sprintf("has %d %s, want at least %d", k.Got, plural(k.Got, "item", "items"), k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("has %d %s, want at most %d", k.Got, plural(k.Got, "item", "items"), k.Want)
	case *kind.AdditionalItems:
		return fmt.Sprintf("has %d more %s than allowed by additionalItems", k.Count, plural(k.Count, "item", "items"))
	case *kind.UniqueItems:
		return fmt.Sprintf("has equal items at %d and %d (uniqueItems)", k.Duplicates[0], k.Duplicates[1])
	case *kind.Contains:
		return "has no item that satisfies contains"
	case *kind.MinContains:
		return fmt.Sprintf("has %d items that satisfy contains, want at least %d", len(k.Got), k.Want)
	case *kind.MaxContains:
		return fmt.Sprintf("has %d items that satisfy contains, want at most %d", len(k.Got), k.Want)
	case *kind.FalseSchema:
		return "is not allowed (false schema)"
	case *kind.Not:
		return "satisfies the schema under not"
	case *kind.OneOf:
		if len(k.Subschemas) >= 2 {
			return fmt.Sprintf("satisfies more than one oneOf subschema (%d and %d)", k.Subschemas[0], k.Subschemas[1])
		}
		return "satisfies no oneOf subschema"
	case *kind.AnyOf:
		return "satisfies no anyOf subschema"
	case *kind.AllOf:
		return "does not satisfy allOf"
	}
	if path := k.KeywordPath(); len(path) > 0 {
		return fmt.Sprintf("does not satisfy %s", strings.Join(path, "/"))
	}
	return "does not satisfy the schema"
}

// formatRat renders a schema's numeric limit: as an integer when it is one, otherwise as the
// shortest float.
func formatRat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// quotedNames renders schema-declared property names: `property "a"` or `properties "a", "b"`.
func quotedNames(one, many string, names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return plural(len(names), one, many) + " " + strings.Join(quoted, ", ")
}

// plural returns one when n is 1 and many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// declaredProperties returns the property names a schema declares under properties, anywhere
// it can reach. Only those names may appear in an instance location: any other property name
// comes from the secret's document.
func declaredProperties(root *jsonschema.Schema) map[string]bool {
	names := map[string]bool{}
	seen := map[*jsonschema.Schema]bool{}
	var walk func(s *jsonschema.Schema)
	walk = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for name := range s.Properties {
			names[name] = true
		}
		for _, sub := range subschemas(s) {
			walk(sub)
		}
	}
	walk(root)
	return names
}

// subschemas returns the schemas s refers to or applies to its instance or parts of it.
func subschemas(s *jsonschema.Schema) []*jsonschema.Schema {
	subs := []*jsonschema.Schema{
		s.Ref, s.RecursiveRef, s.Not, s.If, s.Then, s.Else, s.PropertyNames, s.UnevaluatedProperties,
		s.Contains, s.Items2020, s.UnevaluatedItems, s.ContentSchema,
	}
	if s.DynamicRef != nil {
		subs = append(subs, s.DynamicRef.Ref)
	}
	for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		subs = append(subs, list...)
	}
	for _, sub := range s.Properties {
		subs = append(subs, sub)
	}
	for _, sub := range s.PatternProperties {
		subs = append(subs, sub)
	}
	for _, sub := range s.DependentSchemas {
		subs = append(subs, sub)
	}
	for _, dep := range s.Dependencies {
		subs = appendSchemas(subs, dep)
	}
	for _, v := range []any{s.AdditionalProperties, s.AdditionalItems, s.Items} {
		subs = appendSchemas(subs, v)
	}
	return subs
}

// appendSchemas appends v to subs when it is a *jsonschema.Schema or a list of them; keywords
// such as items and additionalProperties hold either a schema or a boolean.
func appendSchemas(subs []*jsonschema.Schema, v any) []*jsonschema.Schema {
	switch v := v.(type) {
	case *jsonschema.Schema:
		return append(subs, v)
	case []*jsonschema.Schema:
		return append(subs, v...)
	}
	return subs
}
