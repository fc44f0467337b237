// Command layer builds the Lambda layer zips of the exec wrapper,
// cmd/secret-baker-exec: one per architecture, each holding the static
// binary at bin/secret-baker-exec and the AWS_LAMBDA_EXEC_WRAPPER script at
// its root, so that AWS_LAMBDA_EXEC_WRAPPER=/opt/secret-baker-exec runs it
// once Lambda has extracted the layer to /opt. It is what `make layer` and
// the release workflow run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	out := flag.String("out", "bin", "directory to write the zips (and each architecture's binary) to")
	archs := flag.String("arch", "amd64,arm64", "Linux architectures, comma separated")
	flag.Parse()
	for arch := range strings.SplitSeq(*archs, ",") {
		path, err := build(context.Background(), *out, arch)
		if err != nil {
			fmt.Fprintf(os.Stderr, "layer: %v\n", err)
			os.Exit(1)
		}
		fmt.Println(path)
	}
}
