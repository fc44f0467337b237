package baked_test

import (
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/linkcheck"
)

// TestLinksNoSSMOrSTS checks what a Lambda function importing this package
// links: KMS, and neither SSM nor STS.
func TestLinksNoSSMOrSTS(t *testing.T) {
	t.Parallel()
	for _, dep := range linkcheck.Deps(t, "github.com/aws/aws-sdk-go-v2/service/kms") {
		for _, banned := range []string{
			"github.com/aws/aws-sdk-go-v2/service/ssm",
			"github.com/aws/aws-sdk-go-v2/service/sts",
			"github.com/aws/aws-sdk-go-v2/credentials/stscreds",
			"github.com/aws/aws-sdk-go-v2/config",
		} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("package baked depends on %s", dep)
			}
		}
	}
}
