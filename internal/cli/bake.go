package cli

import (
	"cmp"
	"context"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// bakeCommand reads the parameters, checks their age and verifies them
// unless told not to, proves that the function roles can decrypt them, and
// only then writes the baked file, with the key that decrypted each verified
// secret recorded for the Lambda side to insist on.
// The file it replaces is read first, for the summary of what changes.
type bakeCommand struct {
	output string // the output input; empty for the spec's, else the default
	verify bool
	bundle bool // the bundle input
	checks checkSettings
	roles  roleSettings
}

func newBake(c *config) runner {
	return &bakeCommand{output: c.output, verify: c.verify, bundle: c.bundle, checks: c.checkSettings(), roles: c.roleSettings()}
}

func (b *bakeCommand) run(ctx context.Context, rc *runContext) (report.Outcome, error) {
	sp := rc.sp
	bundle := b.bundle || sp.Bundle
	if bundle {
		if _, err := b.checks.bundleKey(rc); err != nil {
			return nil, err
		}
	}
	target, err := b.target(rc.ws, sp)
	if err != nil {
		return nil, err
	}
	defer target.Close()
	previous := readPrevious(target)
	awsCfg, err := rc.awsConfig(ctx)
	if err != nil {
		return nil, err
	}

	file := baked.File{}
	if ssmSecrets := bakeSecrets(sp); len(ssmSecrets) > 0 {
		rc.ui.Group(fmt.Sprintf("Bake %d secret(s) from SSM", len(ssmSecrets)))
		file, err = b.checks.baker(awsCfg, rc.ui).Bake(ctx, ssmSecrets)
		rc.ui.EndGroup()
	}
	problems, err := bakeFindings(err, sp)
	if err != nil {
		return nil, err
	}
	if err := rc.aws.checkParameterAccounts(fromSSM, arnsOf(file)...); err != nil {
		return nil, err
	}
	var previousFile baked.File
	if previous != nil {
		previousFile = previous.File
	}
	sealed, sealProblems, err := b.checks.seal(ctx, rc, awsCfg, previousFile)
	if err != nil {
		return nil, err
	}
	problems = append(problems, sealProblems...)
	maps.Copy(file, sealed)
	now := clock()
	expired, old := ageFindings(sp, file, now)
	problems = append(problems, expired...)

	results := unverified(sp, file)
	// A bundle is sealed under the key verification requires, so from the
	// values verification decrypts.
	var values verifiedValues
	if bundle && b.verify {
		values = verifiedValues{}
		defer values.clear()
	}
	if b.verify {
		if results, err = b.checks.verify(ctx, sp, file, awsCfg, rc.ui, values); err != nil {
			return nil, err
		}
	}
	out := &report.Baked{Checked: true, Results: results, File: file, Now: now, Warnings: old}
	if err := failures(problems, results, sp); err != nil {
		return out, err
	}

	for _, res := range results {
		file.RecordKey(res.Name, res.KeyARN)
	}
	doc := baked.Document{Entries: file}
	if bundle {
		var prev *baked.Bundle
		if previous != nil {
			prev = previous.Bundle
		}
		if doc.Bundle, err = b.checks.makeBundle(ctx, rc, awsCfg, file, prev, values); err != nil {
			return nil, err
		}
	}
	proof, fs, err := b.roles.prove(ctx, rc, awsCfg, doc)
	if err != nil {
		return nil, err
	}
	if out.Roles = proof; len(fs) > 0 {
		return out, fs
	}
	data, err := doc.Marshal()
	if err != nil {
		return nil, err
	}
	// Every reader parses by the rules of baked.ParseFile: a file it
	// refuses is never written.
	if _, err := baked.ParseFile(data); err != nil {
		return nil, fmt.Errorf("failed to bake a file the readers accept: %w", err)
	}
	if err := target.Write(data, rc.ws.Owner()); err != nil {
		return nil, err
	}
	out.Path, out.Data, out.Previous = target.Rel(), data, previous
	return out, nil
}

// target resolves the baked file's path, before any AWS call. An output
// input that cannot be the baked file is an invalid input; the spec's
// output, a problem at its line.
func (b *bakeCommand) target(ws *outfile.Workspace, sp *spec.Spec) (*outfile.Target, error) {
	target, err := ws.Target(cmp.Or(b.output, sp.Output, baked.DefaultName))
	switch {
	case err == nil:
		return target, nil
	case b.output != "":
		return nil, &report.InvalidInput{Err: fmt.Errorf("input output: %w", err)}
	case sp.Output != "":
		return nil, report.Findings{{Kind: report.KindOutput, Location: sp.OutputLocation, Detail: "invalid output: " + err.Error(), Reason: err}}
	default:
		return nil, fmt.Errorf("invalid output: %w", err)
	}
}

// unverified lists the baked secrets as results with no checks run, for a
// run with verification turned off.
func unverified(sp *spec.Spec, file baked.File) []verify.Result {
	var results []verify.Result
	for _, s := range sp.Secrets {
		if e, ok := file[s.Name]; ok {
			results = append(results, verify.Result{Name: s.Name, Parameter: e.Parameter, Version: e.Version})
		}
	}
	return results
}

// baker returns the Baker of a run, reading SSM at the configured
// concurrency and showing its progress.
func (c checkSettings) baker(awsCfg aws.Config, ui presenter) *bake.Baker {
	return bake.New(ssm.NewFromConfig(awsCfg), bake.WithConcurrency(c.ssmConc), bake.WithProgress(ui.Progress("SSM batches")))
}

// bakeSecrets lists the spec's SSM secrets as bake takes them.
func bakeSecrets(sp *spec.Spec) []bake.Secret {
	var secrets []bake.Secret
	for _, s := range sp.Secrets {
		if s.SecretsManager == nil {
			secrets = append(secrets, bake.Secret{Name: s.Name, Parameter: s.Parameter})
		}
	}
	return secrets
}
