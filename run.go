package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// run carries out cfg's command and reports its result.
func run(ctx context.Context, cfg *config, rep *reporter) error {
	sp, err := loadSpec(cfg)
	if err != nil {
		return err
	}
	if cfg.command == "verify" {
		return runVerify(ctx, cfg, sp, rep)
	}
	return runBake(ctx, cfg, sp, rep)
}

// runBake reads the parameters, verifies them unless told not to, and only
// then writes the baked file, with the key that decrypted each verified
// secret recorded for the Lambda side to insist on.
func runBake(ctx context.Context, cfg *config, sp *spec.Spec, rep *reporter) error {
	outPath, err := outfile.Resolve(cfg.workspace, firstNonEmpty(cfg.output, sp.Output, defaultOutput))
	if err != nil {
		return err
	}
	awsCfg, err := loadAWSConfig(ctx, cfg, rep)
	if err != nil {
		return err
	}

	rep.group(fmt.Sprintf("Bake %d secret(s) from SSM", len(sp.Secrets)))
	secrets := make([]bake.Secret, len(sp.Secrets))
	for i, s := range sp.Secrets {
		secrets[i] = bake.Secret{Name: s.Name, Parameter: s.Parameter}
	}
	baker := bake.New(ssm.NewFromConfig(awsCfg), bake.WithConcurrency(cfg.ssmConc), bake.WithProgress(rep.progress("SSM batches")))
	file, err := baker.Bake(ctx, secrets)
	rep.endGroup()
	problems, err := locateBakeProblems(err, sp)
	if err != nil {
		return err
	}

	results := unverified(sp, file)
	if cfg.verify {
		if results, err = verifySecrets(ctx, cfg, sp, file, awsCfg, rep); err != nil {
			return err
		}
	}
	if err := failures(problems, results, sp); err != nil {
		rep.summarize(results, "")
		return err
	}

	for _, res := range results {
		if e := file[res.Name]; res.KeyARN != "" {
			e.KeyARN = res.KeyARN
			file[res.Name] = e
		}
	}
	data, err := file.Marshal()
	if err != nil {
		return err
	}
	if err := outfile.Write(outPath, data, outfile.OwnedLike(cfg.workspace)); err != nil {
		return err
	}
	rel := workspacePath(cfg.workspace, outPath)
	rep.summarize(results, rel)
	return rep.baked(rel, data, file)
}

// runVerify checks an existing baked file against the spec without SSM.
func runVerify(ctx context.Context, cfg *config, sp *spec.Spec, rep *reporter) error {
	path, err := outfile.Resolve(cfg.workspace, cfg.file)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("failed to read baked file: %w", err)
	}
	file, err := baked.Parse(data)
	if err != nil {
		return fmt.Errorf("failed to read baked file %s: %w", cfg.file, err)
	}
	mismatches := matchSpec(file, sp)
	awsCfg, err := loadAWSConfig(ctx, cfg, rep)
	if err != nil {
		return err
	}
	results, err := verifySecrets(ctx, cfg, sp, file, awsCfg, rep)
	if err != nil {
		return err
	}
	rel := workspacePath(cfg.workspace, path)
	if err := failures(mismatches, results, sp); err != nil {
		rep.summarize(results, "")
		return err
	}
	rep.summarize(results, rel)
	return rep.baked(rel, data, file)
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
	if key := firstNonEmpty(cfg.kmsKeyID, sp.KMSKeyID); key != "" {
		opts = append(opts, verify.WithRequiredKey(key))
	}
	results, err := verify.New(kms.NewFromConfig(awsCfg), opts...).Verify(ctx, secrets)
	if err != nil {
		return nil, fmt.Errorf("failed to verify secrets: %w", err)
	}
	return results, nil
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
