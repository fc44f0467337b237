package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// parameter is one sample parameter version to seed.
type parameter struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Label string `json:"label"`
}

// seed creates the demo key, puts every sample parameter version of
// parameters.json and copies the spec and its schemas into a fresh workspace.
func (d *demo) seed(ctx context.Context) error {
	fmt.Fprintf(d.out, "==> seeding the emulator with sample SecureStrings under %s\n", keyAlias)
	s := d.emu.Seeder(region)
	var err error
	if d.keyID, _, err = s.CreateKey(ctx, keyAlias); err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(d.specDir, "parameters.json"))
	if err != nil {
		return err
	}
	var params []parameter
	if err := json.Unmarshal(raw, &params); err != nil {
		return fmt.Errorf("failed to read sample parameters: %w", err)
	}
	for _, p := range params {
		version, err := s.PutSecureString(ctx, p.Name, p.Value, d.keyID)
		if err != nil {
			return err
		}
		if p.Label != "" {
			if err := s.LabelVersion(ctx, p.Name, version, p.Label); err != nil {
				return err
			}
		}
	}
	if err := os.RemoveAll(d.workDir); err != nil {
		return err
	}
	for _, f := range []string{specName, "schemas/service-config.json", "schemas/db-config.json"} {
		data, err := os.ReadFile(filepath.Join(d.specDir, f))
		if err != nil {
			return err
		}
		if err := d.write(f, data); err != nil {
			return err
		}
	}
	return nil
}

// write writes data to name in the workspace.
func (d *demo) write(name string, data []byte) error {
	path := filepath.Join(d.workDir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
