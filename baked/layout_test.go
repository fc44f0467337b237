package baked_test

// span is the bytes [start, end) of an input.
type span struct{ start, end int }

// item is a member of an object ("key": value) or an element of an array,
// with the offset of the '{' or '[' it is in.
type item struct {
	span
	parent int
}

// layout is where the JSON tokens of an input are, as far as a lenient scan
// finds them in an input that may not be JSON at all: what the differential
// test's mutations aim at.
type layout struct {
	strings  []span // quotes included
	keys     []span // strings followed by ':'
	numbers  []span
	spaces   []span // runs of JSON whitespace outside strings
	openers  []int  // offsets of '{'
	closers  []int  // offsets of '}' and ']'
	members  []item
	elements []item
}

// isSpace reports whether c is JSON whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the offset of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

// scan returns the layout of data.
func scan(data []byte) layout {
	var l layout
	var stack []int           // offsets of the open '{' and '['
	ends := map[int]int{}     // offset of a value's first byte → its end, for strings, objects and arrays
	var keys, elements []item // keys with their object, and elements' first bytes with their array
	run := func(i int, in func(byte) bool) int {
		for i < len(data) && in(data[i]) {
			i++
		}
		return i
	}
	for i := 0; i < len(data); {
		start, c := i, data[i]
		parent := -1
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		if parent >= 0 && data[parent] == '[' && c != ']' && c != ',' && c != ':' && !isSpace(c) {
			elements = append(elements, item{span{start, start}, parent})
		}
		switch {
		case c == '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			i = min(i+1, len(data))
			s := span{start, i}
			ends[start] = i
			l.strings = append(l.strings, s)
			if k := skipSpace(data, i); k < len(data) && data[k] == ':' {
				l.keys = append(l.keys, s)
				keys = append(keys, item{s, parent})
			}
		case isSpace(c):
			i = run(i, isSpace)
			l.spaces = append(l.spaces, span{start, i})
		case c == '-' || '0' <= c && c <= '9':
			i = run(i, func(c byte) bool {
				return c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || '0' <= c && c <= '9'
			})
			l.numbers = append(l.numbers, span{start, i})
		case c == '{' || c == '[':
			if c == '{' {
				l.openers = append(l.openers, i)
			}
			stack = append(stack, i)
			i++
		case c == '}' || c == ']':
			l.closers = append(l.closers, i)
			if parent >= 0 && data[parent]+2 == c { // '{'+2 == '}', '['+2 == ']'
				stack = stack[:len(stack)-1]
				ends[parent] = i + 1
			}
			i++
		default: // a literal, or a byte JSON does not have here
			i = max(run(i, func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }), i+1)
		}
	}
	valueEnd := func(i int) (int, bool) {
		if end, ok := ends[i]; ok {
			return end, true
		}
		end := run(i, func(c byte) bool { return c != ',' && c != '}' && c != ']' && c != '"' && !isSpace(c) })
		return end, end > i && data[i] != '{' && data[i] != '['
	}
	for _, k := range keys {
		v := skipSpace(data, skipSpace(data, k.end)+1)
		if end, ok := valueEnd(v); ok {
			l.members = append(l.members, item{span{k.start, end}, k.parent})
		}
	}
	for _, e := range elements {
		if end, ok := valueEnd(e.start); ok {
			l.elements = append(l.elements, item{span{e.start, end}, e.parent})
		}
	}
	return l
}
