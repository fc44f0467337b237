package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/artifact"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// bakedFile is a baked file read for checking.
type bakedFile struct {
	rel string // the file input, relative to the workspace, with forward slashes
	// inside is the baked file's name at the root of the artifact rel,
	// empty when rel is the baked file itself.
	inside string
	data   []byte
	file   baked.File
	bundle *baked.Bundle // nil when the file has none
}

// document is the file's entries and bundle.
func (bf bakedFile) document() baked.Document {
	return baked.Document{Entries: bf.file, Bundle: bf.bundle}
}

// where names the baked file in messages (report.BakedPath).
func (bf bakedFile) where() string { return report.BakedPath(bf.rel, bf.inside) }

// readBaked reads the baked file the file input names, through the
// workspace.
func readBaked(name string, ws *outfile.Workspace) (bakedFile, error) {
	data, err := ws.ReadFile(name)
	if err != nil {
		return bakedFile{}, pathInputError("file", err, "failed to read baked file")
	}
	return parseBaked(name, "", data, ws)
}

// readArtifact reads the baked file the verify command's file input names:
// the file itself, or the file bakedName at the root of the zip archive or
// directory it names (internal/artifact). A refused artifact fails the run
// (exit 1) at the file input, as a file of the wrong content does.
func readArtifact(name, bakedName string, ws *outfile.Workspace) (bakedFile, error) {
	data, inside, err := artifact.Read(ws, name, bakedName)
	var refused *artifact.Error
	switch {
	case errors.As(err, &refused):
		return bakedFile{}, fmt.Errorf("input file: %w", err)
	case err != nil:
		return bakedFile{}, pathInputError("file", err, "failed to read baked file")
	}
	return parseBaked(name, inside, data, ws)
}

// parseBaked parses data, the baked file that the file input name is or
// holds as inside.
func parseBaked(name, inside string, data []byte, ws *outfile.Workspace) (bakedFile, error) {
	rel, _ := ws.Rel(name)
	bf := bakedFile{rel: filepath.ToSlash(rel), inside: inside, data: data}
	d, err := baked.ParseFile(data)
	if err != nil {
		return bakedFile{}, fmt.Errorf("failed to read baked file %s: %w", bf.where(), err)
	}
	bf.file, bf.bundle = d.Entries, d.Bundle
	return bf, nil
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
		if sm := s.SecretsManager; sm != nil {
			out[i].SecretID, out[i].VersionID, out[i].JSONKey = sm.SecretID, sm.VersionID, sm.JSONKey
		}
	}
	return out
}
