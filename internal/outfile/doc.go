// Package outfile confines the files a run reads and writes to the
// workspace, held open (os.Root) from the moment a name is resolved until the
// file is read or renamed into place, and writes the baked file atomically,
// so that a failed or interrupted run leaves the previous file exactly as it
// was.
package outfile
