package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// outcome is what a run hands the reporter.
type outcome struct {
	// checked tells whether the run got as far as checking the secrets, so
	// that results are worth a summary.
	checked bool
	results []verify.Result
	// path is the baked file written or verified, relative to the workspace;
	// empty unless the run succeeded.
	path string
	data []byte // the file's bytes
	// file is the baked file, also when the run failed after reading it.
	file baked.File
	// now is when the run judged the age of the versions in file.
	now time.Time
	// warnings are findings that do not fail the run.
	warnings []finding
	// previous is the file a bake replaced, nil when there was none.
	previous *previousFile
	// drift is what the drift command found, nil for the other commands.
	drift *driftOutcome
}

// run carries out cfg's command. rep shows progress and masks values while
// it runs; the outcome is reported by the caller.
func run(ctx context.Context, cfg *config, rep *reporter) (outcome, error) {
	sp, err := loadSpec(cfg)
	if err != nil {
		return outcome{}, err
	}
	switch cfg.command {
	case commandVerify:
		return runVerify(ctx, cfg, sp, rep)
	case commandDrift:
		return runDrift(ctx, cfg, sp, rep)
	}
	return runBake(ctx, cfg, sp, rep)
}

// runBake reads the parameters, checks their age and verifies them unless
// told not to, and only then writes the baked file, with the key that
// decrypted each verified secret recorded for the Lambda side to insist on.
// The file it replaces is read first, for the summary of what changes.
func runBake(ctx context.Context, cfg *config, sp *spec.Spec, rep *reporter) (outcome, error) {
	outPath, err := outfile.Resolve(cfg.workspace, cmp.Or(cfg.output, sp.Output, baked.DefaultName))
	if err != nil {
		return outcome{}, err
	}
	previous := readPrevious(outPath, workspacePath(cfg.workspace, outPath))
	awsCfg, err := loadAWSConfig(ctx, cfg, rep.idToken, rep.masker())
	if err != nil {
		return outcome{}, err
	}

	rep.group(fmt.Sprintf("Bake %d secret(s) from SSM", len(sp.Secrets)))
	secrets := make([]bake.Secret, len(sp.Secrets))
	for i, s := range sp.Secrets {
		secrets[i] = bake.Secret{Name: s.Name, Parameter: s.Parameter}
	}
	file, err := newBaker(cfg, awsCfg, rep).Bake(ctx, secrets)
	rep.endGroup()
	problems, err := bakeFindings(err, sp)
	if err != nil {
		return outcome{}, err
	}
	if err := checkParameterAccounts(cfg, fromSSM, file); err != nil {
		return outcome{}, err
	}
	now := clock()
	expired, old := ageFindings(sp, file, now)
	problems = append(problems, expired...)

	results := unverified(sp, file)
	if cfg.verify {
		if results, err = verifySecrets(ctx, cfg, sp, file, awsCfg, rep); err != nil {
			return outcome{}, err
		}
	}
	if err := failures(problems, results, sp); err != nil {
		return outcome{checked: true, results: results, file: file, now: now, warnings: old}, err
	}

	for _, res := range results {
		file.RecordKey(res.Name, res.KeyARN)
	}
	data, err := file.Marshal()
	if err != nil {
		return outcome{}, err
	}
	if err := outfile.Write(outPath, data, outfile.OwnedLike(cfg.workspace)); err != nil {
		return outcome{}, err
	}
	return outcome{checked: true, results: results, path: workspacePath(cfg.workspace, outPath), data: data, file: file, now: now, warnings: old, previous: previous}, nil
}

// newBaker returns the Baker of a run, reading SSM at the configured
// concurrency and showing its progress.
func newBaker(cfg *config, awsCfg aws.Config, rep *reporter) *bake.Baker {
	return bake.New(ssm.NewFromConfig(awsCfg), bake.WithConcurrency(cfg.ssmConc), bake.WithProgress(rep.progress("SSM batches")))
}

// runVerify checks an existing baked file against the spec without SSM.
func runVerify(ctx context.Context, cfg *config, sp *spec.Spec, rep *reporter) (outcome, error) {
	path, data, file, err := readBaked(cfg)
	if err != nil {
		return outcome{}, err
	}
	mismatches := mismatchFindings(verify.Match(file, declared(sp)), sp)
	if err := checkParameterAccounts(cfg, fromBakedFile, file); err != nil {
		return outcome{}, err
	}
	awsCfg, err := loadAWSConfig(ctx, cfg, rep.idToken, rep.masker())
	if err != nil {
		return outcome{}, err
	}
	results, err := verifySecrets(ctx, cfg, sp, file, awsCfg, rep)
	if err != nil {
		return outcome{}, err
	}
	now := clock()
	if err := failures(mismatches, results, sp); err != nil {
		return outcome{checked: true, results: results, file: file, now: now}, err
	}
	return outcome{checked: true, results: results, path: workspacePath(cfg.workspace, path), data: data, file: file, now: now}, nil
}

// readBaked reads the baked file the file input names, inside the
// workspace.
func readBaked(cfg *config) (path string, data []byte, file baked.File, err error) {
	if path, err = outfile.Resolve(cfg.workspace, cfg.file); err != nil {
		return "", nil, nil, err
	}
	if data, err = os.ReadFile(path); err != nil {
		return "", nil, nil, fmt.Errorf("failed to read baked file: %w", err)
	}
	if file, err = baked.Parse(data); err != nil {
		return "", nil, nil, fmt.Errorf("failed to read baked file %s: %w", cfg.file, err)
	}
	return path, data, file, nil
}

// verifySecrets trial-decrypts every declared secret that file holds and
// checks its rules.
func verifySecrets(ctx context.Context, cfg *config, sp *spec.Spec, file baked.File, awsCfg aws.Config, rep *reporter) ([]verify.Result, error) {
	var secrets []verify.Secret
	for _, s := range sp.Secrets {
		if e, ok := file[s.Name]; ok {
			secrets = append(secrets, verify.Secret{Name: s.Name, Entry: e, Rules: s.Rules})
		}
	}
	rep.group(fmt.Sprintf("Verify %d secret(s) with KMS", len(secrets)))
	defer rep.endGroup()
	opts := []verify.Option{
		verify.WithConcurrency(cfg.kmsConc),
		verify.WithProgress(rep.progress("secrets verified")),
		verify.WithMask(rep.masker()),
	}
	if key := cmp.Or(cfg.kmsKeyID, sp.KMSKeyID); key != "" {
		opts = append(opts, verify.WithRequiredKey(key))
	}
	return verify.New(kms.NewFromConfig(awsCfg), opts...).Verify(ctx, secrets)
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

// declared lists the spec's secrets for verify.Match.
func declared(sp *spec.Spec) []verify.Declared {
	out := make([]verify.Declared, len(sp.Secrets))
	for i, s := range sp.Secrets {
		out[i] = verify.Declared{Name: s.Name, Parameter: s.Parameter}
	}
	return out
}

// inlineSecrets names the secrets input where a file name would stand in
// locations.
const inlineSecrets = "input:secrets"

// loadSpec reads the secrets from the inline secrets input or the spec file.
func loadSpec(cfg *config) (*spec.Spec, error) {
	opts := spec.Options{Root: cfg.workspace}
	if cfg.secrets != "" {
		secrets, err := spec.ParseSecrets(inlineSecrets, []byte(cfg.secrets), opts)
		if err != nil {
			return nil, err
		}
		return &spec.Spec{Secrets: secrets}, nil
	}
	path := cfg.configPath
	if !filepath.IsAbs(path) {
		path = filepath.Join(cfg.workspace, path)
	}
	sp, err := spec.Load(path, opts)
	if errors.Is(err, fs.ErrNotExist) && !cfg.configSet {
		return nil, fmt.Errorf("no spec at the default %s: create it, or give the config or secrets input", cfg.configPath)
	}
	return sp, err
}

// workspacePath returns path relative to the workspace, with forward slashes.
func workspacePath(workspace, path string) string {
	rel, err := filepath.Rel(realPath(workspace), realPath(path))
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// realPath returns p absolute with symbolic links resolved, as far as they
// can be.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}
