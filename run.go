package main

import (
	"context"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/spec"
)

// run carries out cfg's command: load the spec, bake, verify, write, report.
func run(ctx context.Context, cfg *config, rep *reporter) error {
	sp, err := loadSpec(cfg)
	if err != nil {
		return err
	}
	outName := firstNonEmpty(cfg.output, sp.Output, defaultOutput)
	outPath, err := outfile.Resolve(cfg.workspace, outName)
	if err != nil {
		return err
	}
	awsCfg, err := loadAWSConfig(ctx, cfg.region)
	if err != nil {
		return err
	}

	rep.group("Bake")
	secrets := make([]bake.Secret, len(sp.Secrets))
	for i, s := range sp.Secrets {
		secrets[i] = bake.Secret{Name: s.Name, Parameter: s.Parameter}
	}
	file, err := bake.New(ssm.NewFromConfig(awsCfg)).Bake(ctx, secrets)
	rep.endGroup()
	if err != nil {
		return locateBakeProblems(err, sp)
	}

	data, err := file.Marshal()
	if err != nil {
		return err
	}
	if err := outfile.Write(outPath, data); err != nil {
		return err
	}
	rel, err := filepath.Rel(mustAbs(cfg.workspace), outPath)
	if err != nil {
		rel = outPath
	}
	return rep.baked(rel, data, file)
}

// loadSpec reads the secrets from the inline secrets input or the spec file.
func loadSpec(cfg *config) (*spec.Spec, error) {
	opts := spec.Options{Root: cfg.workspace}
	if cfg.secrets != "" {
		secrets, err := spec.ParseSecrets("input secrets", []byte(cfg.secrets), opts)
		if err != nil {
			return nil, err
		}
		return &spec.Spec{Secrets: secrets}, nil
	}
	path := cfg.configPath
	if !filepath.IsAbs(path) {
		path = filepath.Join(cfg.workspace, path)
	}
	return spec.Load(path, opts)
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}
