package cli

import (
	"encoding/base64"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/leakcheck"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// leakCase is what one leak scenario puts in place.
type leakCase struct {
	// values are the secret values that must not leak; for a JSON document, its distinctive
	// parts.
	values []string
	// masked are the values a GitHub Actions run decrypts and must mask.
	masked []string
	// args and with run the scenario's command as a CLI and as an Action.
	args []string
	with map[string]string
	// exempt are files that hold a value by the scenario's design.
	exempt []string
	// wantCode is the exit code; blamed are the secrets the report must name.
	wantCode int
	blamed   []string
}

// TestLeaks runs passing and failing scenarios as a CLI and as an Action with distinctive
// values, including values that library messages would echo (a regex mismatch, schema
// violations, JSON syntax errors, a tampered baked file), and checks that no value appears in
// any form in stdout, stderr, the runner's files, the workspace or the temporary directory.
func TestLeaks(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	scenarios := []struct {
		name  string
		setup func(t *testing.T, f *fixture) leakCase
	}{
		{"valid secrets", leakValid},
		{"regex mismatch", leakRegex},
		{"schema violations", leakSchema},
		{"not JSON under a schema", leakNotJSON},
		{"multi-line value mismatch", leakMultiLine},
		{"tampered baked file", leakTampered},
		{"drift", leakDrift},
		{"function roles", leakRoles},
		{"Secrets Manager", leakSecretsManager},
		{"bundle", leakBundle},
	}
	for _, sc := range scenarios {
		for _, action := range []bool{false, true} {
			mode := "CLI"
			if action {
				mode = "Action"
			}
			t.Run(sc.name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				lc := sc.setup(t, f)
				var got result
				if action {
					got = f.run(t, newRunner(t, f, lc.with).env)
				} else {
					got = f.run(t, nil, lc.args...)
				}

				if got.code != lc.wantCode {
					t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got.code, lc.wantCode, got.stdout, got.stderr)
				}
				for _, name := range lc.blamed {
					if !strings.Contains(got.stdout+got.stderr, `"`+name+`"`) {
						t.Errorf("the report does not name secret %s\nstdout:\n%s\nstderr:\n%s", name, got.stdout, got.stderr)
					}
				}
				if action {
					masked := leakcheck.Masked(got.stdout)
					for i, v := range lc.masked {
						if !slices.Contains(masked, v) {
							t.Errorf("decrypted value #%d is not masked", i)
						}
					}
				}
				checker := leakcheck.New(lc.values...)
				checker.AllowMask(lc.masked...)
				checker.Exempt(lc.exempt...)
				// The test's temporary root holds the workspace, the runner's files and the
				// program's TMPDIR.
				checker.AssertNone(t, map[string]string{"stdout": got.stdout, "stderr": got.stderr}, filepath.Dir(f.workspace))
				t.Logf("searched %d texts and files for %d values", checker.Checked(), len(lc.values))
			})
		}
	}
}

// bakeCase is the usual case: bake with the default spec path, verifying, which decrypts and
// masks every value.
func bakeCase(values []string, wantCode int, blamed ...string) leakCase {
	return leakCase{values: values, masked: values, wantCode: wantCode, blamed: blamed}
}

func leakValid(t *testing.T, f *fixture) leakCase {
	plain, host, multi := leakValue(t, "plain"), leakValue(t, "host"), leakValue(t, "line1")+"\n"+leakValue(t, "line2")
	config := `{"url":"https://` + host + `.example.com/x","mode":"fast"}`
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "kms-key-id: " + f.keyAlias + "\nsecrets:\n" +
		"  PLAIN: {path: " + f.put(t, "/plain", plain) + ", regex: '^LEAK-[0-9a-f]+-plain-xyz$'}\n" +
		"  CONFIG:\n    path: " + f.put(t, "/config", config) + "\n" +
		"    schema: {type: object, required: [url], additionalProperties: false,\n" +
		"             properties: {url: {type: string, pattern: '^https://'}, mode: {enum: [fast, slow]}}}\n" +
		"  MULTI: " + f.put(t, "/multi", multi) + "\n",
	})
	lc := bakeCase([]string{plain, host, multi}, 0)
	lc.masked = []string{plain, config, multi}
	return lc
}

func leakRegex(t *testing.T, f *fixture) leakCase {
	good, bad := leakValue(t, "good"), leakValue(t, "regex")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n" +
		"  GOOD: {path: " + f.put(t, "/good", good) + ", regex: '^LEAK-'}\n" +
		"  BAD: {path: " + f.put(t, "/bad", bad) + ", regex: '^[0-9]+$'}\n",
	})
	return bakeCase([]string{good, bad}, 1, "BAD")
}

func leakSchema(t *testing.T, f *fixture) leakCase {
	parts := map[string]string{}
	for _, kind := range []string{"format", "enum", "pattern", "key", "extra", "type", "const", "maxlen", "nested"} {
		parts[kind] = leakValue(t, kind)
	}
	// Every property breaks a rule whose library message quotes the value or the key.
	doc := `{"url":"` + parts["format"] + `","mode":"` + parts["enum"] + `","code":"` + parts["pattern"] +
		`","` + parts["key"] + `":"` + parts["extra"] + `","n":"` + parts["type"] + `","c":"` + parts["const"] +
		`","long":"` + parts["maxlen"] + `","nested":{"deep":"` + parts["nested"] + `"}}`
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n" +
		"  CONFIG:\n    path: " + f.put(t, "/config", doc) + "\n" +
		"    schema:\n" +
		"      type: object\n" +
		"      additionalProperties: false\n" +
		"      propertyNames: {pattern: '^[a-z]+$'}\n" +
		"      properties:\n" +
		"        url: {type: string, format: uri}\n" +
		"        mode: {enum: [fast, slow]}\n" +
		"        code: {type: string, pattern: '^[0-9]+$'}\n" +
		"        n: {type: integer}\n" +
		"        c: {const: fixed}\n" +
		"        long: {type: string, maxLength: 3}\n" +
		"        nested: {type: object, properties: {deep: {type: integer, minimum: 1}}}\n",
	})
	lc := bakeCase(nil, 1, "CONFIG")
	for _, v := range parts {
		lc.values = append(lc.values, v)
	}
	lc.masked = []string{doc}
	return lc
}

func leakNotJSON(t *testing.T, f *fixture) leakCase {
	text, unterminated := leakValue(t, "text")+` {"a":`, `{"k": "`+leakValue(t, "string")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n" +
		"  TEXT: {path: " + f.put(t, "/text", text) + ", schema: {type: object}}\n" +
		"  UNTERMINATED: {path: " + f.put(t, "/unterminated", unterminated) + ", schema: {type: object}}\n",
	})
	return bakeCase([]string{text, unterminated}, 1, "TEXT", "UNTERMINATED")
}

func leakMultiLine(t *testing.T, f *fixture) leakCase {
	multi := leakValue(t, "first") + "\r\n" + leakValue(t, "second") + "\n" + leakValue(t, "third")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n" +
		"  MULTI: {path: " + f.put(t, "/multi", multi) + ", regex: '^x$'}\n",
	})
	return bakeCase([]string{multi}, 1, "MULTI")
}

// leakTampered bakes, then alters the baked file as an attacker or a careless edit would, and
// runs the verify command on it: A and B swap entries, C's ciphertext is corrupted, and D's
// ciphertext is replaced by D's plaintext, pasted in by hand. None of them is the ciphertext SSM
// holds under its ARN, so verify refuses each without decrypting it: no value is in memory, and
// none is masked.
func leakTampered(t *testing.T, f *fixture) leakCase {
	a, b, c, d := leakValue(t, "a"), leakValue(t, "b"), leakValue(t, "c"), leakValue(t, "d")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n" +
		"  A: {path: " + f.put(t, "/a", a) + ", regex: '-a-xyz$'}\n" +
		"  B: {path: " + f.put(t, "/b", b) + ", regex: '-b-xyz$'}\n" +
		"  C: " + f.put(t, "/c", c) + "\n" +
		"  D: " + f.put(t, "/d", d) + "\n",
	})
	if got := f.run(t, nil, "--verify=false"); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	file := f.readBaked(t)
	file["A"], file["B"] = file["B"], file["A"]
	blob, err := base64.StdEncoding.DecodeString(file["C"].Ciphertext)
	if err != nil {
		t.Fatal(err)
	}
	blob[len(blob)/2] ^= 0x40
	entryC, entryD := file["C"], file["D"]
	entryC.Ciphertext = base64.StdEncoding.EncodeToString(blob)
	entryD.Ciphertext = d
	file["C"], file["D"] = entryC, entryD
	data, err := file.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, f.workspace, map[string]string{baked.DefaultName: string(data)})

	return leakCase{
		values:   []string{a, b, c, d},
		args:     []string{"verify", "--file", baked.DefaultName},
		with:     map[string]string{"command": "verify", "file": baked.DefaultName},
		exempt:   []string{filepath.Join(f.workspace, baked.DefaultName)},
		wantCode: 1,
		blamed:   []string{"A", "B", "C", "D"},
	}
}

// leakDrift bakes without verifying, puts new versions with other values, and runs the drift
// command, which decrypts nothing and so masks nothing.
func leakDrift(t *testing.T, f *fixture) leakCase {
	kept, old, rotated := leakValue(t, "kept"), leakValue(t, "old"), leakValue(t, "rotated")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n" +
		"  KEPT: " + f.put(t, "/kept", kept) + "\n" +
		"  ROTATED: {path: " + f.put(t, "/rotated", old) + ", regex: '^LEAK-'}\n",
	})
	if got := f.run(t, nil, "--verify=false"); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	f.put(t, "/rotated", rotated)
	return leakCase{
		values:   []string{kept, old, rotated},
		args:     []string{"drift", "--file", baked.DefaultName},
		with:     map[string]string{"command": "drift", "file": baked.DefaultName},
		wantCode: 0,
		blamed:   []string{"ROTATED"},
	}
}

// leakRoles bakes with two function roles, one that may decrypt and one that
// may not: verification decrypts and masks every value, the proof's DryRun
// calls return none, and the refusals name roles, keys and secrets only.
func leakRoles(t *testing.T, f *fixture) leakCase {
	a, b := leakValue(t, "a"), leakValue(t, "b")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", a) + "\n  B: " + f.put(t, "/b", b) + "\n"})
	bed := &roleBed{fixture: f}
	roles := bed.role(t, testbed.Account, testbed.DecryptPolicy(f.keyARN)) + "," + bed.role(t, testbed.Account, "")
	return leakCase{
		values:   []string{a, b},
		masked:   []string{a, b},
		args:     []string{"--function-roles", roles},
		with:     map[string]string{"function-roles": roles},
		wantCode: 1,
		blamed:   []string{"A", "B"},
	}
}

// leakSecretsManager bakes a JSON secret's field and a plain secret from
// Secrets Manager, one of them breaking its regex: each value is read into
// memory, sealed and verified, and masked, and none reaches any output.
func leakSecretsManager(t *testing.T, f *fixture) leakCase {
	field, other, plain := leakValue(t, "field"), leakValue(t, "other"), leakValue(t, "plain")
	whole := `{"password":"` + field + `","other":"` + other + `"}`
	prefix := strings.TrimPrefix(f.prefix, "/")
	mustSecret(t, f, prefix+"/json", whole, f.keyID)
	mustSecret(t, f, prefix+"/plain", plain, f.keyID)
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "kms-key-id: " + f.keyAlias + "\nsecrets:\n" +
		"  FIELD: {secret-id: " + prefix + "/json, json-key: password, regex: '^nothing$'}\n" +
		"  PLAIN: {secret-id: " + prefix + "/plain}\n"})
	return leakCase{
		values:   []string{field, other, plain},
		masked:   []string{whole, field, plain},
		wantCode: 1,
		blamed:   []string{"FIELD"},
	}
}

// leakBundle bakes with a bundle: the values verification decrypts are
// kept to be sealed into it, and masked, and none reaches any output; the
// bundle's plaintext is never written.
func leakBundle(t *testing.T, f *fixture) leakCase {
	a, b := leakValue(t, "a"), leakValue(t, "b")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "kms-key-id: " + f.keyAlias + "\nbundle: true\nsecrets:\n  A: " + f.put(t, "/a", a) + "\n  B: " + f.put(t, "/b", b) + "\n"})
	return bakeCase([]string{a, b}, 0)
}
