package baked_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLinksNoSSMOrSTS checks what a Lambda function importing this package
// links: KMS, and neither SSM nor STS.
func TestLinksNoSSMOrSTS(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/aws/aws-sdk-go-v2/service/kms") {
		t.Fatal("go list -deps does not list service/kms; the check below would prove nothing")
	}
	for _, dep := range deps {
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
