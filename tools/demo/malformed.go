package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/org/secret-baker/baked"
)

// malformed adds the secrets of pull-request.yml to the spec, as a pull
// request would, runs the bake, and checks that it fails and leaves the baked
// file as it was; then it takes the addition back.
func (d *demo) malformed(ctx context.Context) error {
	d.heading("2. a pull request adds DB_CONFIG, a JSON secret whose port is a string: the run fails before anything is written")
	spec, err := os.ReadFile(filepath.Join(d.specDir, specName))
	if err != nil {
		return err
	}
	addition, err := os.ReadFile(filepath.Join(d.specDir, "pull-request.yml"))
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "%s, added:\n", specName)
	for _, line := range strings.SplitAfter(strings.TrimSuffix(string(addition), "\n"), "\n") {
		fmt.Fprint(d.out, "+"+line)
	}
	fmt.Fprintln(d.out)
	before, err := d.bakedDigest()
	if err != nil {
		return err
	}
	if err := d.write(specName, append(spec, addition...)); err != nil {
		return err
	}
	proxy, err := d.proxy()
	if err != nil {
		return err
	}
	defer proxy.Close()
	code, err := d.secretBaker(ctx, proxy, "--config", specName)
	if err != nil {
		return err
	}
	if code != 1 {
		return fmt.Errorf("secret-baker exited %d with a malformed secret, want 1", code)
	}
	after, err := d.bakedDigest()
	if err != nil {
		return err
	}
	if after != before {
		return fmt.Errorf("the failed run changed %s", baked.DefaultName)
	}
	fmt.Fprintf(d.out, "exit 1: %s is unchanged (%s), nothing malformed ships\n", baked.DefaultName, after)
	return d.write(specName, spec)
}

// bakedDigest is the digest of the baked file in the workspace.
func (d *demo) bakedDigest() (string, error) {
	data, err := os.ReadFile(filepath.Join(d.workDir, baked.DefaultName))
	if err != nil {
		return "", err
	}
	return baked.Digest(data), nil
}
