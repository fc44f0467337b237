package baked_test

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// input is an input of the differential test; name says how it was made.
type input struct {
	name string
	data []byte
}

// The differential test reads the corpus files and mutants of each, made
// by one mutation or, one in four, two, picked by a generator seeded with
// mutationSeed and the file's name: the same inputs on every run, and the
// same mutants of a file when others are added. A valid file has more
// mutants than an invalid one, as many of them are valid files, which every
// reader must read alike.
const (
	mutationSeed      = 0x5ec2e7ba4e
	mutantsPerValid   = 60
	mutantsPerInvalid = 8
)

// differentialInputs returns the differential test's inputs.
func differentialInputs(t testing.TB) []input {
	t.Helper()
	var corpus []input
	for _, dir := range []string{"valid", "invalid"} {
		files := corpusFiles(t, dir)
		for _, name := range slices.Sorted(maps.Keys(files)) {
			corpus = append(corpus, input{dir + "/" + name, files[name]})
		}
	}
	inputs := slices.Clone(corpus)
	for _, file := range corpus {
		name := fnv.New64a()
		name.Write([]byte(file.name))
		m := &mutator{r: rand.New(rand.NewPCG(mutationSeed, name.Sum64())), corpus: corpus}
		mutants := mutantsPerInvalid
		if strings.HasPrefix(file.name, "valid/") {
			mutants = mutantsPerValid
		}
		for range mutants {
			in := file
			for range 1 + m.r.IntN(4)/3 {
				in = m.mutate(in)
			}
			inputs = append(inputs, in)
		}
	}
	return inputs
}

// mutator makes mutants with its random source r; splice-member takes
// members from the corpus.
type mutator struct {
	r      *rand.Rand
	corpus []input
}

// mutation changes data, laid out as l; ok is false when data has nothing
// it applies to.
type mutation func(m *mutator, data []byte, l layout) (mutant []byte, ok bool)

// mutate returns in changed by one of mutations that applies to it.
func (m *mutator) mutate(in input) input {
	l := scan(in.data)
	for {
		name := names[m.r.IntN(len(names))]
		if data, ok := mutations[name](m, in.data, l); ok {
			return input{in.name + " " + name, data}
		}
	}
}

// names are the keys of mutations, sorted, so that a seed picks the same.
var names = slices.Sorted(maps.Keys(mutations))

// mutations are the changes mutate makes, by the names that name mutants.
var mutations = map[string]mutation{
	"flip-bit": func(m *mutator, data []byte, _ layout) ([]byte, bool) {
		if len(data) == 0 {
			return nil, false
		}
		data = bytes.Clone(data)
		data[m.r.IntN(len(data))] ^= 1 << m.r.IntN(8)
		return data, true
	},
	"delete": func(m *mutator, data []byte, _ layout) ([]byte, bool) {
		if len(data) == 0 {
			return nil, false
		}
		i := m.r.IntN(len(data))
		return splice(data, span{i, min(i+1+m.r.IntN(4)*m.r.IntN(4), len(data))}, ""), true
	},
	"truncate": func(m *mutator, data []byte, _ layout) ([]byte, bool) {
		return data[:m.r.IntN(len(data)+1)], len(data) > 0
	},
	"insert": func(m *mutator, data []byte, _ layout) ([]byte, bool) {
		return splice(data, at(m.r.IntN(len(data)+1)), pick(m, tokens)), true
	},
	"insert-at-token": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		edges := slices.Concat(l.openers, l.closers)
		for _, s := range l.strings {
			edges = append(edges, s.start, s.end)
		}
		if len(edges) == 0 {
			return nil, false
		}
		return splice(data, at(min(pick(m, edges)+m.r.IntN(2), len(data))), pick(m, tokens)), true
	},
	"insert-in-string": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		s, ok := pickOK(m, l.strings)
		if !ok || s.end-s.start < 2 {
			return nil, false
		}
		return splice(data, at(s.start+1+m.r.IntN(s.end-s.start-1)), pick(m, slices.Concat(escapes, characters))), true
	},
	"replace-string": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		s, ok := pickOK(m, l.strings)
		if !ok || s.end-s.start < 2 {
			return nil, false
		}
		text := pick(m, texts)
		if m.r.IntN(3) == 0 { // another string of the file: two keys, or two values, alike
			other := pick(m, l.strings)
			text = string(data[other.start+1 : max(other.end-1, other.start+1)])
		}
		return splice(data, span{s.start + 1, s.end - 1}, text), true
	},
	"replace-number": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		n, ok := pickOK(m, l.numbers)
		return splice(data, n, pick(m, numbers)), ok
	},
	"replace-value": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		e, ok := pickOK(m, slices.Concat(l.members, l.elements))
		if !ok {
			return nil, false
		}
		if i := bytes.IndexByte(data[e.start:e.end], ':'); i >= 0 && data[e.start] == '"' { // a member
			e.start += i + 1
		}
		return splice(data, e.span, pick(m, slices.Concat(values, numbers))), true
	},
	"replace-space": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		s, ok := pickOK(m, l.spaces)
		return splice(data, s, pick(m, spaces)), ok
	},
	"insert-space": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		edges := slices.Concat(l.openers, l.closers)
		if len(edges) == 0 {
			return nil, false
		}
		return splice(data, at(pick(m, edges)+m.r.IntN(2)), pick(m, spaces)), true
	},
	"recase-key": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		k, ok := pickOK(m, l.keys)
		if !ok || k.end-k.start < 3 { // no letter to change
			return nil, false
		}
		key := string(data[k.start+1 : k.end-1])
		recased := pick(m, recasings)(m, key)
		return splice(data, span{k.start + 1, k.end - 1}, recased), recased != key
	},
	"escape-character": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		s, ok := pickOK(m, l.strings)
		if !ok {
			return nil, false
		}
		var plain []int // offsets of the characters that are not part of an escape
		for i := s.start + 1; i < s.end-1; {
			if data[i] == '\\' {
				if i += 2; data[i-1] == 'u' {
					i += 4
				}
				continue
			}
			plain = append(plain, i)
			_, n := utf8.DecodeRune(data[i:])
			i += n
		}
		i, ok := pickOK(m, plain)
		if !ok {
			return nil, false
		}
		r, n := utf8.DecodeRune(data[i:])
		return splice(data, span{i, i + n}, escape(m, r)), true
	},
	"duplicate-member": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		e, ok := pickOK(m, slices.Concat(l.members, l.elements))
		return splice(data, at(e.end), ","+string(data[e.start:e.end])), ok
	},
	"twin-member": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		// A copy of a member after it, its key recased: a key twice, or in
		// two cases, or two keys alike but for non-ASCII case folding.
		e, ok := pickOK(m, l.members)
		i := slices.IndexFunc(l.keys, func(k span) bool { return k.start == e.start })
		if !ok || i < 0 || l.keys[i].end-l.keys[i].start < 3 {
			return nil, false
		}
		k := l.keys[i]
		key := pick(m, recasings)(m, string(data[k.start+1:k.end-1]))
		return splice(data, at(e.end), `,"`+key+`"`+string(data[k.end:e.end])), true
	},
	"delete-member": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		e, ok := pickOK(m, slices.Concat(l.members, l.elements))
		if !ok {
			return nil, false
		}
		if i := skipSpace(data, e.end); i < len(data) && data[i] == ',' {
			e.end = i + 1
		}
		return splice(data, e.span, ""), true
	},
	"swap-siblings": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		items := slices.Concat(l.members, l.elements)
		a, ok := pickOK(m, items)
		var siblings []item
		for _, b := range items {
			if b.parent == a.parent && b.start > a.end {
				siblings = append(siblings, b)
			}
		}
		b, more := pickOK(m, siblings)
		if !ok || !more {
			return nil, false
		}
		swapped := slices.Concat(data[:a.start], data[b.start:b.end], data[a.end:b.start], data[a.start:a.end], data[b.end:])
		return swapped, true
	},
	"trailing-comma": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		c, ok := pickOK(m, l.closers)
		return splice(data, at(c), ","), ok
	},
	"wrap-value": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		e, ok := pickOK(m, slices.Concat(l.members, l.elements))
		if !ok {
			return nil, false
		}
		if i := bytes.IndexByte(data[e.start:e.end], ':'); i >= 0 && data[e.start] == '"' {
			e.start += i + 1
		}
		open, close, _ := strings.Cut(pick(m, []string{"[|]", `{"arn":|}`, `{"x":|}`, "{|}"}), "|")
		return slices.Concat(data[:e.start], []byte(open), data[e.start:e.end], []byte(close), data[e.end:]), true
	},
	"splice-member": func(m *mutator, data []byte, l layout) ([]byte, bool) {
		o, ok := pickOK(m, l.openers)
		from := pick(m, m.corpus).data
		member, more := pickOK(m, scan(from).members)
		if !ok || !more {
			return nil, false
		}
		text := string(from[member.start:member.end])
		if i := skipSpace(data, o+1); i < len(data) && data[i] != '}' {
			text += ","
		}
		return splice(data, at(o+1), text), true
	},
	"append": func(m *mutator, data []byte, _ layout) ([]byte, bool) {
		return splice(data, at(len(data)), pick(m, slices.Concat(tokens, spaces))), true
	},
}

// splice returns a copy of data with the bytes of s replaced by text.
func splice(data []byte, s span, text string) []byte {
	return slices.Concat(data[:s.start], []byte(text), data[s.end:])
}

// at is the empty span at offset i, where splice inserts.
func at(i int) span { return span{i, i} }

// pick returns a random element of s, which is not empty.
func pick[T any](m *mutator, s []T) T { return s[m.r.IntN(len(s))] }

// pickOK returns a random element of s, or false when s is empty.
func pickOK[T any](m *mutator, s []T) (T, bool) {
	if len(s) == 0 {
		var zero T
		return zero, false
	}
	return pick(m, s), true
}

// escape returns a JSON escape of r that decodes to r: \uXXXX, a pair of
// them for a rune beyond U+FFFF, in either case of hex digits, or \/ for '/'.
func escape(m *mutator, r rune) string {
	if r == '/' && m.r.IntN(2) == 0 {
		return `\/`
	}
	format := pick(m, []string{`\u%04x`, `\u%04X`})
	if hi, lo := utf16.EncodeRune(r); hi != unicode.ReplacementChar {
		return fmt.Sprintf(format+format, hi, lo)
	}
	return fmt.Sprintf(format, r)
}

// recasings change the case of a key's letters, or escape one, or swap
// letters for ones that non-ASCII case folding takes for them.
var recasings = []func(m *mutator, key string) string{
	func(_ *mutator, key string) string { return strings.ToUpper(key) },
	func(_ *mutator, key string) string { return strings.ToLower(key) },
	func(m *mutator, key string) string {
		i := m.r.IntN(len(key))
		c := key[i]
		switch {
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		return key[:i] + string(c) + key[i+1:]
	},
	func(m *mutator, key string) string {
		i := m.r.IntN(len(key))
		if key[i] >= utf8.RuneSelf {
			return key
		}
		return key[:i] + fmt.Sprintf(`\u%04X`, pick(m, []rune{unicode.ToUpper(rune(key[i])), unicode.ToLower(rune(key[i]))})) + key[i+1:]
	},
	func(_ *mutator, key string) string {
		return strings.NewReplacer("k", "\u212a", "K", "\u212a", "s", "\u017f", "i", "\u0131", "I", "\u0130").Replace(key)
	},
}

// tokens are what insert puts anywhere: JSON punctuation and literals, and
// what JSON does not have.
var tokens = slices.Concat([]string{
	`"`, `{`, `}`, `[`, `]`, `:`, `,`, `""`, `{}`, `[]`, `null`, `true`, `false`, `nul`, `True`,
	`NaN`, `Infinity`, `-Infinity`, `/* c */`, `//`, `'a'`, `\`, "\x00", "\xff", "\xef\xbb\xbf",
	`"arn":"x",`, `"A":{"arn":"a","ciphertext":"AQID"},`, `"$bundle":{},`,
}, numbers, escapes)

// escapes are JSON escapes and what looks like one but is not.
var escapes = []string{
	`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u0000`, `\u001f`, `\u0041`, `\u0061`, `\u0024`, `\u00e9`,
	`\u200b`, `\u200B`, `\ufeff`, `\u2028`, `\ud800`, `\uDBFF`, `\udc00`, `\ud83d\ude00`, `\uD83D\uDE00`,
	`\udbff\udfff`, `\ud800\u0041`, `\udc00\ud800`, `\ud800\ud800`, `\ud800\`, `\ud800\u12`, `\u12`,
	`\u00G0`, `\U0041`, `\u+041`, `\x41`, `\a`, `\'`, `\0`, `\`,
}

// characters are what insert-in-string puts in a string: control
// characters, bytes that are not UTF-8, and characters beyond ASCII that
// look like ASCII, are invisible, or fold to ASCII.
var characters = []string{
	"\x00", "\x01", "\t", "\n", "\x1f", "\x7f", "\xc3", "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\u00a0", "\u00e9", "e\u0301", "\u200b", "\u200d", "\u2028", "\u202e", "\u2066", "\ufeff", "\ufffd", "\uffff",
	"\u212a", "\u017f", "\u0130", "\u0131", "\uff21", "\u0663", "😀", "A", "a", " ", "$", ":", "/", "-", "_", ".",
}

// texts are what replace-string puts in a string: the format's keys and
// their kin, names at and beyond the grammar's bounds, ciphertexts, times
// and digests valid or not.
var texts = []string{
	"", "a", "A", "arn", "ARN", "Arn", "ciphertext", "Ciphertext", "parameter", "version", "Version", "modified",
	"key", "KEY", "context", "secret-id", "version-id", "json-key", "SecretARN", "SecretVersionId", "PARAMETER_ARN",
	"$bundle", "$BUNDLE", "$other", "secrets", "digest", "chunks", "name", "__proto__", "constructor", "toString",
	strings.Repeat("N", 256), strings.Repeat("N", 257), "a b", "a:b", "..", "/", "-",
	"AQID", "AQIDBA==", "AQI=", "AQ==", "AQIDBA", "AQIDBA===", "AQ=D", "====", "AQ-_", " AQID", `AQID\n`, `\u0041QID`,
	"arn:aws:ssm:us-east-1:123456789012:parameter/x", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf",
	"2026-09-14T08:30:00Z", "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z",
	"2026-09-14T08:30:60Z", "2026-09-14t08:30:00z", "2026-09-14T08:30:00.5Z", "2026-09-14T08:30:00+00:00", `2026-09-14T08:30:00\u005a`,
	"1", "4", "sha256:" + strings.Repeat("0", 64), "sha256:" + strings.Repeat("A", 64),
	"\u00e9", "\u212a", "\u200b", `\u0000`, `\ud800`, "😀",
}

// numbers are numbers JSON has and numbers it has not, around the bounds
// of version.
var numbers = []string{
	"0", "-0", "1", "2", "4", "1.0", "1e3", "1E3", "1e+3", "1e-3", "0.5", "01", "-1", "9007199254740991",
	"9007199254740992", "9007199254740993", "18446744073709551617", "1e400", "-", "1.", ".1", "+1", "0x1", "1_0",
	"\u0663", "\uff11",
}

// values are what replace-value puts in place of a value.
var values = []string{
	`null`, `true`, `false`, `""`, `"x"`, `"AQID"`, `[]`, `["AQID"]`, `{}`, `{"a":"b"}`, `{"a":{}}`, `{"a":1}`,
	`[1,]`, `{"a":"b",}`, `{"a":"b","a":"c"}`, strings.Repeat("[", 2000) + strings.Repeat("]", 2000),
}

// spaces are what replace-space and insert-space put between tokens: JSON
// whitespace and what other grammars take for whitespace.
var spaces = []string{"", " ", "\t", "\n", "\r\n", "\r", "\f", "\v", "\u00a0", "\u2028", "\u3000", "\ufeff", "\x00", " \n\t "}
