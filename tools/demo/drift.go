package main

import (
	"context"
	"fmt"

	"github.com/org/secret-baker/baked"
)

// rotated is the parameter the demo rotates and its new value.
const (
	rotatedParameter = "/demo/db/password"
	rotatedValue     = "demo-only-password-2"
)

// drift puts a new version of one parameter, as a rotation does, and runs
// drift on the baked file, which names the secret now stale.
func (d *demo) drift(ctx context.Context) error {
	d.heading("4. drift: %s is rotated (a new version); drift names the stale secret, without KMS", rotatedParameter)
	version, err := d.emu.Seeder(region).PutSecureString(ctx, rotatedParameter, rotatedValue, d.keyID)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "%s is now at version %d\n", rotatedParameter, version)
	proxy, err := d.proxy()
	if err != nil {
		return err
	}
	defer proxy.Close()
	code, err := d.secretBaker(ctx, proxy, "drift", "--config", specName, "--file", baked.DefaultName, "--fail-on-drift", "true")
	if err != nil {
		return err
	}
	if code != 1 {
		return fmt.Errorf("secret-baker drift exited %d after a rotation, want 1", code)
	}
	fmt.Fprintf(d.out, "exit 1 (fail-on-drift); AWS calls: %s\n", callCounts(proxy))
	return nil
}
