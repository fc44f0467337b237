package baked

// bundle reads the value of BundleKey: an object of
// exactly secrets (an array of objects of exactly name, arn and version, each
// a string), digest, key (strings) and chunks (an array of strings). Parse
// checks the rest with Check once it has the entries.
func (l *lexer) bundle() (*Bundle, error) {
	b := &Bundle{}
	seen := 0
	err := l.object("not an object", func(key token) error {
		seen++
		switch key.text {
		case "secrets":
			return l.array("secrets", func() error {
				var s BundleSecret
				fields := map[string]*string{"name": &s.Name, "arn": &s.ARN, "version": &s.Version}
				err := l.object("an item of secrets is not an object", func(key token) error {
					to, ok := fields[key.text]
					if !ok {
						return bundleError("unknown field in an item of secrets")
					}
					delete(fields, key.text)
					return l.stringInto(to, "a field of an item of secrets")
				})
				if err == nil && len(fields) > 0 {
					err = bundleError("an item of secrets lacks name, arn or version")
				}
				b.Secrets = append(b.Secrets, s)
				return err
			})
		case "chunks":
			return l.array("chunks", func() error {
				var c string
				err := l.stringInto(&c, "a chunk")
				b.Chunks = append(b.Chunks, c)
				return err
			})
		case "digest":
			return l.stringInto(&b.Digest, "digest")
		case "key":
			return l.stringInto(&b.Key, "key")
		}
		return bundleError("unknown field")
	})
	if err == nil && seen != 4 {
		err = bundleError("lacks secrets, digest, key or chunks")
	}
	return b, err
}

// object reads an object of the bundle, each member with member; not says
// what the error says of a value that is not an object.
func (l *lexer) object(not string, member func(key token) error) error {
	open, err := l.value()
	if err == nil && open.kind != '{' {
		err = bundleError("%s", not)
	}
	if err != nil {
		return err
	}
	return l.members(member)
}

// array reads the array of the bundle's field name, each element with elem.
func (l *lexer) array(name string, elem func() error) error {
	open, err := l.value()
	if err == nil && open.kind != '[' {
		err = bundleError("%s is not an array", name)
	}
	for first := true; err == nil; first = false {
		if l.skipSpace(); first && l.pos < len(l.data) && l.data[l.pos] == ']' {
			l.pos++
			return nil
		}
		if err = elem(); err != nil {
			return err
		}
		next, err := l.next()
		switch {
		case err != nil || next.kind != ',' && next.kind != ']':
			return orSyntax(err, next.at, "',' or ']'")
		case next.kind == ']':
			return nil
		}
	}
	return err
}

// stringInto reads a string of the bundle into to; what names it in the error.
func (l *lexer) stringInto(to *string, what string) error {
	t, err := l.value()
	if err == nil && t.kind != '"' {
		err = bundleError("%s is not a string", what)
	}
	*to = t.text
	return err
}

// value returns the next token, which starts a value: punctuation other than
// '{' or '[' is a syntax error, as it is for the other readers' JSON parsers.
func (l *lexer) value() (token, error) {
	t, err := l.next()
	if err == nil && (t.kind == '}' || t.kind == ']' || t.kind == ':' || t.kind == ',') {
		err = malformed(kindSyntax, t.at, "expected a value")
	}
	return t, err
}
