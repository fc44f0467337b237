package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
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
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	out, err := runCommand(ctx, cfg, rep)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s (the timeout input): %w", cfg.timeout, err)
	}
	return out, err
}

// runCommand carries out cfg's command within ctx.
func runCommand(ctx context.Context, cfg *config, rep *reporter) (outcome, error) {
	ws, err := outfile.OpenWorkspace(cfg.workspace)
	if err != nil {
		return outcome{}, err
	}
	defer ws.Close()
	sp, err := loadSpec(cfg, ws)
	if err != nil {
		return outcome{}, err
	}
	switch cfg.command {
	case commandVerify:
		return runVerify(ctx, cfg, ws, sp, rep)
	case commandDrift:
		return runDrift(ctx, cfg, ws, sp, rep)
	}
	return runBake(ctx, cfg, ws, sp, rep)
}

// runBake reads the parameters, checks their age and verifies them unless
// told not to, and only then writes the baked file, with the key that
// decrypted each verified secret recorded for the Lambda side to insist on.
// The file it replaces is read first, for the summary of what changes.
func runBake(ctx context.Context, cfg *config, ws *outfile.Workspace, sp *spec.Spec, rep *reporter) (outcome, error) {
	target, err := outputTarget(cfg, ws, sp)
	if err != nil {
		return outcome{}, err
	}
	defer target.Close()
	previous := readPrevious(target)
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
	if err := target.Write(data, ws.Owner()); err != nil {
		return outcome{}, err
	}
	return outcome{checked: true, results: results, path: target.Rel(), data: data, file: file, now: now, warnings: old, previous: previous}, nil
}

// newBaker returns the Baker of a run, reading SSM at the configured
// concurrency and showing its progress.
func newBaker(cfg *config, awsCfg aws.Config, rep *reporter) *bake.Baker {
	return bake.New(ssm.NewFromConfig(awsCfg), bake.WithConcurrency(cfg.ssmConc), bake.WithProgress(rep.progress("SSM batches")))
}

// outputTarget resolves the baked file's path, before any AWS call. An output
// input that cannot be the baked file is an invalid input; the spec's output,
// a problem at its line.
func outputTarget(cfg *config, ws *outfile.Workspace, sp *spec.Spec) (*outfile.Target, error) {
	target, err := ws.Target(cmp.Or(cfg.output, sp.Output, baked.DefaultName))
	switch {
	case err == nil:
		return target, nil
	case cfg.output != "":
		return nil, &usageError{fmt.Errorf("input output: %w", err)}
	case sp.Output != "":
		return nil, findingsError{{location: sp.OutputLocation, title: "Invalid output", message: "invalid output: " + err.Error(), cause: err}}
	default:
		return nil, fmt.Errorf("invalid output: %w", err)
	}
}

// runVerify checks an existing baked file: that it is the expected one, that
// it holds exactly the spec's secrets, each the very ciphertext SSM holds for
// its version in this account and region, and that every secret decrypts and
// passes its rules.
func runVerify(ctx context.Context, cfg *config, ws *outfile.Workspace, sp *spec.Spec, rep *reporter) (outcome, error) {
	rel, data, file, err := readBaked(cfg, ws)
	if err != nil {
		return outcome{}, err
	}
	if digest := baked.Digest(data); cfg.expectedDigest != "" && digest != cfg.expectedDigest {
		return outcome{}, fmt.Errorf("%w: %s has digest %s, not the expected-digest %s: it is not the file the bake step wrote", errUnexpectedFile, rel, digest, cfg.expectedDigest)
	}
	decl := declared(sp)
	mismatches := mismatchFindings(verify.Match(file, decl), sp)
	if err := checkParameterAccounts(cfg, fromBakedFile, file); err != nil {
		return outcome{}, err
	}
	awsCfg, err := loadAWSConfig(ctx, cfg, rep.idToken, rep.masker())
	if err != nil {
		return outcome{}, err
	}
	rep.group(fmt.Sprintf("Check %d secret(s) against SSM", len(file)))
	held, missing, err := newBaker(cfg, awsCfg, rep).Read(ctx, verify.VersionReads(file, decl))
	rep.endGroup()
	if err != nil {
		return outcome{}, fmt.Errorf("failed to read the baked versions from SSM: %w", err)
	}
	versions := verify.CheckVersions(file, decl, held, missing)
	results, err := verifySecrets(ctx, cfg, sp, file, awsCfg, rep)
	if err != nil {
		return outcome{}, err
	}
	now := clock()
	for i, r := range results {
		results[i].Checks = append([]string{verify.CheckVersion}, r.Checks...)
		results[i].Findings = append(versions[r.Name], r.Findings...)
	}
	if err := failures(mismatches, results, sp); err != nil {
		return outcome{checked: true, results: results, file: file, now: now}, err
	}
	return outcome{checked: true, results: results, path: rel, data: data, file: file, now: now}, nil
}

// readBaked reads the baked file the file input names, through the
// workspace, and returns its name relative to the workspace.
func readBaked(cfg *config, ws *outfile.Workspace) (rel string, data []byte, file baked.File, err error) {
	if data, err = ws.ReadFile(cfg.file); err != nil {
		return "", nil, nil, pathInputError("file", err, "failed to read baked file")
	}
	rel, _ = ws.Rel(cfg.file)
	rel = filepath.ToSlash(rel)
	if file, err = baked.Parse(data); err != nil {
		return "", nil, nil, fmt.Errorf("failed to read baked file %s: %w", rel, err)
	}
	return rel, data, file, nil
}

// errUnexpectedFile is the failure of a verify command given another file
// than the expected one.
var errUnexpectedFile = errors.New("unexpected baked file")

// pathInputError makes a refusal of the path input name an invalid input,
// and wraps any other error with what failed.
func pathInputError(name string, err error, what string) error {
	if errors.Is(err, outfile.ErrOutsideWorkspace) || errors.Is(err, outfile.ErrUnsafeName) {
		return &usageError{fmt.Errorf("input %s: %w", name, err)}
	}
	return fmt.Errorf("%s: %w", what, err)
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
		verify.WithSSM(ssm.NewFromConfig(awsCfg)),
		verify.WithProgress(rep.progress("secrets verified")),
		verify.WithMask(rep.masker()),
	}
	if key := cmp.Or(cfg.kmsKeyID, sp.KMSKeyID); key != "" {
		opts = append(opts, verify.WithRequiredKey(key))
	}
	results, err := verify.New(kms.NewFromConfig(awsCfg), opts...).Verify(ctx, secrets)
	if errors.Is(err, verify.ErrRequiredKey) && cfg.kmsKeyID == "" && sp.KMSKeyID != "" {
		return nil, findingsError{{location: sp.KMSKeyIDLocation, title: "Unusable kms-key-id", message: err.Error(), cause: err}}
	}
	return results, err
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

// loadSpec reads the secrets from the inline secrets input or the spec file,
// which must be inside the workspace: it is read through it, and so becomes
// an input of the run that the output may not replace.
func loadSpec(cfg *config, ws *outfile.Workspace) (*spec.Spec, error) {
	opts := spec.Options{Root: cfg.workspace, Workspace: ws}
	if cfg.secrets != "" {
		secrets, err := spec.ParseSecrets(inlineSecrets, []byte(cfg.secrets), opts)
		if err != nil {
			return nil, err
		}
		return &spec.Spec{Secrets: secrets}, nil
	}
	data, err := ws.ReadFile(cfg.configPath)
	if errors.Is(err, fs.ErrNotExist) && !cfg.configSet {
		return nil, fmt.Errorf("no spec at the default %s: create it, or give the config or secrets input", cfg.configPath)
	}
	if err != nil {
		return nil, pathInputError("config", err, "failed to read spec")
	}
	rel, _ := ws.Rel(cfg.configPath)
	return spec.Parse(filepath.Join(cfg.workspace, rel), data, opts)
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
