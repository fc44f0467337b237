package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/leakcheck"
)

// TestConfigAtSecretBearingFiles points the config input at files that hold
// secrets rather than a spec: a values file with a secrets mapping, a .env
// file, a PEM private key and a YAML file with aliases and tags in its
// values. Each run fails before any AWS call (the offline fixture fails on
// any), with errors located at file:line:col, and no output, annotation,
// summary or file holds any of the values, in any form the leak checker
// knows. The values fail the parameter grammar, as real passwords do: a value
// that is a valid parameter name is taken for one (SECURITY.md).
func TestConfigAtSecretBearingFiles(t *testing.T) {
	t.Parallel()
	marks := []string{"p@ss w0rd+MARKa1", "MIIEvQIBADANMARKb2+/Zz==", "s3cr3t#MARKc3!", "tok%MARKd4&x", "MIIBOgIBAAJBAMARKe5/+q", "pw$MARKf6@x", "MARKg7!t@g"}
	files := map[string]string{
		"values.yml": "replicas: 2\nsecrets:\n  DB_PASSWORD: \"" + marks[0] + "\"\n  TLS_KEY: |\n    -----BEGIN PRIVATE KEY-----\n    " + marks[1] + "\n    -----END PRIVATE KEY-----\n",
		".env":       "DB_PASSWORD=" + marks[2] + "\nexport API_TOKEN=" + marks[3] + "\n",
		"key.pem":    "-----BEGIN RSA PRIVATE KEY-----\n" + marks[4] + "\n-----END RSA PRIVATE KEY-----\n",
		"tricky.yml": "secrets:\n  A: *" + marks[5] + "\n  B: !" + marks[6] + " /b\n",
	}
	located := regexp.MustCompile(`:\d+:\d+: `)
	for name, content := range files {
		for _, action := range []bool{false, true} {
			t.Run(name+"/"+modeName[action], func(t *testing.T) {
				t.Parallel()
				f := newOfflineFixture(t)
				writeFiles(t, f.workspace, map[string]string{name: content})
				got, r := runIn(t, f, action, map[string]string{"config": name}, "--config", name)
				if got.code != 1 || !located.MatchString(got.stdout+got.stderr) {
					t.Errorf("exit %d, want 1 with a located error\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
				}
				checker := leakcheck.New(marks...)
				checker.Exempt(filepath.Join(f.workspace, name))
				texts := map[string]string{"stdout": got.stdout, "stderr": got.stderr}
				if r != nil {
					texts["outputs"], texts["summary"] = r.read(t, "output"), r.read(t, "summary")
				}
				checker.AssertNone(t, texts, filepath.Dir(f.workspace))
				if strings.Contains(got.stdout+got.stderr, "MARK") {
					t.Errorf("a part of a value is shown:\n%s%s", got.stdout, got.stderr)
				}
			})
		}
	}
}
