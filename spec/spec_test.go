package spec

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/org/secret-baker/rotation"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// render prints a parse result the way the golden files hold it.
func render(t *testing.T, s *Spec, err error) string {
	t.Helper()
	var b strings.Builder
	if err != nil {
		located := Errors(err)
		if got, want := len(located), strings.Count(err.Error(), "\n")+1; got != want {
			t.Errorf("%d of %d errors are located:\n%v", got, want, err)
		}
		for _, e := range located {
			fmt.Fprintln(&b, e)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "file %s\n", s.File)
	if s.Output != "" {
		fmt.Fprintf(&b, "output %s at %s\n", s.Output, s.OutputLocation)
	}
	if s.KMSKeyID != "" {
		fmt.Fprintf(&b, "kms-key-id %s at %s\n", s.KMSKeyID, s.KMSKeyIDLocation)
	}
	renderSecrets(&b, s.Secrets)
	return b.String()
}

func renderSecrets(b *strings.Builder, secrets []Secret) {
	for _, sec := range secrets {
		fmt.Fprintf(b, "secret %s at %s\n  parameter %s\n", sec.Name, sec.Location, sec.Parameter)
		if sec.Rules.Regex != nil {
			fmt.Fprintf(b, "  regex %s\n", sec.Rules.Regex)
		}
		if sec.Rules.Schema != nil {
			fmt.Fprintf(b, "  schema %s\n", sec.Rules.Schema)
		}
		if sec.Age.MaxAge != 0 || sec.Age.WarnAge != 0 {
			fmt.Fprintf(b, "  max-age %s warn-age %s\n", renderAge(sec.Age.MaxAge), renderAge(sec.Age.WarnAge))
		}
	}
}

// renderAge writes a bound of an age policy, "-" for none.
func renderAge(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return rotation.FormatAge(d)
}

func TestLoadGolden(t *testing.T) {
	t.Parallel()
	files := []string{
		"valid/example.yml",  // the documented example
		"valid/map.yml",      // NAME: parameter and NAME: {path, regex, schema}
		"valid/list.yml",     // - NAME and - {name, path, regex, schema}
		"valid/mixed.yml",    // both list forms mixed
		"valid/flow.yml",     // flow style
		"valid/anchors.yml",  // aliases for schemas and paths
		"valid/age.yml",      // spec-wide max-age and warn-age, overridden per secret
		"valid/age-list.yml", // per-secret bounds in the list form
		"serverless/detected.yml",
		"serverless/map/serverless.yml",
		"serverless/names/serverless.yaml",
		"serverless/objects/serverless.yml",
		"errors/many.yml",    // every error of a map-form spec is collected
		"errors/list.yml",    // every error of a list-form spec is collected
		"errors/regex.yml",   // PCRE constructs are named
		"errors/schemas.yml", // schema files and inline schemas
		"errors/age.yml",     // bad ages and policies that would never warn
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", file)
			s, err := Load(path, Options{Root: "testdata"})
			got := render(t, s, err)
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("Load(%q) =\n%s\nwant (%s):\n%s", path, got, golden, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string // default spec.yml
		data string
		want []string
	}{
		{
			name: "malformed flow sequence",
			data: "secrets:\n  A: [1, 2\n",
			want: []string{"spec.yml:3:1: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence started at line 2)"},
		},
		{
			name: "tab indentation",
			data: "secrets:\n\tA: /a\n",
			want: []string{"spec.yml:2:1: malformed YAML: found character that cannot start any token (while scanning for the next token started at line 2)"},
		},
		{
			name: "unterminated quote",
			data: "secrets:\n  A: \"/a\n",
			want: []string{"spec.yml:3:1: malformed YAML: found unexpected end of stream (while scanning a quoted scalar started at line 2)"},
		},
		{
			name: "parameter that is no selector",
			data: "secrets:\n  DB: \"/db pass\"\n",
			want: []string{`spec.yml:2:7: path of secret "DB": invalid parameter name or selector: character 4 is not allowed; want NAME, NAME:VERSION or NAME:LABEL using letters, digits and _.-/`},
		},
		{
			name: "alias to no anchor",
			data: "secrets:\n  DB: *pass\n",
			want: []string{"spec.yml:2:7: malformed YAML: an alias (*) names no anchor (&) defined before it"},
		},
		{
			name: "character not allowed in a tag",
			data: "secrets:\n  DB: !pa{ss /db\n",
			want: []string{"spec.yml:2:10: malformed YAML: a character that cannot be read here (while parsing a tag started at line 2)"},
		},
		{
			name: "two documents",
			data: "secrets:\n  A: /a\n---\nsecrets:\n  B: /b\n",
			want: []string{"spec.yml:3:1: a second YAML document starts here; the file must hold one document"},
		},
		{
			name: "empty file",
			data: "",
			want: []string{`spec.yml:1: the spec is empty: declare the secrets to bake under "secrets"`},
		},
		{
			name: "comments only",
			data: "# nothing yet\n",
			want: []string{`spec.yml:1: the spec is empty: declare the secrets to bake under "secrets"`},
		},
		{
			name: "top-level list",
			data: "- A\n- B\n",
			want: []string{`spec.yml:1:1: the spec must be a mapping with a "secrets" key, got a list`},
		},
		{
			name: "missing secrets",
			data: "output: out.json\n",
			want: []string{`spec.yml:1:1: missing "secrets": declare the secrets to bake`},
		},
		{
			name: "null secrets",
			data: "output: out.json\nsecrets:\n",
			want: []string{"spec.yml:2:1: secrets is empty: declare at least one secret"},
		},
		{
			name: "empty secrets mapping",
			data: "secrets: {}\n",
			want: []string{"spec.yml:1:10: secrets is empty: declare at least one secret"},
		},
		{
			name: "empty secrets list",
			data: "secrets: []\n",
			want: []string{"spec.yml:1:10: secrets is empty: declare at least one secret"},
		},
		{
			name: "secrets is a string",
			data: "secrets: DB_PASSWORD\n",
			want: []string{"spec.yml:1:10: secrets must be a mapping of NAME: parameter or a list, got a string"},
		},
		{
			name: "null value",
			data: "secrets:\n  DB_PASSWORD:\n",
			want: []string{`spec.yml:2:3: secret "DB_PASSWORD" has no parameter: write DB_PASSWORD: /parameter/name`},
		},
		{
			name: "tilde value",
			data: "secrets:\n  DB_PASSWORD: ~\n",
			want: []string{`spec.yml:2:3: secret "DB_PASSWORD" has no parameter: write DB_PASSWORD: /parameter/name`},
		},
		{
			name: "empty path",
			data: "secrets:\n  DB_PASSWORD: ''\n",
			want: []string{`spec.yml:2:16: path of secret "DB_PASSWORD" must not be empty`},
		},
		{
			name: "number as path",
			data: "secrets:\n  PIN:\n    path: 1234\n",
			want: []string{`spec.yml:3:11: path of secret "PIN" must be a string, got a number (quote it to make it a string)`},
		},
		{
			name: "list as path",
			data: "secrets:\n  PIN:\n    path: [/a]\n",
			want: []string{`spec.yml:3:11: path of secret "PIN" must be a string, got a list`},
		},
		{
			name: "tagged path",
			data: "secrets:\n  PIN: !Ref PinParameter\n",
			want: []string{`spec.yml:2:8: path of secret "PIN" must be a string, got a tagged value`},
		},
		{
			name: "number as output",
			data: "output: 7\nsecrets:\n  A: /a\n",
			want: []string{"spec.yml:1:9: output must be a string, got a number (quote it to make it a string)"},
		},
		{
			name: "unknown top-level key",
			data: "secrets:\n  A: /a\nsecret:\n  B: /b\n",
			want: []string{`spec.yml:3:1: unknown key "secret" (allowed: output, kms-key-id, bundle, function-roles, secrets, max-age, warn-age)`},
		},
		{
			name: "unknown secret key",
			data: "secrets:\n  A:\n    path: /a\n    Regex: x\n",
			want: []string{`spec.yml:4:5: unknown key "Regex" in secret "A" (allowed: path, regex, schema, secret-id, version-stage, version-id, json-key, max-age, warn-age)`},
		},
		{
			name: "name key in map form",
			data: "secrets:\n  A:\n    name: B\n",
			want: []string{`spec.yml:3:5: unknown key "name" in secret "A" (allowed: path, regex, schema, secret-id, version-stage, version-id, json-key, max-age, warn-age)`},
		},
		{
			name: "repeated top-level key",
			data: "output: a.json\noutput: b.json\nsecrets:\n  A: /a\n",
			want: []string{`spec.yml:2:1: duplicate key "output" (first at line 1)`},
		},
		{
			name: "duplicate secret",
			data: "output: out.json\nkms-key-id: alias/k\nsecrets:\n  X: /one\n  Y: /y\n  Z:\n    path: /z\n    regex: ^z\n  X: /two\n",
			want: []string{
				`spec.yml:4:3: secret "X" is declared again at line 9`,
				`spec.yml:9:3: duplicate secret "X" (first declared at line 4)`,
			},
		},
		{
			name: "duplicate secret across list forms",
			data: "secrets:\n  - X\n  - name: X\n  - {name: X, path: /x}\n",
			want: []string{
				`spec.yml:2:5: secret "X" is declared again at lines 3, 4`,
				`spec.yml:3:11: duplicate secret "X" (first declared at line 2)`,
				`spec.yml:4:12: duplicate secret "X" (first declared at line 2)`,
			},
		},
		{
			name: "invalid names",
			data: "secrets:\n  'a b': /a\n  '': /b\n  " + strings.Repeat("n", 257) + ": /c\n  ok/name-1.x_Y: /d\n",
			want: []string{
				`spec.yml:2:3: invalid secret name (character 2 is not allowed): use 1 to 256 letters, digits, "_", ".", "-" or "/"`,
				`spec.yml:3:3: secret name must not be empty`,
				`spec.yml:4:3: invalid secret name (257 bytes long): use 1 to 256 letters, digits, "_", ".", "-" or "/"`,
			},
		},
		{
			name: "numeric name",
			data: "secrets:\n  - 42\n",
			want: []string{"spec.yml:2:5: secret name must be a string, got a number (quote it to make it a string)"},
		},
		{
			name: "regex error at the regex line",
			data: "secrets:\n  TOKEN:\n    path: /token\n    regex: '(?=tok_)'\n",
			want: []string{"spec.yml:4:12: invalid regex: look-ahead `(?=` is not supported by Go's RE2 syntax"},
		},
		{
			name: "schema of the wrong type",
			data: "secrets:\n  A:\n    schema: 3\n",
			want: []string{`spec.yml:3:13: schema of secret "A" must be a file path or a mapping, got a number`},
		},
		{
			name: "serverless without custom",
			file: "serverless.yml",
			data: "service: app\nprovider:\n  name: aws\n",
			want: []string{"serverless.yml:1:1: missing custom.secretBaker: declare the secrets to bake there"},
		},
		{
			name: "serverless without secretBaker",
			file: "serverless.yml",
			data: "service: app\ncustom:\n  other: !Ref X\n",
			want: []string{"serverless.yml:2:1: missing custom.secretBaker: declare the secrets to bake there"},
		},
		{
			name: "serverless with empty custom",
			file: "serverless.yaml",
			data: "service: app\ncustom:\n",
			want: []string{"serverless.yaml:2:1: missing custom.secretBaker: declare the secrets to bake there"},
		},
		{
			name: "serverless custom not a mapping",
			file: "serverless.yml",
			data: "service: app\ncustom: [a]\n",
			want: []string{"serverless.yml:2:9: custom must be a mapping, got a list"},
		},
		{
			name: "serverless empty secretBaker",
			file: "serverless.yml",
			data: "service: app\ncustom:\n  secretBaker:\n",
			want: []string{"serverless.yml:3:3: custom.secretBaker is empty: declare at least one secret"},
		},
		{
			name: "malformed serverless.yml",
			file: "serverless.yml",
			data: "service: app\ncustom:\n  secretBaker:\n    DB: /app/${sls:stage}/db\n    - name\n",
			want: []string{"serverless.yml:5:5: malformed YAML: did not find expected key (while parsing a block mapping started at line 4)"},
		},
		{
			name: "serverless variables",
			file: "serverless.yml",
			data: "service: app\ncustom:\n  secretBaker:\n    - name: DB\n      path: /app/${sls:stage}/db\n    - ${self:custom.name}\n    - name: OK\n      schema: !Ref X\n",
			want: []string{
				"serverless.yml:5:13: path of secret \"DB\" uses a Serverless variable ${...}, which secret-baker cannot resolve: write the parameter name",
				`serverless.yml:6:7: secret name uses a Serverless variable ${...}, which secret-baker cannot resolve: write the name`,
				`serverless.yml:8:15: schema of secret "OK" must be a file path or a mapping, got a tagged value`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file := tt.file
			if file == "" {
				file = "spec.yml"
			}
			s, err := Parse(file, []byte(tt.data), Options{Root: "testdata"})
			if err == nil {
				t.Fatalf("Parse() = %+v, want errors", s)
			}
			got := strings.Split(strings.TrimSuffix(render(t, nil, err), "\n"), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Parse() errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want string // rendered secrets or errors
	}{
		{
			name: "mapping",
			data: "DB_PASSWORD: /prod/db/password\nCONFIG:\n  path: /prod/config:3\n  schema: schemas/service-config.json\n",
			want: "secret DB_PASSWORD at input:secrets:1:1\n  parameter /prod/db/password\n" +
				"secret CONFIG at input:secrets:2:1\n  parameter /prod/config:3\n  schema schemas/service-config.json\n",
		},
		{
			name: "list",
			data: "- DB_PASSWORD\n- {name: TOKEN, path: /prod/token, regex: '^t'}\n",
			want: "secret DB_PASSWORD at input:secrets:1:3\n  parameter DB_PASSWORD\n" +
				"secret TOKEN at input:secrets:2:10\n  parameter /prod/token\n  regex ^t\n",
		},
		{
			name: "errors are located in the input",
			data: "A: /a\nB:\n  path: /b\n  schema: schemas/missing.json\nA: /c\n",
			want: "input:secrets:1:1: secret \"A\" is declared again at line 5\n" +
				"input:secrets:4:11: schema file \"schemas/missing.json\" not found\n" +
				"input:secrets:5:1: duplicate secret \"A\" (first declared at line 1)\n",
		},
		{
			name: "empty",
			data: "\n",
			want: "input:secrets:1: secrets is empty: declare at least one secret\n",
		},
		{
			name: "a whole spec is not a secrets section",
			data: "secrets:\n  A: /a\n",
			want: "input:secrets:2:3: unknown key \"A\" in secret \"secrets\" (allowed: path, regex, schema, secret-id, version-stage, version-id, json-key, max-age, warn-age)\n",
		},
		{
			name: "malformed",
			data: "A: [\n",
			want: "input:secrets:2:1: malformed YAML: did not find expected node content (while parsing a flow node started at line 2)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			secrets, err := ParseSecrets("input:secrets", []byte(tt.data), Options{Root: "testdata"})
			var b strings.Builder
			if err != nil {
				b.WriteString(render(t, nil, err))
			} else {
				renderSecrets(&b, secrets)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("ParseSecrets() =\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestSchemaFileRoot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	root := filepath.Join(dir, "repo")
	for path, content := range map[string]string{
		"outside.json":                  `{"type": "string"}`,
		"repo/shared.json":              `{"type": "string"}`,
		"repo/.github/schemas/ok.json":  `{"type": "string"}`,
		"repo/.github/secret-baker.yml": "",
	} {
		path = filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"repo/.github/out-link.json":    "../../outside.json",
		"repo/.github/in-link.json":     "../shared.json",
		"repo/.github/dangling.json":    "../../nope.json",
		"repo/.github/dangling-in.json": "nope.json",
		"repo/.github/schemas/up.lnk":   "../../..",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, ".github", "schemas", "fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(root, ".github", "secret-baker.yml")
	tests := []struct {
		name   string
		schema string
		root   string // default: the repository
		want   string // error, empty when the schema loads
	}{
		{name: "beside the spec", schema: "schemas/ok.json"},
		{name: "up but inside the root", schema: "../shared.json"},
		{name: "symlink inside the root", schema: "in-link.json"},
		{name: "absolute inside the root", schema: filepath.Join(root, "shared.json")},
		{name: "dot-dot outside the root", schema: "../../outside.json", want: `schema file "../../outside.json" is outside the repository root`},
		{name: "symlink outside the root", schema: "out-link.json", want: `schema file "out-link.json" is outside the repository root`},
		{name: "symlinked directory outside the root", schema: "schemas/up.lnk/outside.json", want: `schema file "schemas/up.lnk/outside.json" is outside the repository root`},
		{name: "absolute outside the root", schema: filepath.Join(dir, "outside.json"), want: fmt.Sprintf("schema file %q is outside the repository root", filepath.Join(dir, "outside.json"))},
		{name: "dangling symlink out", schema: "dangling.json", want: `schema file "dangling.json" is outside the repository root`},
		{name: "dangling symlink inside", schema: "dangling-in.json", want: `schema file "dangling-in.json" not found`},
		{name: "a directory", schema: "schemas", want: `schema file "schemas" is not a regular file`},
		{name: "a named pipe", schema: "schemas/fifo.json", want: `schema file "schemas/fifo.json" is not a regular file`},
		{name: "control character", schema: "schemas/ok.json\n::warning::x", want: `schema file path holds a control character: rename the file`},
		{name: "missing", schema: "schemas/nope.json", want: `schema file "schemas/nope.json" not found`},
		{name: "missing root", schema: "schemas/ok.json", root: filepath.Join(dir, "nope"), want: fmt.Sprintf("failed to open the workspace %q: lstat %s: no such file or directory", filepath.Join(dir, "nope"), filepath.Join(dir, "nope"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := Options{Root: root}
			if tt.root != "" {
				opts.Root = tt.root
			}
			data := fmt.Sprintf("secrets:\n  A:\n    schema: %q\n", tt.schema)
			s, err := Parse(spec, []byte(data), opts)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse() error = %v", err)
				}
				if got := s.Secrets[0].Rules.Schema.String(); got != tt.schema {
					t.Errorf("schema = %q, want %q", got, tt.schema)
				}
				return
			}
			want := spec + ":3:13: " + tt.want
			if err == nil || err.Error() != want {
				t.Errorf("Parse() error = %v, want %s", err, want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	_, err := Load("testdata/nope.yml", Options{Root: "testdata"})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load() error = %v, want fs.ErrNotExist", err)
	}
	if want := "failed to read spec: open testdata/nope.yml: no such file or directory"; err.Error() != want {
		t.Errorf("Load() error = %q, want %q", err, want)
	}
}

func TestLoadDefaultRoot(t *testing.T) {
	t.Parallel()
	s, err := Load("testdata/valid/example.yml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Secrets[2].Rules.Schema.String(); got != "../schemas/service-config.json" {
		t.Errorf("schema = %q", got)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	s, err := Parse("spec.yml", []byte("secrets:\n  - A\n  - {name: B, path: /b:2}\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		param string
		found bool
	}{
		{name: "A", param: "A", found: true},
		{name: "B", param: "/b:2", found: true},
		{name: "C"},
	}
	for _, tt := range tests {
		sec, found := s.Lookup(tt.name)
		if found != tt.found || sec.Parameter != tt.param {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.name, sec.Parameter, found, tt.param, tt.found)
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	a := &Error{Location: Location{File: "s.yml", Line: 2, Column: 3}, Message: "a"}
	b := &Error{Location: Location{File: "s.yml", Line: 4}, Message: "b"}
	c := &Error{Location: Location{File: "s.yml"}, Message: "c"}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{name: "nil", err: nil},
		{name: "plain", err: errors.New("x")},
		{name: "one", err: a, want: []string{"s.yml:2:3: a"}},
		{name: "joined and wrapped", err: fmt.Errorf("failed to load spec: %w", errors.Join(a, b, c)), want: []string{"s.yml:2:3: a", "s.yml:4: b", "s.yml: c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, e := range Errors(tt.err) {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Errors() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInlineSchemaValues(t *testing.T) {
	t.Parallel()
	data := "schema:\n" +
		"  s: text\n  q: '12'\n  i: 12\n  h: 0x1F\n  f: 1.5\n  e: 1e3\n  b: true\n  n: ~\n  d: 2024-01-31\n" +
		"  l: [1, a, {k: v}]\n  m: {}\n"
	var p parser
	top, ok := p.document([]byte(data))
	if !ok {
		t.Fatal(p.err())
	}
	budget := maxInlineSchemaValues
	got, ok := p.jsonValue(top.Content[1], &budget)
	if !ok {
		t.Fatal(p.err())
	}
	want := map[string]any{
		"s": "text", "q": "12", "i": 12, "h": 31, "f": 1.5, "e": 1000.0, "b": true, "n": nil, "d": "2024-01-31",
		"l": []any{1, "a", map[string]any{"k": "v"}}, "m": map[string]any{},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("jsonValue() = %#v, want %#v", got, want)
	}
}

// TestAgeInEveryForm reads per-secret age bounds in a serverless.yml and in a
// secrets section, which have no spec-wide ones.
func TestAgeInEveryForm(t *testing.T) {
	t.Parallel()
	want := rotation.Policy{MaxAge: 30 * rotation.Day, WarnAge: 12 * time.Hour}
	serverless, err := Parse("serverless.yml", []byte("service: app\ncustom:\n  secretBaker:\n    - name: A\n      path: /a\n      max-age: 30d\n      warn-age: 12h\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	inline, err := ParseSecrets("input:secrets", []byte("A: {path: /a, max-age: 30d, warn-age: 12h}\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for form, got := range map[string]rotation.Policy{"serverless.yml": serverless.Secrets[0].Age, "secrets section": inline[0].Age} {
		if got != want {
			t.Errorf("%s: age policy %+v, want %+v", form, got, want)
		}
	}
	// The rest of a serverless.yml is not secret-baker's, a top-level max-age included.
	sp, err := Parse("serverless.yml", []byte("service: app\nmax-age: 30d\ncustom:\n  secretBaker: [A]\n"), Options{})
	if err != nil || sp.Secrets[0].Age != (rotation.Policy{}) {
		t.Errorf("Parse() = %+v, %v; want secret A with no age policy", sp, err)
	}
}
