//go:build !unix

package outfile

import "io/fs"

// owner reports no owner where files have no Unix owner (Windows): the CLI
// runs there as the workspace's user, so there is nothing to hand over.
func owner(fs.FileInfo) (uid, gid int, ok bool) {
	return 0, 0, false
}
