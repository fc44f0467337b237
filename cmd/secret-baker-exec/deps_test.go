package main

import (
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/linkcheck"
)

// TestLinksOnlyReaderAndKMS: the wrapper links the baked-file reader and the
// KMS client, and no SSM, STS, Secrets Manager, SDK config, JSON Schema or
// test package.
func TestLinksOnlyReaderAndKMS(t *testing.T) {
	t.Parallel()
	deps := linkcheck.Deps(t, "github.com/aws/aws-sdk-go-v2/service/kms")
	for _, dep := range deps {
		for _, banned := range []string{
			"github.com/aws/aws-sdk-go-v2/service/ssm",
			"github.com/aws/aws-sdk-go-v2/service/sts",
			"github.com/aws/aws-sdk-go-v2/service/secretsmanager",
			"github.com/aws/aws-sdk-go-v2/credentials/stscreds",
			"github.com/aws/aws-sdk-go-v2/config",
			"github.com/santhosh-tekuri/jsonschema",
		} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("secret-baker-exec depends on %s", dep)
			}
		}
		if strings.HasPrefix(dep, "github.com/org/secret-baker/") && !ownDeps[dep] {
			t.Errorf("secret-baker-exec links %s; of this module, only the reader is expected", dep)
		}
	}
}

// ownDeps are the packages of this module the wrapper may link: itself and
// the reader.
var ownDeps = map[string]bool{
	"github.com/org/secret-baker/cmd/secret-baker-exec": true,
	"github.com/org/secret-baker/baked":                 true,
	"github.com/org/secret-baker/internal/selector":     true,
}
