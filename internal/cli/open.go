package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// bakedFile is a baked file read for checking.
type bakedFile struct {
	rel  string // relative to the workspace, with forward slashes
	data []byte
	file baked.File
}

// readBaked reads the baked file the file input names, through the
// workspace.
func readBaked(name string, ws *outfile.Workspace) (bakedFile, error) {
	data, err := ws.ReadFile(name)
	if err != nil {
		return bakedFile{}, pathInputError("file", err, "failed to read baked file")
	}
	rel, _ := ws.Rel(name)
	rel = filepath.ToSlash(rel)
	file, err := baked.Parse(data)
	if err != nil {
		return bakedFile{}, fmt.Errorf("failed to read baked file %s: %w", rel, err)
	}
	return bakedFile{rel: rel, data: data, file: file}, nil
}

// openedChecks is where verify and drift stand once they have opened their
// checks of a baked file.
type openedChecks struct {
	declared   []verify.Declared
	secrets    []bake.Secret   // the same, as bake and drift take them
	mismatches report.Findings // how the file departs from the spec
	aws        aws.Config
	baker      *bake.Baker
}

// openChecks is the common opening of verify and drift: match the file to
// the spec, hold the accounts its ARNs name to allowed-account-ids (an early
// refusal, before any call: the guard proper holds the ARNs SSM answers),
// reach AWS, and open the log group of the SSM reads, which the caller ends.
func openChecks(ctx context.Context, bf bakedFile, rc *runContext, checks checkSettings) (*openedChecks, error) {
	o := &openedChecks{declared: declared(rc.sp), secrets: bakeSecrets(rc.sp)}
	o.mismatches = mismatchFindings(verify.Match(bf.file, o.declared), rc.sp)
	if err := rc.aws.checkParameterAccounts(fromBakedFile, arnsOf(bf.file)...); err != nil {
		return nil, err
	}
	var err error
	if o.aws, err = rc.awsConfig(ctx); err != nil {
		return nil, err
	}
	o.baker = checks.baker(o.aws, rc.ui)
	rc.ui.Group(fmt.Sprintf("Check %d secret(s) against SSM", len(rc.sp.Secrets)))
	return o, nil
}

// declared lists the spec's secrets for verify.Match.
func declared(sp *spec.Spec) []verify.Declared {
	out := make([]verify.Declared, len(sp.Secrets))
	for i, s := range sp.Secrets {
		out[i] = verify.Declared{Name: s.Name, Parameter: s.Parameter}
	}
	return out
}
